// STS AssumeRole with every rule of DESIGN §4: parameters, the caller's own permission,
// the role's trust policy (principal, MFA, sts:SetSourceIdentity, sts:TagSession),
// source identity down a chain, duration caps, packed size, and one use per MFA code.

import { accessDeniedMessage, authorizePrincipal, evaluatePolicies, principalContext, statementsOf, type ConditionContext } from './iam';
import { randomId, randomSecret, randomSessionToken } from './ids';
import { parseSessionPolicy } from './policyGrammar';
import type { CredentialRecord, IssuedSession, LocalAwsState, RoleDefinition } from './state';
import { checkDurationForRole, checkPackedSize, packedPolicySize, readAssumeRoleInput, requestedDuration, validateAssumeRoleInput, type AssumeRoleInput } from './stsRules';
import { verifyTotpCode } from './totp';
import { AwsError, type CallContext, type PolicyDocument, type Principal } from './types';

export interface AssumeRoleResult {
  record: CredentialRecord;
  session: IssuedSession;
}

function denied(callerArn: string, action: string, roleArn: string): AwsError {
  return new AwsError('AccessDenied', accessDeniedMessage(callerArn, action, roleArn), 403);
}

const mfaFailed = () => new AwsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403);

/** True when a valid, unused code for the caller's own device came with the request. */
function verifyMfa(state: LocalAwsState, caller: CredentialRecord | undefined, input: AssumeRoleInput, now: number): boolean {
  if (input.serialNumber === undefined && input.tokenCode === undefined) return false;
  const device = input.serialNumber ? state.mfaDevices.get(input.serialNumber) : undefined;
  if (!device || !input.tokenCode || caller?.mfaSerial !== device.serialNumber) throw mfaFailed();
  const step = verifyTotpCode(device.seed, input.tokenCode, now);
  if (step === undefined) throw mfaFailed();
  const used = state.usedMfaCodes.get(device.serialNumber) ?? new Set<string>();
  const key = `${step}:${input.tokenCode}`;
  if (used.has(key)) throw mfaFailed();
  used.add(key);
  state.usedMfaCodes.set(device.serialNumber, used);
  return true;
}

function trustAllows(role: RoleDefinition, caller: Principal, action: string, context: ConditionContext): boolean {
  const principalIds = [caller.arn, caller.roleArn, `arn:aws:iam::${caller.accountId}:root`];
  const statements = statementsOf(role.trustPolicy).filter((s) => {
    if (s.Principal === '*') return true;
    const named = s.Principal?.AWS === undefined ? [] : Array.isArray(s.Principal.AWS) ? s.Principal.AWS : [s.Principal.AWS];
    return named.some((p) => p === '*' || principalIds.includes(p));
  });
  return evaluatePolicies([{ Statement: statements }], action, role.arn, context) === 'allow';
}

function trustContext(caller: Principal, input: AssumeRoleInput, mfa: boolean, region: string): ConditionContext {
  const context = principalContext(caller, region);
  context['aws:multifactorauthpresent'] = String(mfa || caller.mfaAuthenticated);
  context['sts:rolesessionname'] = input.roleSessionName;
  if (input.sourceIdentity) context['sts:sourceidentity'] = input.sourceIdentity;
  context['aws:tagkeys'] = input.tags.map((t) => t.Key);
  for (const tag of input.tags) context[`aws:requesttag/${tag.Key.toLowerCase()}`] = tag.Value;
  return context;
}

function checkTrust(role: RoleDefinition | undefined, caller: Principal, input: AssumeRoleInput, context: ConditionContext, roleArn: string): RoleDefinition {
  if (!role || !trustAllows(role, caller, 'sts:AssumeRole', context)) throw denied(caller.arn, 'sts:AssumeRole', roleArn);
  if (caller.sourceIdentity && input.sourceIdentity && input.sourceIdentity !== caller.sourceIdentity) {
    throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn}: the source identity '${caller.sourceIdentity}' of a role session cannot be changed down a chain`, 403);
  }
  if (input.sourceIdentity && !trustAllows(role, caller, 'sts:SetSourceIdentity', context)) throw denied(caller.arn, 'sts:SetSourceIdentity', roleArn);
  if (input.tags.length > 0 && !trustAllows(role, caller, 'sts:TagSession', context)) throw denied(caller.arn, 'sts:TagSession', roleArn);
  return role;
}

function issue(state: LocalAwsState, role: RoleDefinition, caller: CredentialRecord, input: AssumeRoleInput, facts: { now: number; duration: number; mfa: boolean; packed: number; sessionPolicy?: PolicyDocument }): AssumeRoleResult {
  const sessionName = input.roleSessionName as string;
  const expiresAt = facts.now + facts.duration * 1000;
  const sourceIdentity = input.sourceIdentity ?? caller.principal.sourceIdentity;
  const tags = Object.fromEntries(input.tags.map((t) => [t.Key, t.Value]));
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
    tags,
    mfaAuthenticated: facts.mfa || caller.principal.mfaAuthenticated,
    roleArn: role.arn,
  };
  const record: CredentialRecord = { accessKeyId: principal.accessKeyId, secretAccessKey: randomSecret(), sessionToken: randomSessionToken(), principal, mfaSerial: caller.mfaSerial };
  const session: IssuedSession = {
    accessKeyId: principal.accessKeyId, arn: principal.arn, roleArn: role.arn, roleSessionName: sessionName, callerArn: caller.principal.arn,
    issuedAt: facts.now, expiresAt, durationSeconds: facts.duration, sourceIdentity, tags, sessionPolicy: input.policy,
    packedPolicySize: facts.packed, mfaAuthenticated: principal.mfaAuthenticated,
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
  const identityContext = principalContext(caller, ctx.region);
  if (!authorizePrincipal(caller, 'sts:AssumeRole', roleArn, identityContext).allowed) throw denied(caller.arn, 'sts:AssumeRole', roleArn);
  const mfa = verifyMfa(state, callerRecord, input, ctx.now);
  const role = checkTrust(state.roles.get(roleArn), caller, input, trustContext(caller, input, mfa, ctx.region), roleArn);
  const duration = requestedDuration(input);
  checkDurationForRole(duration, role.maxSessionDuration, caller.kind === 'role-session');
  const packed = packedPolicySize(input.policy, input.tags, input.policyArns);
  checkPackedSize(packed);
  return issue(state, role, callerRecord, input, { now: ctx.now, duration, mfa, packed, sessionPolicy });
}
