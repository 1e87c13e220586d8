// A just-in-time session: temporary credentials for one service at one level.
import { type AuditEventInput } from './audit/events';
import { type AccessLevel, type ServiceId } from './catalog';

export interface SessionCredentials {
  accessKeyId: string;
  /** Secret: lives in memory and SecretStorage only. */
  secretAccessKey: string;
  /** Secret: lives in memory and SecretStorage only. */
  sessionToken: string;
  /** Epoch ms when AWS stops honouring the credentials. */
  expiration: number;
}

export interface Session {
  /** Short random request id, also in RoleSessionName and the session tags. */
  id: string;
  service: ServiceId;
  level: AccessLevel;
  account: string;
  region: string;
  roleArn: string;
  /** The assumed-role ARN AWS returned (arn:aws:sts::…:assumed-role/Role/Session). */
  assumedRoleArn: string;
  sessionName: string;
  sourceIdentity: string;
  /** The caller who asked (base identity ARN). */
  requestedBy: string;
  role: string;
  reason?: string;
  ticket?: string;
  durationSeconds: number;
  /** Epoch ms when the session was granted. */
  grantedAt: number;
  /** The session policy sent to STS (compact JSON). */
  policy: string;
  packedPolicySize?: number;
  credentials: SessionCredentials;
}

/** One session per service and level: asking again for an active one renews it. */
export function getSessionKey(service: ServiceId, level: AccessLevel): string {
  return `${service}:${level}`;
}

/** Everything about a session that may be shown or logged: no secret, no token. */
export function describeSession(
  session: Session,
): Omit<Session, 'credentials'> & { accessKeyId: string; expiration: number } {
  const { credentials, ...rest } = session;
  return { ...rest, accessKeyId: credentials.accessKeyId, expiration: credentials.expiration };
}

/** The audit fields of a session (who asked, for what, its key id): what every session record carries. */
export function getSessionAuditFields(session: Session): Omit<AuditEventInput, 'event' | 'outcome'> {
  const d = describeSession(session);
  return {
    actor: d.requestedBy,
    role: d.role,
    account: d.account,
    service: d.service,
    level: d.level,
    durationSeconds: d.durationSeconds,
    requestId: d.id,
    accessKeyId: d.accessKeyId,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.ticket ? { ticket: d.ticket } : {}),
  };
}
