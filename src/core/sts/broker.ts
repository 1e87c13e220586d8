// The STS broker: one AssumeRole per Request Access, with every AWS rule checked first and
// every failure mapped to what to do next. Kept lean on purpose: everything here but the
// STS round trip counts against the 5 ms budget at p50 (README.md, "Performance").
import { type AssumeRoleCommandInput, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { type CallerIdentity, isRoleSession, parseArn } from '../arn';
import { getService } from '../catalog';
import { getIdentityKind } from '../identity';
import { loadAwsSdk } from '../loadAwsSdk';
import { needsTotp } from '../policy/mfa';
import { type Clock, type Log } from '../ports';
import { type EffectiveGrant } from '../policy/roles';
import { type Session } from '../session';
import { formatDuration, getDurationCap } from './duration';
import { mapStsError } from './errors';
import {
  getCallerName,
  newRequestId,
  sanitizeSessionName,
  sanitizeSourceIdentity,
  sessionTagKeys,
  toTagValue,
} from './naming';
import { checkAssumeRoleRequest, type SessionTag } from './rules';
import { buildSessionPolicy } from './sessionPolicy';
import { StsError } from './stsError';

/** Above this PackedPolicySize (%) a few more tags or resources would fail the request. */
export const packedPolicyWarnPercent = 90;

export interface BrokerDeps {
  sts: STSClient;
  clock: Clock;
  log: Log;
  newRequestId?: () => string;
}

export interface SessionRequest {
  caller: CallerIdentity;
  /** The InfraWatch role (policy) name the grant comes from. */
  role: string;
  roleArn: string;
  grant: EffectiveGrant;
  account: string;
  region: string;
  durationSeconds: number;
  reason?: string;
  ticket?: string;
  mfaSerial?: string;
  tokenCode?: string;
  roleMaxSessionSeconds?: number;
}

/**
 * The caller's MFA device by AWS's default naming: `mfa/<user name>` for an IAM user; a
 * setting overrides it. A role session (Identity Center, SAML, a chained role) has none: an
 * MFA device belongs to an IAM user, and AssumeRole's SerialNumber must be "the MFA device that
 * is associated with the user who is making the AssumeRole call".
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function findMfaSerial(caller: CallerIdentity): string | undefined {
  const parsed = parseArn(caller.arn);
  if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('user/')) return undefined;
  const account = parsed.account || caller.account;
  const name = getCallerName(caller.arn).split('/').pop();
  return name ? `arn:${parsed.partition}:iam::${account}:mfa/${name}` : undefined;
}

/** Whether this request carries a TOTP code to AWS: only when the caller's kind meets the grant's MFA with one. */
export function sendsTotp(request: Pick<SessionRequest, 'caller' | 'grant'>): boolean {
  return needsTotp(request.grant, getIdentityKind(request.caller.arn));
}

/**
 * The tags the IAM kit's trust policy requires (sts/naming.ts sessionTagKeys): request id,
 * service and level always; the reason (as a tag value, see toTagValue) and the ticket only
 * when the grant requires them, so a session carries nothing the role does not ask for.
 */
export function buildSessionTags(
  requestId: string,
  grant: EffectiveGrant,
  given: { reason?: string; ticket?: string } = {},
): SessionTag[] {
  const tags: SessionTag[] = [
    { Key: sessionTagKeys.requestId, Value: requestId },
    { Key: sessionTagKeys.service, Value: grant.service },
    { Key: sessionTagKeys.level, Value: grant.level },
  ];
  const reason = given.reason?.trim();
  const ticket = given.ticket?.trim();
  if (grant.reason && reason) tags.push({ Key: sessionTagKeys.reason, Value: toTagValue(reason) });
  if (grant.ticket && ticket) tags.push({ Key: sessionTagKeys.ticket, Value: ticket });
  return tags;
}

function label(grant: EffectiveGrant): string {
  return `${getService(grant.service).displayName} ${grant.level}`;
}

/** What the grant itself demands of the request (beyond AWS's rules). */
function checkGrant(request: SessionRequest, baseIsRoleSession: boolean): StsError | undefined {
  const { grant } = request;
  const cap = getDurationCap({ grant, roleMaxSessionSeconds: request.roleMaxSessionSeconds, baseIsRoleSession });
  if (request.durationSeconds > cap.maxSeconds) {
    return new StsError(
      'Validation',
      `${formatDuration(request.durationSeconds)} is too long for ${label(grant)}: ${cap.reason}. Choose ${formatDuration(cap.maxSeconds)} or less`,
      'chooseShorter',
    );
  }
  if (sendsTotp(request) && !request.tokenCode)
    return new StsError(
      'MfaRejected',
      `${label(grant)} requires MFA: enter the 6-digit code from your authenticator`,
      'reenterMfa',
    );
  if (grant.reason && !request.reason?.trim())
    return new StsError('Validation', `${label(grant)} requires a reason: say why you need access`, 'editRequest');
  if (grant.ticket && !request.ticket?.trim())
    return new StsError(
      'Validation',
      `${label(grant)} requires a ticket id: enter the ticket this work is for`,
      'editRequest',
    );
  const roleAccount = parseArn(request.roleArn)?.account;
  if (roleAccount && roleAccount !== request.account) {
    return new StsError(
      'Validation',
      `The role ${request.roleArn} is in account ${roleAccount}, not ${request.account}: fix the role's ARN for this account in the access policy`,
      'fixPolicy',
    );
  }
  return undefined;
}

type AssumeRoleInput = AssumeRoleCommandInput & {
  RoleSessionName: string;
  SourceIdentity: string;
  Policy: string;
  DurationSeconds: number;
};

interface Prepared {
  requestId: string;
  input: AssumeRoleInput;
  tags: SessionTag[];
  mfaSerial: string | undefined;
  /** The code that goes to AWS: none unless the caller's kind meets the grant's MFA by TOTP. */
  tokenCode: string | undefined;
}

function buildInput(deps: BrokerDeps, request: SessionRequest): Prepared {
  const requestId = (deps.newRequestId ?? newRequestId)();
  const user = getCallerName(request.caller.arn);
  // A code goes to AWS only where the grant's MFA for the caller's kind is TOTP: an Identity
  // Center or SAML session met it at its sign-in and has no device to present.
  const tokenCode = sendsTotp(request) ? request.tokenCode : undefined;
  const mfaSerial = tokenCode ? (request.mfaSerial ?? findMfaSerial(request.caller)) : undefined;
  const tags = buildSessionTags(requestId, request.grant, { reason: request.reason, ticket: request.ticket });
  const input: AssumeRoleInput = {
    RoleArn: request.roleArn,
    RoleSessionName: sanitizeSessionName(user, requestId),
    DurationSeconds: request.durationSeconds,
    Policy: buildSessionPolicy(request.grant.service, request.grant.level, request.grant.resources),
    SourceIdentity: sanitizeSourceIdentity(user),
    Tags: tags,
    ...(mfaSerial && tokenCode ? { SerialNumber: mfaSerial, TokenCode: tokenCode } : {}),
  };
  return { requestId, input, tags, mfaSerial, tokenCode };
}

/** The grant's demands, then AWS's rules; throws the first problem (with all messages). */
function preflight(request: SessionRequest, prepared: Prepared): void {
  const baseIsRoleSession = isRoleSession(request.caller.arn);
  const grantProblem = checkGrant(request, baseIsRoleSession);
  if (grantProblem) throw grantProblem;
  const { input } = prepared;
  const problems = checkAssumeRoleRequest({
    roleArn: input.RoleArn ?? '',
    roleSessionName: input.RoleSessionName,
    durationSeconds: input.DurationSeconds,
    policy: input.Policy,
    resourceCount: request.grant.resources.length,
    serialNumber: prepared.mfaSerial,
    tokenCode: prepared.tokenCode,
    sourceIdentity: input.SourceIdentity,
    tags: prepared.tags,
    roleMaxSessionSeconds: request.roleMaxSessionSeconds,
    baseIsRoleSession,
  });
  const first = problems[0];
  if (first) {
    const code = first.field === 'tokenCode' ? 'MfaRejected' : 'Validation';
    throw new StsError(code, problems.map((p) => p.message).join('; '), first.nextAction);
  }
}

async function callAssumeRole(
  deps: BrokerDeps,
  request: SessionRequest,
  input: AssumeRoleInput,
): Promise<AssumeRoleCommandOutput> {
  const { AssumeRoleCommand } = await loadAwsSdk();
  try {
    return await deps.sts.send(new AssumeRoleCommand(input));
  } catch (error) {
    throw mapStsError(error, {
      roleArn: request.roleArn,
      what: label(request.grant),
      durationSeconds: request.durationSeconds,
      baseIsRoleSession: isRoleSession(request.caller.arn),
      mfaProvided: input.TokenCode !== undefined,
      region: request.region,
      account: request.account,
      scrub: request.tokenCode ? [request.tokenCode] : [],
    });
  }
}

function toSession(
  request: SessionRequest,
  prepared: Prepared,
  out: AssumeRoleCommandOutput,
  grantedAt: number,
): Session {
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new StsError(
      'Unknown',
      `AWS STS returned no credentials for ${label(request.grant)}: try again, and report it if it persists`,
      'retry',
      { requestId: out.$metadata.requestId },
    );
  }
  const reason = request.reason?.trim();
  const ticket = request.ticket?.trim();
  return {
    id: prepared.requestId,
    service: request.grant.service,
    level: request.grant.level,
    account: request.account,
    region: request.region,
    roleArn: request.roleArn,
    assumedRoleArn: out.AssumedRoleUser?.Arn ?? '',
    sessionName: prepared.input.RoleSessionName,
    sourceIdentity: out.SourceIdentity ?? prepared.input.SourceIdentity,
    requestedBy: request.caller.arn,
    role: request.role,
    ...(reason ? { reason } : {}),
    ...(ticket ? { ticket } : {}),
    durationSeconds: request.durationSeconds,
    grantedAt,
    policy: prepared.input.Policy,
    ...(out.PackedPolicySize !== undefined ? { packedPolicySize: out.PackedPolicySize } : {}),
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration.getTime(),
    },
  };
}

/** Runs the pre-flight checks, calls AssumeRole and returns the session (with its secrets). */
export async function requestSession(deps: BrokerDeps, request: SessionRequest): Promise<Session> {
  const prepared = buildInput(deps, request);
  preflight(request, prepared);
  const out = await callAssumeRole(deps, request, prepared.input);
  const session = toSession(request, prepared, out, deps.clock.now());
  if (session.packedPolicySize !== undefined && session.packedPolicySize > packedPolicyWarnPercent) {
    deps.log.warn(
      `Session ${session.id} (${label(request.grant)}): the session policy and tags use ${session.packedPolicySize}% of AWS's packed size limit; fewer or broader resource patterns, or a shorter ticket id, would leave room`,
    );
  }
  return session;
}
