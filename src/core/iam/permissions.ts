// The role's permissions: one statement per effective grant, each exactly the statement the
// broker sends as the session policy for that grant, so a session (role ∩ session policy) gets
// what the grant says and the role itself never allows more than the policy grants.
import { getService } from '../catalog';
import { type EffectiveGrant } from '../policy/roles';
import { buildSessionPolicy } from '../sts/sessionPolicy';
import { type IamPolicyDocument, type IamStatement } from './types';

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** `Ec2Read`, `ApigatewayAdmin`: a Sid must be alphanumeric. */
export function getGrantSid(grant: Pick<EffectiveGrant, 'service' | 'level'>): string {
  return `${capitalise(grant.service)}${capitalise(grant.level)}`.replace(/[^A-Za-z0-9]/g, '');
}

export function buildGrantStatement(grant: EffectiveGrant): IamStatement {
  const sessionPolicy = JSON.parse(buildSessionPolicy(grant.service, grant.level, grant.resources)) as IamPolicyDocument;
  const [first] = sessionPolicy.Statement;
  if (!first) throw new Error(`the session policy for ${getService(grant.service).displayName} ${grant.level} has no statement`);
  const statement: IamStatement = { Sid: getGrantSid(grant), Effect: 'Allow', Action: first.Action, Resource: first.Resource ?? '*' };
  // Per statement, so a role mixing MFA and non-MFA grants still needs MFA for the MFA ones:
  // a session assumed without MFA gets only the grants that do not ask for it.
  if (grant.mfa) statement.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  return statement;
}

export function buildPermissionsPolicy(grants: readonly EffectiveGrant[]): IamPolicyDocument {
  return { Version: '2012-10-17', Statement: grants.map(buildGrantStatement) };
}

/** Whether the trust policy should require MFA: only when no grant may be used without it. */
export function isMfaRequiredForRole(grants: readonly EffectiveGrant[]): boolean {
  return grants.length > 0 && grants.every((grant) => grant.mfa);
}
