// Helpers for the IAM kit tests: read a generated template back, and decide AssumeRole the way
// IAM does (principal match + conditions), with the local endpoint's policy evaluator.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type CfnRoleResource, type CfnTemplate, type IamStatement } from '../../src/core/iam/types';
import { parsePolicy } from '../../src/core/policy/parse';
import { type AccessPolicy } from '../../src/core/policy/schema';
import { type ConditionContext, evaluatePolicies } from '../../localaws/iam/evaluation';
import type { PolicyDocument } from '../../localaws/server/types';

export const demoAccount = '111122223333';
export const demoPolicyText = readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8');

export function parseOk(text: string): AccessPolicy {
  const result = parsePolicy(text);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems, null, 2));
  return result.policy;
}

/** A policy with one account, built from a few roles and assignments. */
export function policyWith(roles: Record<string, unknown>, assignments: unknown[]): AccessPolicy {
  return parseOk(
    JSON.stringify({
      version: 1,
      accounts: [{ id: demoAccount, name: 'demo', region: 'us-east-1' }],
      roles,
      assignments,
    }),
  );
}

/** The template as a deployer would read it: through JSON text, not the object we built. */
export function roundTrip(template: CfnTemplate): CfnTemplate {
  return JSON.parse(JSON.stringify(template)) as CfnTemplate;
}

/** The template's roles, in order; the audit writer's managed policy is left out. */
export function rolesOf(template: CfnTemplate): CfnRoleResource[] {
  return Object.values(template.Resources).filter((r): r is CfnRoleResource => r.Type === 'AWS::IAM::Role');
}

export function roleByName(template: CfnTemplate, roleName: string): CfnRoleResource['Properties'] {
  const found = rolesOf(template).find((r) => r.Properties.RoleName === roleName);
  assert.ok(
    found,
    `no AWS::IAM::Role named ${roleName}; have ${rolesOf(template)
      .map((r) => r.Properties.RoleName)
      .join(', ')}`,
  );
  return found.Properties;
}

export function grantsOf(role: CfnRoleResource['Properties']): IamStatement[] {
  return role.Policies?.flatMap((p) => p.PolicyDocument.Statement) ?? [];
}

export interface TestCaller {
  /** The caller's ARN (IAM user, or STS assumed-role session). */
  arn: string;
  /** For a role session: the role's full ARN, with its path (what aws:PrincipalArn holds). */
  roleArn?: string;
  /** For a role session: `<role id>:<session name>`. */
  userId?: string;
  /** MFA code given. Without one, the key is absent for an IAM user's access keys, false for a role session. */
  mfa: boolean;
  /** The session tags; default: what InfraWatch sends for the role's first grant. */
  tags?: Record<string, string>;
  /** The SourceIdentity; default: what InfraWatch sends (the user or session name); '' for none. */
  sourceIdentity?: string;
}

type Role = CfnRoleResource['Properties'];

/** The tags InfraWatch sends for a grant: request id, service, level, and reason/ticket where required. */
export function tagsFor(
  service: string,
  level: string,
  extra: { reason?: boolean; ticket?: boolean } = {},
): Record<string, string> {
  return {
    'infrawatch:request-id': '0a1b2c3d4e',
    'infrawatch:service': service,
    'infrawatch:level': level,
    ...(extra.reason ? { 'infrawatch:reason': 'incident 42' } : {}),
    ...(extra.ticket ? { 'infrawatch:ticket': 'OPS-42' } : {}),
  };
}

/** The tags for the role's first grant, read back from its permissions (their PrincipalTag conditions). */
export function firstGrantTags(role: Role): Record<string, string> {
  const condition = grantsOf(role)[0]?.Condition ?? {};
  const equals = condition['StringEquals'] ?? {};
  const nulls = condition['Null'] ?? {};
  return tagsFor(
    String(equals['aws:PrincipalTag/infrawatch:service']),
    String(equals['aws:PrincipalTag/infrawatch:level']),
    {
      reason: 'aws:PrincipalTag/infrawatch:reason' in nulls,
      ticket: 'aws:PrincipalTag/infrawatch:ticket' in nulls,
    },
  );
}

