// The role's permissions: per effective grant, exactly the statements the broker sends as the
// session policy for that grant, each applying only to a session whose tags name that grant
// (aws:PrincipalTag: session tags become the session's principal tags). So the role's
// permissions apply per service and level only through the session's tags: a session tagged
// rds/read gets RDS read and nothing else, with or without a session policy.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
import { getService } from '../catalog';
import { needsTotp } from '../policy/mfa';
import { type EffectiveGrant } from '../policy/roles';
import { getAssumedRoleMaxSessionSeconds } from '../sts/duration';
import { sessionTagKeys } from '../sts/naming';
import { buildSessionPolicy } from '../sts/sessionPolicy';
import { type IamConditionBlock, type IamPolicyDocument, type IamStatement } from './types';

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const principalTag = (key: string): string => `aws:PrincipalTag/${key}`;

/** `Ec2Read`, `ApigatewayAdmin`: a Sid must be alphanumeric. */
export function getGrantSid(grant: Pick<EffectiveGrant, 'service' | 'level'>): string {
  return `${capitalise(grant.service)}${capitalise(grant.level)}`.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * When the statement applies: the session's service and level tags, MFA where the grant asks
 * (per statement, so a role mixing MFA and non-MFA grants still needs MFA for the MFA ones),
 * and the reason / ticket tags where the grant requires them.
 *
 * A grant shorter than the role's MaxSessionDuration cannot shorten the session (STS has no
 * DurationSeconds condition for AssumeRole); for an MFA grant the statement stops applying
 * once aws:MultiFactorAuthAge (seconds since the MFA code, i.e. since AssumeRole) passes it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthage
 */
export interface GrantConditionOptions {
  /**
   * The role also trusts role sessions (Identity Center, SAML), whose aws:MultiFactorAuthPresent
   * is "false" whatever their sign-in did: a session's permissions cannot tell them from an IAM
   * user without MFA, so MFA is checked at AssumeRole only (the trust policy, IAM users only),
   * and the MFA age only where MFA was used (…IfExists: the key is absent without MFA).
   */
  trustsRoleSessions?: boolean;
}

export function getGrantCondition(
  grant: EffectiveGrant,
  roleMaxSessionSeconds: number,
  options: GrantConditionOptions = {},
): IamConditionBlock {
  const condition: IamConditionBlock = {
    StringEquals: {
      [principalTag(sessionTagKeys.service)]: grant.service,
      [principalTag(sessionTagKeys.level)]: grant.level,
    },
  };
  const totp = needsTotp(grant, 'iamUser');
  if (totp && !options.trustsRoleSessions) condition['Bool'] = { 'aws:MultiFactorAuthPresent': 'true' };
  if (totp && grant.maxMinutes * 60 < roleMaxSessionSeconds) {
    condition[options.trustsRoleSessions ? 'NumericLessThanIfExists' : 'NumericLessThan'] = {
      'aws:MultiFactorAuthAge': String(grant.maxMinutes * 60),
    };
  }
  const required: Record<string, string> = {};
  if (grant.reason) required[principalTag(sessionTagKeys.reason)] = 'false';
  if (grant.ticket) required[principalTag(sessionTagKeys.ticket)] = 'false';
  if (Object.keys(required).length > 0) condition['Null'] = required;
  return condition;
}

/** The grant's session policy statements, each with the grant's condition; Sids `RdsRead`, `RdsRead2`, … */
export function buildGrantStatements(
  grant: EffectiveGrant,
  roleMaxSessionSeconds: number,
  options: GrantConditionOptions = {},
): IamStatement[] {
  const sessionPolicy = JSON.parse(
    buildSessionPolicy(grant.service, grant.level, grant.resources),
  ) as IamPolicyDocument;
  if (sessionPolicy.Statement.length === 0)
    throw new Error(`the session policy for ${getService(grant.service).displayName} ${grant.level} has no statement`);
  const condition = getGrantCondition(grant, roleMaxSessionSeconds, options);
  return sessionPolicy.Statement.map((s, i) => ({
    Sid: `${getGrantSid(grant)}${i > 0 ? i + 1 : ''}`,
    // A scoped grant's policy is "Allow the level on *; Deny the resource-scoped actions on
    // NotResource <patterns>" (sts/sessionPolicy.ts): keep each statement's effect and scope.
    Effect: s.Effect,
    Action: s.Action,
    ...(s.NotResource !== undefined ? { NotResource: s.NotResource } : { Resource: s.Resource ?? '*' }),
    Condition: { ...condition, ...mergeable(s.Condition, condition) },
  }));
}

/** A session policy statement's own conditions, kept; an operator both use is merged. */
function mergeable(own: IamConditionBlock | undefined, ours: IamConditionBlock): IamConditionBlock {
  const merged: IamConditionBlock = {};
  for (const [operator, keys] of Object.entries(own ?? {})) merged[operator] = { ...(ours[operator] ?? {}), ...keys };
  return merged;
}

export function buildPermissionsPolicy(
  grants: readonly EffectiveGrant[],
  options: GrantConditionOptions = {},
): IamPolicyDocument {
  const roleMax = getAssumedRoleMaxSessionSeconds(grants);
  return { Version: '2012-10-17', Statement: grants.flatMap((g) => buildGrantStatements(g, roleMax, options)) };
}
