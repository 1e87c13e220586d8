// STS AssumeRole: parameters, the trust policy with the caller's own policies where AWS needs
// them (iam/trustEvaluation.ts), MFA, source identity and session tags (transitive ones down a
// chain), duration caps, packed size, and one use per MFA code.

import { accessDeniedMessage, principalContext, type ConditionContext } from '../iam/evaluation';
import { randomId, randomSecret, randomSessionToken } from '../server/ids';
import { parseSessionPolicy } from '../iam/policyGrammar';
import type { CredentialRecord, IssuedSession, LocalAwsState, RoleDefinition } from '../server/state';
import {
  checkDurationForRole,
  checkPackedSize,
  packedPolicySize,
  readAssumeRoleInput,
  requestedDuration,
  validateAssumeRoleInput,
  type AssumeRoleInput,
} from './rules';
import { verifyTotpCode } from '../iam/totp';
import { assumeActionAllowed } from '../iam/trustEvaluation';
import { AwsError, type CallContext, type PolicyDocument, type Principal } from '../server/types';

export interface AssumeRoleResult {
  record: CredentialRecord;
  session: IssuedSession;
}

function denied(callerArn: string, action: string, roleArn: string): AwsError {
  return new AwsError('AccessDenied', accessDeniedMessage(callerArn, action, roleArn), 403);
}

const mfaFailed = () =>
  new AwsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403);

/** True when a valid, unused code for the caller's own device came with the request. */
function verifyMfa(
  state: LocalAwsState,
  caller: CredentialRecord | undefined,
  input: AssumeRoleInput,
  now: number,
): boolean {
  if (input.serialNumber === undefined && input.tokenCode === undefined) return false;
  // SerialNumber is "the MFA device that is associated with the user who is making the
  // AssumeRole call": only an IAM user has one. A role session (Identity Center, SAML, a chained
  // role) has none, so it cannot bring MFA to AssumeRole whatever its sign-in did.
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
  if (caller?.principal.kind !== 'user') throw mfaFailed();
  const device = input.serialNumber ? state.mfaDevices.get(input.serialNumber) : undefined;
  if (!device || !input.tokenCode || caller.mfaSerial !== device.serialNumber) throw mfaFailed();
  const step = verifyTotpCode(device.seed, input.tokenCode, now);
  if (step === undefined) throw mfaFailed();
  const used = state.usedMfaCodes.get(device.serialNumber) ?? new Set<string>();
  const key = `${step}:${input.tokenCode}`;
  if (used.has(key)) throw mfaFailed();
  used.add(key);
  state.usedMfaCodes.set(device.serialNumber, used);
  return true;
}

/** Tags merged by key regardless of case, later sources winning ("New session tags override
 * existing assumed role … tags with the same tag key, regardless of case", id_session-tags.html). */
function mergeTags(...sources: Array<Record<string, string> | undefined>): Record<string, string> {
  const byLower = new Map<string, [string, string]>();
  for (const source of sources)
    for (const [key, value] of Object.entries(source ?? {})) byLower.set(key.toLowerCase(), [key, value]);
  return Object.fromEntries(byLower.values());
}

/**
 * The request context of the AssumeRole call, for the trust policy and the caller's own policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html
 */