const callerName = (arn: string): string => arn.split('/').pop() ?? arn;
const isUser = (caller: TestCaller): boolean => /:user\//.test(caller.arn);

/** IAM resolves `${aws:username}` for IAM users; for anyone else the condition cannot match. */
function resolveVariables(statements: IamStatement[], caller: TestCaller): IamStatement[] {
  const username = isUser(caller) ? callerName(caller.arn) : '(no aws:username)';
  return JSON.parse(JSON.stringify(statements).replaceAll('${aws:username}', username)) as IamStatement[];
}

/** Whether the trust policy lets the caller perform `action` (an sts: action) on the role, as AssumeRole with these tags. */
export function trustAllows(role: Role, caller: TestCaller, action: string): boolean {
  const trust = role.AssumeRolePolicyDocument;
  const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(caller.arn)?.[1];
  const ids = ['*', caller.arn, caller.roleArn, `arn:aws:iam::${account}:root`].filter(Boolean);
  const statements = resolveVariables(trust.Statement, caller).filter((s) => {
    const named = s.Principal === undefined ? [] : [s.Principal.AWS].flat();
    return named.some((p) => ids.includes(p));
  });
  const tags = caller.tags ?? firstGrantTags(role);
  const source = caller.sourceIdentity ?? callerName(caller.arn);
  const context: ConditionContext = {
    'aws:principalarn': caller.roleArn ?? caller.arn,
    'aws:userid': caller.userId ?? 'AIDAEXAMPLE',
    'aws:multifactorauthpresent': caller.mfa ? 'true' : isUser(caller) ? undefined : 'false',
    'aws:tagkeys': Object.keys(tags),
    ...(source === '' ? {} : { 'sts:sourceidentity': source }),
  };
  for (const [key, value] of Object.entries(tags)) context[`aws:requesttag/${key.toLowerCase()}`] = value;
  return evaluatePolicies([{ Statement: statements } as PolicyDocument], action, '*', context) === 'allow';
}

/** All three actions the broker's AssumeRole needs. */
export function canAssume(role: Role, caller: TestCaller): boolean {
  return ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'].every((action) =>
    trustAllows(role, caller, action),
  );
}

/** Whether a session of the role with these tags (no session policy) may call `action`. */
export function permissionAllows(
  role: Role,
  action: string,
  session: { mfa: boolean; tags: Record<string, string>; mfaAgeSeconds?: number },
  resource = '*',
): boolean {
  const docs = (role.Policies ?? []).map((p) => p.PolicyDocument as unknown as PolicyDocument);
  const context: ConditionContext = { 'aws:multifactorauthpresent': String(session.mfa) };
  if (session.mfa) context['aws:multifactorauthage'] = String(session.mfaAgeSeconds ?? 60);
  for (const [key, value] of Object.entries(session.tags)) context[`aws:principaltag/${key.toLowerCase()}`] = value;
  return evaluatePolicies(docs, action, resource, context) === 'allow';
}

export const erin: TestCaller = { arn: `arn:aws:iam::${demoAccount}:user/erin.employee`, mfa: true };
export const max: TestCaller = { arn: `arn:aws:iam::${demoAccount}:user/max.manager`, mfa: true };
export const ada: TestCaller = { arn: `arn:aws:iam::${demoAccount}:user/ada.admin`, mfa: true };
export function ssoSession(permissionSet: string, session: string, mfa = true): TestCaller {
  const roleName = `AWSReservedSSO_${permissionSet}_0123456789abcdef`;
  return {
    arn: `arn:aws:sts::${demoAccount}:assumed-role/${roleName}/${session}`,
    roleArn: `arn:aws:iam::${demoAccount}:role/aws-reserved/sso.amazonaws.com/${roleName}`,
    userId: `AROAEXAMPLEROLEID:${session}`,
    mfa,
  };
}
