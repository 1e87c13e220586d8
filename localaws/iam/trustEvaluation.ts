// Whether the caller may perform one sts: action (AssumeRole, TagSession, SetSourceIdentity)
// on a role: the role's trust policy and, depending on how it names the caller, the caller's own
// policies. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//
// - An explicit Deny in the trust policy, the caller's identity policies or its session policy wins.
// - Role trust policies "must explicitly allow access for principals": no trust Allow, no access.
// - Same account, trust names the caller itself (the IAM user ARN, or the role-session ARN): the
//   trust policy alone suffices; an implicit deny in the caller's identity or session policy does
//   not limit it ("Resource-based policies" in the page above).
// - Same account, trust names the caller's role ARN: "limited by an implicit deny in a
//   permissions boundary or session policy" — so the session policy must allow it too.
// - Trust names the account (`arn:aws:iam::<acct>:root` or the bare id): that "delegates authority
//   to the account" (reference_policies_elements_principal.html), so the caller's identity policy
//   (and session policy) must allow the action as well. Cross-account callers always need it.

import { evaluatePolicies, statementsOf, type ConditionContext } from './evaluation';
import type { PolicyDocument, PolicyStatement, Principal } from '../server/types';

type Match = 'direct' | 'role' | 'account';
const rank: Record<Match, number> = { direct: 3, role: 2, account: 1 };

function named(statement: PolicyStatement): string[] {
  if (statement.Principal === '*') return ['*'];
  const aws = statement.Principal?.AWS;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
}

function accountOf(arn: string): string | undefined {
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

/** How a trust statement names the caller, if it does. */
function principalMatch(statement: PolicyStatement, caller: Principal): Match | undefined {
  const names = named(statement);
  // "*" lets every principal in directly (the trust policy is then the whole grant).
  if (names.includes('*') || names.includes(caller.arn)) return 'direct';
  if (caller.roleArn !== undefined && names.includes(caller.roleArn)) return 'role';
  const account = caller.accountId;
  if (names.some((n) => n === account || (n.endsWith(':root') && accountOf(n) === account))) return 'account';
  return undefined;
}

type TrustGrant = Match | 'deny' | 'none';

export function trustGrant(
  trust: PolicyDocument,
  caller: Principal,
  action: string,
  roleArn: string,
  context: ConditionContext,
): TrustGrant {
  let best: Match | undefined;
  for (const statement of statementsOf(trust)) {
    const how = principalMatch(statement, caller);
    if (!how) continue;
    const decision = evaluatePolicies([{ Version: trust.Version, Statement: [statement] }], action, roleArn, context);
    if (decision === 'deny') return 'deny';
    if (decision === 'allow' && (best === undefined || rank[how] > rank[best])) best = how;
  }
  return best ?? 'none';
}

export interface AssumeActionCheck {
  trust: PolicyDocument;
  roleArn: string;
  roleAccountId: string;
  caller: Principal;
  action: string;
  context: ConditionContext;
  /** Also require the caller's own policy to allow it, however the trust names the caller. */
  identityRequired?: boolean;
}

export function assumeActionAllowed(check: AssumeActionCheck): boolean {
  const { caller, action, roleArn, context } = check;
  const trust = trustGrant(check.trust, caller, action, roleArn, context);
  const identity = evaluatePolicies(caller.permissions, action, roleArn, context);
  const session = caller.sessionPolicy ? evaluatePolicies([caller.sessionPolicy], action, roleArn, context) : 'allow';
  if (trust === 'deny' || identity === 'deny' || session === 'deny' || trust === 'none') return false;
  const sameAccount = caller.accountId === check.roleAccountId;
  if (sameAccount && !check.identityRequired) {
    if (trust === 'direct') return true;
    if (trust === 'role') return session === 'allow';
  }
  return identity === 'allow' && session === 'allow';
}
