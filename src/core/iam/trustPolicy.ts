// The trust policy (AssumeRolePolicyDocument) of one InfraWatch role: who may assume it, with
// the SourceIdentity and session tags the broker sends, and MFA when every grant needs it.
import { type TrustPrincipal } from './trustPrincipals';
import { type IamConditionBlock, type IamPolicyDocument, type IamStatement } from './types';

/** AssumeRole plus the two permissions the broker's request needs (DESIGN §4). */
export const trustActions = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'] as const;
/** The only session tag keys the broker sends (src/core/sts/broker.ts buildSessionTags). */
export const sessionTagKeyPattern = 'infrawatch:*';

export interface TrustOptions {
  partition: string;
  accountId: string;
  requireMfa: boolean;
}

function baseCondition(requireMfa: boolean): IamConditionBlock {
  const condition: IamConditionBlock = { 'ForAllValues:StringLike': { 'aws:TagKeys': [sessionTagKeyPattern] } };
  if (requireMfa) condition['Bool'] = { 'aws:MultiFactorAuthPresent': 'true' };
  return condition;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function listOrOne(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : values;
}

function narrowed(base: IamConditionBlock, principalArnLike: string[], userIdLike: string | undefined): IamConditionBlock {
  const condition: IamConditionBlock = { ...base, ArnLike: { 'aws:PrincipalArn': listOrOne(sorted(principalArnLike)) } };
  if (userIdLike !== undefined) condition['StringLike'] = { 'aws:userid': userIdLike };
  return condition;
}

/**
 * Statements grouped by what they need: one for the exact ARNs, one per (role, session glob)
 * and one per session glob for account-wide globs; merging entries with different session
 * globs would let either session name through for both.
 */
export function buildTrustPolicy(principals: readonly TrustPrincipal[], options: TrustOptions): IamPolicyDocument {
  const base = baseCondition(options.requireMfa);
  const statement = (sid: string, aws: string[], condition: IamConditionBlock): IamStatement => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: listOrOne(aws) },
    Action: [...trustActions],
    Condition: condition,
  });
  const statements: IamStatement[] = [];
  const exact = sorted(principals.flatMap((p) => (p.kind === 'arn' ? [p.arn] : [])));
  if (exact.length > 0) statements.push(statement('AssignedPrincipals', exact, base));
  const groups = new Map<string, { aws: string; like: string[]; userIdLike: string | undefined }>();
  for (const p of principals) {
    if (p.kind === 'arn') continue;
    const aws = p.kind === 'role' ? p.roleArn : `arn:${options.partition}:iam::${options.accountId}:root`;
    const key = JSON.stringify([p.kind === 'role' ? 0 : 1, aws, p.userIdLike ?? '']);
    const group = groups.get(key) ?? { aws, like: [], userIdLike: p.userIdLike };
    group.like.push(...p.principalArnLike);
    groups.set(key, group);
  }
  [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .forEach(([, group], i) => statements.push(statement(`AssignedGlob${i + 1}`, [group.aws], narrowed(base, group.like, group.userIdLike))));
  return { Version: '2012-10-17', Statement: statements };
}
