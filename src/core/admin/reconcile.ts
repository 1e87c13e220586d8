// Which sessions of the JIT roles did InfraWatch not make? CloudTrail's AssumeRole events
// (read by reconcileFetch.ts) set against the audit trail: InfraWatch writes
// `access.requested` with a request id before it calls AssumeRole, and sends that id as the
// `infrawatch:request-id` session tag and at the end of the RoleSessionName
// (`<user>@<id>`, sts/naming.ts). A session matches only when all of that agrees and the
// caller is the person the record names: tags are easy to copy, so a copied request id
// from someone else, or a second session under one id, is flagged too. Pure: no I/O.
import { type AccessPolicy } from '../policy/schema';
import { sessionTagKeys } from '../sts/naming';
import { type CloudTrailAssumeRole } from './reconcileEvent';

export { parseAssumeRoleEvent, type CloudTrailAssumeRole, type SessionTag } from './reconcileEvent';

/** The session tag the broker sends with InfraWatch's request id (sts/broker.ts buildSessionTags). */
export const requestIdTagKey = sessionTagKeys.requestId;

/** The audit events that say InfraWatch itself asked AWS for a session under a request id. */
const madeByInfraWatch = new Set(['access.requested', 'access.granted', 'session.renewed', 'access.failed']);

/** The fields of an audit record the matching reads. */
export interface AuditSessionRef {
  event: string;
  actor: string;
  requestId?: string;
  /** The issued session's access key id (access.granted and session.renewed record it). */
  accessKeyId?: string;
}

export type FlagReason =
  | 'no-request-id'
  | 'unknown-request-id'
  | 'session-name-mismatch'
  | 'caller-mismatch'
  | 'access-key-mismatch'
  | 'request-id-reused';

export interface FlaggedSession {
  event: CloudTrailAssumeRole;
  /** The InfraWatch roles whose roleArns name this IAM role. */
  roles: string[];
  requestId?: string;
  reason: FlagReason;
  explanation: string;
}

export interface MatchedSession {
  event: CloudTrailAssumeRole;
  roles: string[];
  requestId: string;
}

export interface Reconciliation {
  matched: MatchedSession[];
  /** Newest first. */
  unmatched: FlaggedSession[];
  /** AssumeRole events on roles the policy does not name (not InfraWatch's business). */
  otherRoles: number;
  /** Refused AssumeRole calls (an errorCode): no session was made. */
  refused: number;
}

/** Every IAM role the policy names, with the InfraWatch roles that use it. */
export function getJitRoles(policy: AccessPolicy): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  for (const [name, role] of Object.entries(policy.roles)) {
    for (const arn of Object.values(role.roleArns)) roles.set(arn, [...(roles.get(arn) ?? []), name]);
  }
  return roles;
}

export function getRequestIdTag(event: CloudTrailAssumeRole): string | undefined {
  // Tag keys are compared without case, as IAM does for session tags.
  return event.tags.find((t) => t.key.toLowerCase() === requestIdTagKey)?.value;
}

function explain(
  reason: FlagReason,
  event: CloudTrailAssumeRole,
  requestId: string | undefined,
  actor?: string,
): string {
  switch (reason) {
    case 'no-request-id':
      return `No ${requestIdTagKey} session tag: InfraWatch always sends one, so this session was made some other way`;
    case 'unknown-request-id':
      return `The request id ${requestId ?? ''} is in no audit record: InfraWatch did not ask for this session`;
    case 'session-name-mismatch':
      return `The session name ${event.sessionName} does not end in @${requestId ?? ''} as InfraWatch names its sessions`;
    case 'caller-mismatch':
      return `Request ${requestId ?? ''} was made by ${actor ?? 'someone else'}, but this session by ${event.callerArn}: a copied request id`;
    case 'access-key-mismatch':
      return `Request ${requestId ?? ''} was granted other credentials than this session's ${event.issuedAccessKeyId ?? ''}: another session under a copied request id`;
    case 'request-id-reused':
      return `Another session already carries request id ${requestId ?? ''}: InfraWatch makes one session per request`;
  }
}

interface Known {
  actors: Set<string>;
  accessKeyIds: Set<string>;
}

function indexAudit(records: readonly AuditSessionRef[]): Map<string, Known> {
  const known = new Map<string, Known>();
  for (const record of records) {
    if (!record.requestId || !madeByInfraWatch.has(record.event)) continue;
    const entry = known.get(record.requestId) ?? { actors: new Set(), accessKeyIds: new Set() };
    entry.actors.add(record.actor);
    if (record.accessKeyId && (record.event === 'access.granted' || record.event === 'session.renewed'))
      entry.accessKeyIds.add(record.accessKeyId);
    known.set(record.requestId, entry);
  }
  return known;
}

/** Why this session is not InfraWatch's, or undefined when it is. */
function check(
  event: CloudTrailAssumeRole,
  requestId: string | undefined,
  known: Map<string, Known>,
  seen: Set<string>,
): { reason: FlagReason; actor?: string } | undefined {
  if (!requestId) return { reason: 'no-request-id' };
  const record = known.get(requestId);
  if (!record) return { reason: 'unknown-request-id' };
  if (!event.sessionName.endsWith(`@${requestId}`)) return { reason: 'session-name-mismatch' };
  if (!record.actors.has(event.callerArn)) return { reason: 'caller-mismatch', actor: [...record.actors][0] };
  if (record.accessKeyIds.size > 0) {
    return event.issuedAccessKeyId !== undefined && record.accessKeyIds.has(event.issuedAccessKeyId)
      ? undefined
      : { reason: 'access-key-mismatch' };
  }
  // No key recorded yet (the grant may still be on its way): the first session takes the id.
  return seen.has(requestId) ? { reason: 'request-id-reused' } : undefined;
}

/** Matches each AssumeRole on a JIT role to the audit trail; the rest are flagged with why. */
export function reconcileSessions(
  events: readonly CloudTrailAssumeRole[],
  audit: readonly AuditSessionRef[],
  jitRoles: ReadonlyMap<string, string[]>,
): Reconciliation {
  const known = indexAudit(audit);
  const result: Reconciliation = { matched: [], unmatched: [], otherRoles: 0, refused: 0 };
  const seen = new Set<string>();
  // Oldest first, so "the first session takes the id" means the earliest one.
  const ordered = [...events].sort((a, b) => a.time - b.time || a.eventId.localeCompare(b.eventId));
  for (const event of ordered) {
    if (event.errorCode !== undefined) {
      result.refused += 1;
      continue;
    }
    const roles = jitRoles.get(event.roleArn);
    if (!roles) {
      result.otherRoles += 1;
      continue;
    }
    const requestId = getRequestIdTag(event);
    const problem = check(event, requestId, known, seen);
    if (problem) {
      result.unmatched.push({
        event,
        roles,
        ...(requestId ? { requestId } : {}),
        reason: problem.reason,
        explanation: explain(problem.reason, event, requestId, problem.actor),
      });
    } else {
      seen.add(requestId as string);
      result.matched.push({ event, roles, requestId: requestId as string });
    }
  }
  result.unmatched.reverse();
  return result;
}
