// Policy assignments → who an IAM role's trust policy lets in. The extension always assumes
// the caller's own role (a Manager gets Employee grants through the Manager role), so a role
// trusts only the principals assigned to it, never those of roles that inherit it.
//
// Assignment globs match the caller's ARN, but a trust policy sees a role session through
// aws:PrincipalArn as the *role* ARN (with its path), and the session name only in
// aws:userid ("<role id>:<session>"). So a session glob is rewritten into those two keys.
import { hasWildcard, matchesGlob } from '../policy/glob';
import { type AccessPolicy, type Assignment } from '../policy/schema';

/** One entry of a trust policy, grouped later into statements. */
export type TrustPrincipal =
  /** An exact IAM user, role or role-session ARN, named in Principal.AWS. */
  | { kind: 'arn'; arn: string }
  /** Sessions of one role (named in Principal.AWS), narrowed by aws:PrincipalArn / aws:userid. */
  | { kind: 'role'; roleArn: string; principalArnLike: string[]; userIdLike?: string }
  /** A glob over role or user names: the account is the principal and aws:PrincipalArn narrows it. */
  | { kind: 'account'; principalArnLike: string[]; userIdLike?: string };

export interface TrustPrincipals {
  principals: TrustPrincipal[];
  /** Assignments of this role that could not be expressed, in words. */
  warnings: string[];
}

interface Target {
  partition: string;
  accountId: string;
}

const arnParts = /^arn:([^:]*):([^:]*)::([^:]*):(.+)$/;

/** The trust entries for the principals assigned `role` that can live in `target.accountId`. */
export function getTrustPrincipals(policy: AccessPolicy, role: string, target: Target): TrustPrincipals {
  const principals: TrustPrincipal[] = [];
  const warnings: string[] = [];
  policy.assignments.forEach((assignment, index) => {
    if (assignment.role !== role) return;
    const result = toTrustPrincipal(assignment, target);
    if (typeof result === 'string')
      warnings.push(`assignments[${index}] (${assignment.principal ?? assignment.userName}): ${result}`);
    else if (result !== undefined) principals.push(result);
  });
  return { principals, warnings };
}

/** A principal, undefined when it belongs to another account, or why it cannot be trusted. */
function toTrustPrincipal(assignment: Assignment, target: Target): TrustPrincipal | string | undefined {
  if (assignment.userName !== undefined) {
    // A user name matches the user in every account of the policy, under any path; IAM needs
    // the exact ARN, so users with a path need a principal assignment with their full ARN.
    return { kind: 'arn', arn: `arn:${target.partition}:iam::${target.accountId}:user/${assignment.userName}` };
  }
  const pattern = assignment.principal ?? '';
  const parts = arnParts.exec(pattern);
  if (!parts) return 'not an ARN the trust policy can use; it is left out';
  const [, partition = '', service = '', account = '', resource = ''] = parts;
  if (!matchesGlob(partition, target.partition) || !matchesGlob(account, target.accountId)) return undefined;
  const prefix = `arn:${target.partition}:iam::${target.accountId}:`;
  if (service === 'sts' && resource.startsWith('assumed-role/'))
    return fromSessionPattern(pattern, resource.slice('assumed-role/'.length), target, prefix);
  if (service === 'iam' && (resource.startsWith('user/') || resource.startsWith('role/'))) {
    if (!hasWildcard(pattern)) return { kind: 'arn', arn: pattern };
    return { kind: 'account', principalArnLike: [`${prefix}${resource}`] };
  }
  return 'only IAM user and role ARNs and assumed-role session ARNs (or globs of them) can be trusted; it is left out';
}

function fromSessionPattern(pattern: string, rest: string, target: Target, prefix: string): TrustPrincipal | string {
  if (!hasWildcard(pattern)) {
    // IAM accepts an exact role-session ARN as a principal.
    return { kind: 'arn', arn: `arn:${target.partition}:sts::${target.accountId}:assumed-role/${rest}` };
  }
  const slash = rest.indexOf('/');
  if (slash < 0 && !rest.endsWith('*'))
    return 'an assumed-role glob needs "<role>/<session>"; it matches no session and is left out';
  const roleGlob = slash < 0 ? rest : rest.slice(0, slash);
  const sessionGlob = slash < 0 ? '*' : rest.slice(slash + 1);
  const userIdLike = sessionGlob.replace(/^\*+$/, '') === '' ? undefined : `*:${sessionGlob}`;
  const withUserId = userIdLike === undefined ? {} : { userIdLike };
  if (!hasWildcard(roleGlob)) {
    const roleArn = `${prefix}role/${roleGlob}`;
    return { kind: 'role', roleArn, principalArnLike: [roleArn], ...withUserId };
  }
  // The session ARN drops the role's path (Identity Center roles live under /aws-reserved/…),
  // so the role form allows the name at the top level or under any path.
  return {
    kind: 'account',
    principalArnLike: [`${prefix}role/${roleGlob}`, `${prefix}role/*/${roleGlob}`],
    ...withUserId,
  };
}
