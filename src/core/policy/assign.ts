// Who holds which role. The most specific assignment wins: an exact ARN, then an IAM user
// name, then the glob with the most literal characters; ties go to the first in the document.
import { type ServiceId } from '../catalog';
import { countLiterals, hasWildcard, matchesGlob } from './glob';
import { type EffectiveGrant, getAllowedServices, getEffectiveGrants, getRole, isAdminRole } from './roles';
import { type AccessPolicy, type AccountSpec, type Assignment } from './schema';

export interface Caller {
  arn: string;
  account: string;
}

export interface RoleResolution {
  role: string;
  assignmentIndex: number;
  matchedBy: 'arn' | 'userName' | 'glob';
  /** The principal ARN, glob or user name that matched. */
  pattern: string;
}

export interface AccessResolution {
  role: string;
  resolution: RoleResolution;
  account: AccountSpec;
  /** The IAM role to assume in the caller's account; undefined when the role has none there. */
  roleArn: string | undefined;
  grants: EffectiveGrant[];
  services: ServiceId[];
  admin: boolean;
}

const rankOf = { arn: 3, userName: 2, glob: 1 } as const;

/** The IAM user name of `arn:<partition>:iam::<account>:user/<path/>name`; role sessions have none. */
export function getIamUserName(arn: string): { account: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  return match ? { account: match[1]!, name: match[2]! } : undefined;
}

function matchAssignment(
  policy: AccessPolicy,
  assignment: Assignment,
  caller: Caller,
): RoleResolution['matchedBy'] | undefined {
  if (assignment.principal !== undefined) {
    if (!hasWildcard(assignment.principal)) return assignment.principal === caller.arn ? 'arn' : undefined;
    return matchesGlob(assignment.principal, caller.arn) ? 'glob' : undefined;
  }
  if (assignment.userName === undefined) return undefined;
  const user = getIamUserName(caller.arn);
  // IAM user names are unique regardless of case, so compare them that way.
  const listed = user !== undefined && policy.accounts.some((account) => account.id === user.account);
  return listed && user.name.toLowerCase() === assignment.userName.toLowerCase() ? 'userName' : undefined;
}

/** The role the caller holds, and which assignment gave it; undefined when none matches. */
export function resolveRole(policy: AccessPolicy, caller: Caller): RoleResolution | undefined {
  let best: RoleResolution | undefined;
  let bestLiterals = 0;
  policy.assignments.forEach((assignment, index) => {
    const matchedBy = matchAssignment(policy, assignment, caller);
    if (matchedBy === undefined) return;
    const pattern = assignment.principal ?? assignment.userName ?? '';
    const literals = matchedBy === 'glob' ? countLiterals(pattern) : 0;
    const better =
      !best ||
      rankOf[matchedBy] > rankOf[best.matchedBy] ||
      (rankOf[matchedBy] === rankOf[best.matchedBy] && literals > bestLiterals);
    if (better) {
      best = { role: assignment.role, assignmentIndex: index, matchedBy, pattern };
      bestLiterals = literals;
    }
  });
  return best;
}

/**
 * Everything the caller may do: their role, its effective grants and services, the IAM role to
 * assume. Undefined when no assignment matches or the caller's account is not in the policy.
 */
export function resolveAccess(policy: AccessPolicy, caller: Caller): AccessResolution | undefined {
  const resolution = resolveRole(policy, caller);
  const account = policy.accounts.find((a) => a.id === caller.account);
  if (!resolution || !account) return undefined;
  const role = getRole(policy, resolution.role);
  if (!role) return undefined;
  const grants = getEffectiveGrants(policy, resolution.role);
  return {
    role: resolution.role,
    resolution,
    account,
    roleArn: Object.hasOwn(role.roleArns, caller.account) ? role.roleArns[caller.account] : undefined,
    grants,
    services: getAllowedServices(grants),
    admin: isAdminRole(policy, resolution.role),
  };
}
