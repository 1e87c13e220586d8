// "What would this principal get?" for the admin panel: the very resolveRole/resolveAccess
// the extension runs on the signed-in identity, applied to an ARN the admin types, with
// an explanation of each way it can come out empty.
import { isRoleSession, parseArn } from '../arn';
import { getIdentityKind } from '../identity';
import { describeMfaMethod, getMfaMethod, type IdentityKind, identityKindLabels } from '../policy/mfa';
import { type AccessResolution, resolveAccess, resolveRole, type RoleResolution } from '../policy/assign';
import { type EffectiveGrant } from '../policy/roles';
import { type AccessPolicy } from '../policy/schema';

export type PrincipalSimulation =
  | { valid: false; arn: string; explanation: string }
  | {
      valid: true;
      arn: string;
      account: string;
      /** The assignment that matched, even when the account is not in the policy. */
      resolution: RoleResolution | undefined;
      /** What the extension would act on; undefined means nothing is granted. */
      access: AccessResolution | undefined;
      grants: EffectiveGrant[];
      admin: boolean;
      /** How the principal's MFA is met depends on its kind (policy/mfa.ts). */
      identityKind: IdentityKind;
      explanation: string;
      warnings: string[];
    };

const maxArnLength = 2048;
const expected =
  'expected arn:aws:iam::<12-digit account>:user/<name>, arn:aws:iam::<account>:role/<name> or arn:aws:sts::<account>:assumed-role/<role>/<session>';
const matchedByText = { arn: 'its exact ARN', userName: 'IAM user name', glob: 'glob' } as const;

/** Why the ARN cannot be a caller identity, or undefined when it can. */
export function getPrincipalArnProblem(arn: string): string | undefined {
  if (arn === '') return `No ARN given: ${expected}`;
  if (arn.length > maxArnLength) return `The ARN is longer than ${maxArnLength} characters: ${expected}`;
  if (/[*?]/.test(arn)) return `That is a glob, not a principal: simulate one concrete ARN (${expected})`;
  const parsed = parseArn(arn);
  if (!parsed) return `Not an ARN: ${expected}`;
  if (parsed.service !== 'iam' && parsed.service !== 'sts')
    return `Not a principal ARN (service ${parsed.service}): ${expected}`;
  if (!/^\d{12}$/.test(parsed.account)) return `The ARN has no 12-digit account id: ${expected}`;
  if (!/^(user|role|assumed-role|federated-user|root)(\/|$)/.test(parsed.resource))
    return `Not a user, role or session ARN (${parsed.resource.split('/')[0]}): ${expected}`;
  return undefined;
}

function explainMatch(policy: AccessPolicy, resolution: RoleResolution): string {
  const how =
    resolution.matchedBy === 'arn' ? matchedByText.arn : `${matchedByText[resolution.matchedBy]} ${resolution.pattern}`;
  return `Assignment #${resolution.assignmentIndex + 1} of ${policy.assignments.length} matches by ${how}: role ${resolution.role}.`;
}

export function simulatePrincipal(policy: AccessPolicy, rawArn: string): PrincipalSimulation {
  const arn = rawArn.trim();
  const problem = getPrincipalArnProblem(arn);
  if (problem !== undefined) return { valid: false, arn, explanation: problem };
  const account = parseArn(arn)!.account;
  const caller = { arn, account };
  const resolution = resolveRole(policy, caller);
  const access = resolveAccess(policy, caller);
  const identityKind = getIdentityKind(arn);
  const base = {
    valid: true as const,
    arn,
    account,
    resolution,
    access,
    grants: access?.grants ?? [],
    admin: access?.admin ?? false,
    identityKind,
    warnings: [] as string[],
  };
  if (resolution === undefined) {
    return {
      ...base,
      explanation: `No assignment matches this ARN (${policy.assignments.length} checked: exact ARNs, then IAM user names in listed accounts, then globs), so InfraWatch grants nothing. Add an assignment for it.`,
    };
  }
  if (access === undefined) {
    const listed = policy.accounts.map((a) => a.id).join(', ');
    return {
      ...base,
      explanation: `${explainMatch(policy, resolution)} But account ${account} is not one of the policy's accounts (${listed}), so nothing is granted.`,
    };
  }
  if (access.roleArn === undefined)
    base.warnings.push(
      `Role ${access.role} has no IAM role ARN for account ${account}; every request would fail. Add one under roles.${access.role}.roleArns.`,
    );
  if (access.grants.length === 0) base.warnings.push(`Role ${access.role} grants no service.`);
  const summary = `${access.grants.length} grant${access.grants.length === 1 ? '' : 's'} over ${access.services.length} service${access.services.length === 1 ? '' : 's'}${access.admin ? '; admin panel allowed' : ''}.`;
  return {
    ...base,
    explanation: `${explainMatch(policy, resolution)} ${summary} ${explainMfa(base.grants, identityKind, arn)}`.trim(),
  };
}

/**
 * How this principal meets its grants' MFA, and what IAM can check of it; for a role session,
 * the 1-hour cap AWS puts on sessions it assumes (role chaining).
 */
export function explainMfa(grants: readonly EffectiveGrant[], kind: IdentityKind, arn: string): string {
  const methods = new Set(grants.map((g) => getMfaMethod(g, kind)));
  const parts: string[] = [];
  const who = identityKindLabels[kind].replace(/^./, (c) => c.toUpperCase());
  if (methods.has('totp'))
    parts.push(
      `${who}: MFA is a TOTP code at AssumeRole, which IAM verifies${methods.size > 1 ? ' (for the grants that require MFA)' : ''}.`,
    );
  if (methods.has('signIn')) {
    const signIn = describeMfaMethod('signIn', kind);
    parts.push(
      `${who}: MFA is met by ${signIn.startsWith('the ') ? signIn : `the ${signIn}`} (IAM cannot verify it); no TOTP code is asked${methods.size > 1 ? ' for the grants that require MFA' : ''}.`,
    );
  }
  if (methods.size === 1 && methods.has('none') && grants.length > 0) parts.push(`${who}: no grant requires MFA.`);
  if (isRoleSession(arn)) parts.push('Its sessions last at most 1 hour (role chaining): it is itself a role session.');
  return parts.join(' ');
}
