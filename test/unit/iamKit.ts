// Helpers for the IAM kit tests: read a generated template back, and decide AssumeRole the way
// IAM does (principal match + conditions), with the local endpoint's policy evaluator.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type CfnRoleResource, type CfnTemplate, type IamPolicyDocument, type IamStatement } from '../../src/core/iam/types';
import { parsePolicy } from '../../src/core/policy/parse';
import { type AccessPolicy } from '../../src/core/policy/schema';
import { type ConditionContext, evaluatePolicies } from '../localaws/iam';
import type { PolicyDocument } from '../localaws/types';

export const demoAccount = '111122223333';
export const demoPolicyText = readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8');

export function parseOk(text: string): AccessPolicy {
  const result = parsePolicy(text);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems, null, 2));
  return result.policy;
}

/** A policy with one account, built from a few roles and assignments. */
export function policyWith(roles: Record<string, unknown>, assignments: unknown[]): AccessPolicy {
  return parseOk(JSON.stringify({ version: 1, accounts: [{ id: demoAccount, name: 'demo', region: 'us-east-1' }], roles, assignments }));
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
  assert.ok(found, `no AWS::IAM::Role named ${roleName}; have ${rolesOf(template).map((r) => r.Properties.RoleName).join(', ')}`);
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
  mfa: boolean;
  tagKeys?: string[];
}

/** Whether the trust policy lets the caller perform `action` (an sts: action) on the role. */
export function trustAllows(trust: IamPolicyDocument, caller: TestCaller, action: string): boolean {
  const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(caller.arn)?.[1];
  const ids = [caller.arn, caller.roleArn, `arn:aws:iam::${account}:root`].filter(Boolean);
  const statements = trust.Statement.filter((s) => {
    const named = s.Principal === undefined ? [] : [s.Principal.AWS].flat();
    return named.some((p) => ids.includes(p));
  });
  const context: ConditionContext = {
    'aws:principalarn': caller.roleArn ?? caller.arn,
    'aws:userid': caller.userId ?? 'AIDAEXAMPLE',
    'aws:multifactorauthpresent': String(caller.mfa),
    'aws:tagkeys': caller.tagKeys ?? ['infrawatch:request-id', 'infrawatch:service', 'infrawatch:level'],
  };
  return evaluatePolicies([{ Statement: statements } as PolicyDocument], action, '*', context) === 'allow';
}

/** All three actions the broker's AssumeRole needs. */
export function canAssume(trust: IamPolicyDocument, caller: TestCaller): boolean {
  return ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'].every((action) => trustAllows(trust, caller, action));
}

export function permissionAllows(role: CfnRoleResource['Properties'], action: string, mfa: boolean, resource = '*'): boolean {
  const docs = (role.Policies ?? []).map((p) => p.PolicyDocument as unknown as PolicyDocument);
  return evaluatePolicies(docs, action, resource, { 'aws:multifactorauthpresent': String(mfa) }) === 'allow';
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