function trustContext(
  caller: Principal,
  role: RoleDefinition | undefined,
  input: AssumeRoleInput,
  facts: { mfa: boolean; incoming: Record<string, string>; region: string; now: number },
): ConditionContext {
  const context = principalContext(caller, facts.region, facts.now);
  // MFA passed on this call makes aws:MultiFactorAuthPresent "true"; otherwise it is the caller's
  // own: "false" for a session without MFA, absent for long-term keys (condition keys page).
  if (facts.mfa) {
    context['aws:multifactorauthpresent'] = 'true';
    context['aws:multifactorauthage'] = '0';
  }
  context['sts:rolesessionname'] = input.roleSessionName;
  // sts:SourceIdentity: "present in the request when the principal initially sets a source identity".
  if (input.sourceIdentity) context['sts:sourceidentity'] = input.sourceIdentity;
  // aws:TagKeys / aws:RequestTag/<key>: the tags passed in this request (absent when none are).
  if (input.tags.length > 0) context['aws:tagkeys'] = input.tags.map((t) => t.Key);
  for (const tag of input.tags) context[`aws:requesttag/${tag.Key.toLowerCase()}`] = tag.Value;
  // sts:TransitiveTagKeys: "the transitive session tag keys in the request".
  if (input.transitiveTagKeys.length > 0) context['sts:transitivetagkeys'] = input.transitiveTagKeys;
  // The role's tags are its aws:ResourceTag; incoming transitive tags "replace matching
  // ResourceTag values during the evaluation of the role trust policy" (id_session-tags.html).
  for (const [key, value] of Object.entries(mergeTags(role?.tags, facts.incoming))) {
    context[`aws:resourcetag/${key.toLowerCase()}`] = value;
    context[`iam:resourcetag/${key.toLowerCase()}`] = value;
  }
  return context;
}

function checkTrust(
  role: RoleDefinition | undefined,
  caller: Principal,
  input: AssumeRoleInput,
  context: ConditionContext,
  incoming: Record<string, string>,
  roleArn: string,
): RoleDefinition {
  const allowed = (action: string, identityRequired = false) =>
    role !== undefined &&
    assumeActionAllowed({
      trust: role.trustPolicy,
      roleArn,
      roleAccountId: accountOfRole(roleArn),
      caller,
      action,
      context,
      identityRequired,
    });
  if (!role || !allowed('sts:AssumeRole')) throw denied(caller.arn, 'sts:AssumeRole', roleArn);
  if (caller.sourceIdentity && input.sourceIdentity && input.sourceIdentity !== caller.sourceIdentity) {
    throw new AwsError(
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn}: the source identity '${caller.sourceIdentity}' of a role session cannot be changed down a chain`,
      403,
    );
  }
  // Role chaining carries the source identity on, and then "permissions for sts:SetSourceIdentity
  // are required in both the permissions policy of the principal who is assuming the role and in
  // the role trust policy of the target role" (id_credentials_temp_control-access_monitor.html).
  const chainedSource = caller.kind === 'role-session' && caller.sourceIdentity !== undefined;
  if ((input.sourceIdentity || chainedSource) && !allowed('sts:SetSourceIdentity', chainedSource))
    throw denied(caller.arn, 'sts:SetSourceIdentity', roleArn);
  // sts:TagSession: "must be allowed before the user can pass session tags" (id_session-tags.html);
  // incoming transitive tags are session tags of the new session too.
  if ((input.tags.length > 0 || Object.keys(incoming).length > 0) && !allowed('sts:TagSession'))
    throw denied(caller.arn, 'sts:TagSession', roleArn);
  // "If you pass a session tag with the same key as an inherited tag, the operation fails"
  // (AssumeRole API reference, Tags). AWS does not publish the error's wording.
  const inherited = new Set(Object.keys(incoming).map((k) => k.toLowerCase()));
  const clash = input.tags.find((t) => inherited.has(t.Key.toLowerCase()));
  if (clash)
    throw new AwsError(
      'InvalidParameterValue',
      `The session tag '${clash.Key}' has the same key as a transitive tag inherited from the calling session.`,
    );
  return role;
}

function accountOfRole(roleArn: string): string {
  return roleArn.split(':')[4] ?? '';
}

/** The new session's transitive tags: the inherited ones plus the session tags marked transitive. */
function transitiveTagsOf(input: AssumeRoleInput, incoming: Record<string, string>): Record<string, string> {
  const marked = new Set(input.transitiveTagKeys.map((k) => k.toLowerCase()));
  return mergeTags(
    incoming,
    Object.fromEntries(input.tags.filter((t) => marked.has(t.Key.toLowerCase())).map((t) => [t.Key, t.Value])),
  );
}

interface IssueFacts {
  now: number;
  duration: number;
  mfa: boolean;
  packed: number;
  sessionPolicy?: PolicyDocument;
  incoming: Record<string, string>;
}

function issue(
  state: LocalAwsState,
  role: RoleDefinition,
  caller: CredentialRecord,
  input: AssumeRoleInput,
  facts: IssueFacts,
): AssumeRoleResult {
  const sessionName = input.roleSessionName as string;
  const expiresAt = facts.now + facts.duration * 1000;
  const sourceIdentity = input.sourceIdentity ?? caller.principal.sourceIdentity;
  const tags = Object.fromEntries(input.tags.map((t) => [t.Key, t.Value]));
  // A session's principal tags come from its session tags, the incoming transitive tags and the
  // role's tags, session tags overriding the role's (id_session-tags.html).
  const principalTags = mergeTags(role.tags, facts.incoming, tags);
  const transitiveTags = transitiveTagsOf(input, facts.incoming);
  const principal: Principal = {
    accessKeyId: randomId('ASIA'),
    accountId: state.accountId,
    arn: `arn:aws:sts::${state.accountId}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    kind: 'role-session',
    permissions: role.permissions,
    sessionPolicy: facts.sessionPolicy,
    expiresAt,
    sourceIdentity,
    tags: principalTags,
    mfaAuthenticated: facts.mfa || caller.principal.mfaAuthenticated,
    mfaAuthenticatedAt: facts.mfa ? facts.now : caller.principal.mfaAuthenticatedAt,
    roleArn: role.arn,
  };
  const record: CredentialRecord = {
    accessKeyId: principal.accessKeyId,
    secretAccessKey: randomSecret(),
    sessionToken: randomSessionToken(),
    principal,
    mfaSerial: caller.mfaSerial,
    transitiveTags,
  };
  const session: IssuedSession = {
    accessKeyId: principal.accessKeyId,
    arn: principal.arn,
    roleArn: role.arn,
    roleSessionName: sessionName,
    callerArn: caller.principal.arn,
    issuedAt: facts.now,
    expiresAt,
    durationSeconds: facts.duration,
    sourceIdentity,
    tags,
    sessionPolicy: input.policy,
    transitiveTagKeys: Object.keys(transitiveTags),
    principalTags,
    packedPolicySize: facts.packed,
    mfaAuthenticated: principal.mfaAuthenticated,
  };
  state.credentials.set(record.accessKeyId, record);
  state.issuedSessions.push(session);
  return { record, session };
}

