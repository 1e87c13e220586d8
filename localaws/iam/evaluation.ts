// IAM policy evaluation for calls the local endpoint serves: an explicit Deny anywhere
// wins; otherwise the action needs an Allow from the principal's own permissions AND,
// for a session that carries one, from its session policy (the intersection).

import { conditionsHold, type ConditionContext } from './conditions';
import { substituteVariables } from './policyVariables';
import type { PolicyDocument, PolicyStatement, Principal } from '../server/types';
import { actionMatches, resourceMatches } from './wildcard';

export { actionMatches, resourceMatches } from './wildcard';
export type { ConditionContext } from './conditions';

export type Decision = 'allow' | 'deny' | 'none';

export function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function asList(value: string | string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}

function statementApplies(
  statement: PolicyStatement,
  action: string,
  resource: string,
  context: ConditionContext,
  variables: boolean,
): boolean {
  const actions = asList(statement.Action);
  const notActions = asList(statement.NotAction);
  if (actions && !actions.some((p) => actionMatches(p, action))) return false;
  if (notActions && notActions.some((p) => actionMatches(p, action))) return false;
  if (!actions && !notActions) return false;
  // Policy variables in Resource: a pattern naming an absent key matches no resource.
  const matches = (p: string) => {
    const pattern = variables ? substituteVariables(p, context) : p;
    return pattern !== undefined && resourceMatches(pattern, resource);
  };
  const resources = asList(statement.Resource);
  const notResources = asList(statement.NotResource);
  if (resources && !resources.some(matches)) return false;
  if (notResources && notResources.some(matches)) return false;
  return conditionsHold(statement.Condition, context, variables);
}

/** The combined decision of a set of documents: any matching Deny → 'deny'. */
export function evaluatePolicies(
  docs: readonly PolicyDocument[],
  action: string,
  resource = '*',
  context: ConditionContext = {},
): Decision {
  let allowed = false;
  for (const doc of docs) {
    // Policy variables exist only from Version 2012-10-17 on (policy variables page).
    const variables = doc.Version === '2012-10-17';
    for (const statement of statementsOf(doc)) {
      if (!statementApplies(statement, action, resource, context, variables)) continue;
      if (statement.Effect === 'Deny') return 'deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'none';
}

export type DenialReason = 'identity-deny' | 'session-deny' | 'no-identity-allow' | 'no-session-allow';

export interface Authorization {
  allowed: boolean;
  reason?: DenialReason;
}

export function authorizePrincipal(
  principal: Pick<Principal, 'permissions' | 'sessionPolicy'>,
  action: string,
  resource = '*',
  context: ConditionContext = {},
): Authorization {
  const identity = evaluatePolicies(principal.permissions, action, resource, context);
  const session = principal.sessionPolicy
    ? evaluatePolicies([principal.sessionPolicy], action, resource, context)
    : 'allow';
  if (identity === 'deny') return { allowed: false, reason: 'identity-deny' };
  if (session === 'deny') return { allowed: false, reason: 'session-deny' };
  if (identity !== 'allow') return { allowed: false, reason: 'no-identity-allow' };
  if (session !== 'allow') return { allowed: false, reason: 'no-session-allow' };
  return { allowed: true };
}

const reasonText: Record<DenialReason, (action: string) => string> = {
  'identity-deny': () => 'with an explicit deny in an identity-based policy',
  'session-deny': () => 'with an explicit deny in a session policy',
  'no-identity-allow': (action) => `because no identity-based policy allows the ${action} action`,
  'no-session-allow': (action) => `because no session policy allows the ${action} action`,
};

/** AWS's wording: "User: <arn> is not authorized to perform: <action> [on resource: <r>] <why>". */
export function accessDeniedMessage(
  arn: string,
  action: string,
  resource: string | undefined,
  reason?: DenialReason,
): string {
  const on = resource && resource !== '*' ? ` on resource: ${resource}` : '';
  const why = reason ? ` ${reasonText[reason](action)}` : '';
  return `User: ${arn} is not authorized to perform: ${action}${on}${why}`;
}

/** Temporary credentials: role sessions and anything else that expires (not IAM user keys). */
export function usesTemporaryCredentials(principal: Pick<Principal, 'kind' | 'expiresAt'>): boolean {
  return principal.kind === 'role-session' || principal.expiresAt !== undefined;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The condition keys IAM derives from the calling principal itself (and, given `now`, the
 * time keys). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export function principalContext(principal: Principal, region: string, now?: number): ConditionContext {
  const context: ConditionContext = {
    'aws:principalarn': principal.roleArn ?? principal.arn,
    'aws:principalaccount': principal.accountId,
    'aws:userid': principal.userId,
    'aws:requestedregion': region,
    'aws:principaltype': principal.kind === 'user' ? 'User' : 'AssumedRole',
  };
  // aws:MultiFactorAuthPresent: "included in the request context only when the principal uses
  // temporary credentials … not present in AWS CLI, AWS API, or AWS SDK requests that are made
  // using long-term credentials" (condition keys page, aws:MultiFactorAuthPresent).
  if (usesTemporaryCredentials(principal)) context['aws:multifactorauthpresent'] = String(principal.mfaAuthenticated);
  // aws:MultiFactorAuthAge: seconds since the MFA authentication, "not present" without MFA.
  if (principal.mfaAuthenticated && principal.mfaAuthenticatedAt !== undefined && now !== undefined) {
    context['aws:multifactorauthage'] = String(Math.max(0, Math.floor((now - principal.mfaAuthenticatedAt) / 1000)));
  }
  if (principal.kind === 'user') context['aws:username'] = principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
  if (now !== undefined) {
    context['aws:currenttime'] = isoSeconds(now);
    context['aws:epochtime'] = String(Math.floor(now / 1000));
  }
  // aws:SourceIdentity: present for every action of a session that has one (condition keys page).
  if (principal.sourceIdentity) context['aws:sourceidentity'] = principal.sourceIdentity;
  // aws:PrincipalTag/<key>: the user's or role's tags and, for a session, its session tags
  // (already merged over the role's tags when the session was issued: sts/assumeRole.ts).
  for (const [key, value] of Object.entries(principal.tags ?? {}))
    context[`aws:principaltag/${key.toLowerCase()}`] = value;
  return context;
}
