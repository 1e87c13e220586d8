// Things in a valid policy that are allowed but probably not meant: they do not block the
// policy, they show as warnings in the editor.
import { identityKinds, isMfaRequired, toMfaBy } from './mfa';

const identityKindPlurals = {
  iamUser: 'IAM users',
  identityCenter: 'Identity Center sessions',
  saml: 'SAML sessions',
} as const;
import { hasWildcard } from './glob';
import { type RawProblem } from './jsonText';
import { type AccessPolicy } from './schema';

export function getPolicyWarnings(policy: AccessPolicy): RawProblem[] {
  return [
    ...warnMissingRoleArns(policy),
    ...warnWriteWithoutMfa(policy),
    ...warnUnusedAssignments(policy),
    ...warnUnlistedAccounts(policy),
  ];
}

/** Assigned roles without a role ARN in some account: holders there cannot request access. */
function warnMissingRoleArns(policy: AccessPolicy): RawProblem[] {
  const assigned = new Set(policy.assignments.map((a) => a.role));
  return Object.entries(policy.roles).flatMap(([name, role]) =>
    !assigned.has(name)
      ? []
      : policy.accounts
          .filter((account) => !Object.hasOwn(role.roleArns, account.id))
          .map((account) => ({
            path: ['roles', name, 'roleArns'],
            message: `role "${name}" has no role ARN for account ${account.id} (${account.name}); its holders cannot request access there`,
          })),
  );
}

function warnWriteWithoutMfa(policy: AccessPolicy): RawProblem[] {
  return Object.entries(policy.roles).flatMap(([name, role]) =>
    role.grants.flatMap((grant, i) => {
      const risky = grant.levels.filter((level) => level !== 'read');
      const mfaBy = toMfaBy(grant.mfa);
      const without = identityKinds.filter((kind) => mfaBy[kind] === 'none');
      if (without.length === 0 || risky.length === 0) return [];
      // All kinds: "without MFA"; some: which kinds the object lets in without it.
      const whom = isMfaRequired(mfaBy) ? ` for ${without.map((kind) => identityKindPlurals[kind]).join(' and ')}` : '';
      return [
        {
          path: ['roles', name, 'grants', i, 'mfa'],
          message: `${grant.service} ${risky.join('/')} access without MFA${whom}; set "mfa": true unless this is deliberate`,
        },
      ];
    }),
  );
}

/** A second assignment with the same principal or user name can never be chosen. */
function warnUnusedAssignments(policy: AccessPolicy): RawProblem[] {
  const firstAt = new Map<string, number>();
  return policy.assignments.flatMap((assignment, i) => {
    const key =
      assignment.principal !== undefined
        ? `p:${assignment.principal}`
        : `u:${(assignment.userName ?? '').toLowerCase()}`;
    const first = firstAt.get(key);
    if (first === undefined) {
      firstAt.set(key, i);
      return [];
    }
    return [
      {
        path: ['assignments', i],
        message: `never used: assignments[${first}] has the same ${key.startsWith('p:') ? 'principal' : 'userName'} and comes first`,
      },
    ];
  });
}

/** Principals in accounts the policy does not list get no access at all. */
function warnUnlistedAccounts(policy: AccessPolicy): RawProblem[] {
  const listed = new Set(policy.accounts.map((a) => a.id));
  return policy.assignments.flatMap((assignment, i) => {
    const account = assignment.principal?.split(':')[4];
    if (account === undefined || hasWildcard(account) || listed.has(account)) return [];
    return [
      {
        path: ['assignments', i, 'principal'],
        message: `account ${account} is not listed in "accounts", so this assignment grants nothing`,
      },
    ];
  });
}
