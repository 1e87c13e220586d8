// The trust policy (AssumeRolePolicyDocument) of one InfraWatch role. Two halves:
// - "who": one Allow per principal group, requiring the InfraWatch request id tag, no tag key
//   the broker would not send, a SourceIdentity bound to the caller where IAM can bind it,
//   and MFA when every grant needs it;
// - "what": Deny statements (trustGrants.ts) refusing tags that name no grant of the role, or
//   a grant without its MFA / reason / ticket.
// So `aws sts assume-role` outside InfraWatch gets a session only with the tags InfraWatch
// would send, and the role's permissions (permissions.ts) follow those tags.
import { type EffectiveGrant } from '../policy/roles';
import { requestIdTagPattern, sanitizeSourceIdentity, sessionTagKeys } from '../sts/naming';
import {
  buildGrantDenies,
  getAllowedTagKeys,
  isMfaRequiredForTrust,
  requestTag,
  requirements,
  trustActions,
} from './trustGrants';
import { type TrustPrincipal } from './trustPrincipals';
import { type IamConditionBlock, type IamPolicyDocument, type IamStatement } from './types';

export { trustActions } from './trustGrants';

/**
 * The SourceIdentity IAM can hold a principal to. For IAM users `${aws:username}`, which is
 * what the broker sends (the user name, path dropped), as AWS's own example does:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
 * For a role session with a fixed session name, that name. For other role sessions (an
 * Identity Center glob) nothing can: the only variable naming the session, aws:userid, is
 * `<role id>:<session>` and a SourceIdentity may not contain ':'; those only need one set.
 */
export type SourceIdentityBinding = { equals: string } | 'present';

export const usernameVariable = '${aws:username}';

export interface TrustOptions {
  partition: string;
  accountId: string;
  grants: readonly EffectiveGrant[];
  /**
   * False leaves the reason / ticket Denies out (the permissions still require them), and the
   * MFA ones too unless the role trusts role sessions: then the permissions cannot check MFA.
   */
  requirementDenies?: boolean;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function listOrOne(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : values;
}

const isUserArn = (arn: string): boolean => /^arn:[^:]+:iam::\d{12}:user\//.test(arn);

/**
 * Whether the entry names IAM users only. Only they can bring MFA to AssumeRole (a TOTP code
 * from their own device); a role session (Identity Center, SAML, a chained role) has no device,
 * and its aws:MultiFactorAuthPresent is "false" whatever its sign-in did.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
 */
export function isUserPrincipal(p: TrustPrincipal): boolean {
  return p.kind === 'arn' ? isUserArn(p.arn) : p.kind === 'account' && p.principalArnLike.every(isUserArn);
}

/** Whether the role trusts any role session: then IAM can require MFA of its IAM users only. */
export function trustsRoleSessions(principals: readonly TrustPrincipal[]): boolean {
  return principals.some((p) => !isUserPrincipal(p));
}

/** A session name without wildcards, from an exact session ARN or a `*:<name>` aws:userid glob. */
function fixedSessionName(p: TrustPrincipal): string | undefined {
  if (p.kind === 'arn') return /^arn:[^:]+:sts::\d{12}:assumed-role\/[^/]+\/(.+)$/.exec(p.arn)?.[1];
  const name = p.userIdLike?.replace(/^\*:/, '');
  return name !== undefined && !/[*?]/.test(name) ? name : undefined;
}

export function getSourceIdentityBinding(p: TrustPrincipal): SourceIdentityBinding {
  const users = p.kind === 'arn' ? isUserArn(p.arn) : p.kind === 'account' && p.principalArnLike.every(isUserArn);
  if (users) return { equals: usernameVariable };
  const session = fixedSessionName(p);
  return session === undefined ? 'present' : { equals: sanitizeSourceIdentity(session) };
}

interface Group {
  /** IAM users only: the statement may require MFA. */
  users: boolean;
  aws: string[];
  like: string[];
  userIdLike: string | undefined;
  binding: SourceIdentityBinding;
}

/**
 * Groups by what a statement needs: exact ARNs with the same binding share one; globs get
 * one per (role or account, session glob, binding), since merging different session globs
 * would let either session name through for both.
 */
function groupPrincipals(principals: readonly TrustPrincipal[], options: TrustOptions): Group[] {
  const groups = new Map<string, Group>();
  for (const p of principals) {
    const binding = getSourceIdentityBinding(p);
    const bound = JSON.stringify(binding);
    const aws =
      p.kind === 'arn'
        ? p.arn
        : p.kind === 'role'
          ? p.roleArn
          : `arn:${options.partition}:iam::${options.accountId}:root`;
    const key =
      p.kind === 'arn'
        ? JSON.stringify([0, bound])
        : JSON.stringify([p.kind === 'role' ? 1 : 2, aws, p.userIdLike ?? '', bound]);
    const group = groups.get(key) ?? {
      users: true,
      aws: [],
      like: [],
      userIdLike: p.kind === 'arn' ? undefined : p.userIdLike,
      binding,
    };
    group.users &&= isUserPrincipal(p);
    if (p.kind === 'arn') group.aws.push(p.arn);
    else {
      group.aws = [aws];
      group.like.push(...p.principalArnLike);
    }
    groups.set(key, group);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

function whoCondition(group: Group, options: TrustOptions): IamConditionBlock {
  const like: Record<string, string> = { [requestTag(sessionTagKeys.requestId)]: requestIdTagPattern };
  if (group.userIdLike !== undefined) like['aws:userid'] = group.userIdLike;
  const condition: IamConditionBlock = {
    StringLike: like,
    'ForAllValues:StringEquals': { 'aws:TagKeys': getAllowedTagKeys(options.grants) },
  };
  if (group.binding === 'present') condition['Null'] = { 'sts:SourceIdentity': 'false' };
  else condition['StringEquals'] = { 'sts:SourceIdentity': group.binding.equals };
  if (group.like.length > 0) condition['ArnLike'] = { 'aws:PrincipalArn': listOrOne(sorted(group.like)) };
  if (group.users && isMfaRequiredForTrust(options.grants))
    condition['Bool'] = { 'aws:MultiFactorAuthPresent': 'true' };
  return condition;
}

export function buildTrustPolicy(principals: readonly TrustPrincipal[], options: TrustOptions): IamPolicyDocument {
  let exact = 0;
  let glob = 0;
  const who = groupPrincipals(principals, options).map((group): IamStatement => {
    const sid = group.like.length === 0 ? `AssignedPrincipals${++exact > 1 ? exact : ''}` : `AssignedGlob${++glob}`;
    return {
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: listOrOne(sorted(group.aws)) },
      Action: [...trustActions],
      Condition: whoCondition(group, options),
    };
  });
  // MFA can only be asked of IAM users; with role sessions trusted too, the Denies name the
  // users and the permissions cannot check it, so the MFA Denies stay even when compacted.
  const sessions = trustsRoleSessions(principals);
  const users = principals.some(isUserPrincipal);
  const kept = ((options.requirementDenies ?? true) ? requirements : sessions ? (['mfa'] as const) : []).filter(
    (r) => r !== 'mfa' || users,
  );
  const what = buildGrantDenies(options.grants, {
    requirements: kept,
    ...(sessions ? { mfaOnlyFor: `arn:${options.partition}:iam::${options.accountId}:user/*` } : {}),
  });
  return { Version: '2012-10-17', Statement: [...who, ...what] };
}