/** Runs every check in AWS's order and, when all pass, issues and records the session. */
export function assumeRole(state: LocalAwsState, params: Record<string, string>, ctx: CallContext): AssumeRoleResult {
  const input = readAssumeRoleInput(params);
  validateAssumeRoleInput(input);
  const sessionPolicy = input.policy === undefined ? undefined : parseSessionPolicy(input.policy);
  const roleArn = input.roleArn as string;
  const caller = ctx.principal;
  const callerRecord = state.credentials.get(caller.accessKeyId) as CredentialRecord;
  const incoming = caller.kind === 'role-session' ? (callerRecord.transitiveTags ?? {}) : {};
  const mfa = verifyMfa(state, callerRecord, input, ctx.now);
  const known = state.roles.get(roleArn);
  const context = trustContext(caller, known, input, { mfa, incoming, region: ctx.region, now: ctx.now });
  const role = checkTrust(known, caller, input, context, incoming, roleArn);
  const duration = requestedDuration(input);
  checkDurationForRole(duration, role.maxSessionDuration, caller.kind === 'role-session');
  const inheritedTags = Object.entries(incoming).map(([Key, Value]) => ({ Key, Value }));
  const packed = packedPolicySize(input.policy, [...input.tags, ...inheritedTags], input.policyArns);
  checkPackedSize(packed);
  return issue(state, role, callerRecord, input, { now: ctx.now, duration, mfa, packed, sessionPolicy, incoming });
}
