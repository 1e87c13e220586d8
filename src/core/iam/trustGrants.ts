// The "what" half of a role's trust policy: Deny statements that refuse any AssumeRole whose
// session tags do not name one of the role's grants, or that lacks what that grant requires
// (MFA, a reason tag, a ticket tag). They hold for every principal, so the "who" statements
// (trustPolicy.ts) stay one per principal group however many grants the role has.
//
// Negated operators match when the tag is absent, so an AssumeRole without tags is refused:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// Tags in the request: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
import { accessLevels, type AccessLevel, serviceIds, type ServiceId } from '../catalog';
import { needsTotp } from '../policy/mfa';
import { type EffectiveGrant } from '../policy/roles';
import { sessionTagKeys } from '../sts/naming';
import { type IamConditionBlock, type IamStatement } from './types';

/** AssumeRole plus the two permissions the broker's request needs. */
export const trustActions = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'] as const;

export const requestTag = (key: string): string => `aws:RequestTag/${key}`;
const serviceKey = requestTag(sessionTagKeys.service);
const levelKey = requestTag(sessionTagKeys.level);

export type Requirement = 'mfa' | 'reason' | 'ticket';
export const requirements: readonly Requirement[] = ['mfa', 'reason', 'ticket'];

/**
 * Whether the grant requires it of the request. MFA only where IAM can check it: a TOTP code
 * from an IAM user. Identity Center and SAML sessions meet MFA at their sign-in, which IAM
 * cannot see (their aws:MultiFactorAuthPresent is "false"), so nothing is checked for them.
 */
function needs(grant: EffectiveGrant, requirement: Requirement): boolean {
  return requirement === 'mfa' ? needsTotp(grant, 'iamUser') : grant[requirement];
}

/** What makes a request lack a requirement. MFA is absent, not false, for access keys. */
const missing: Record<Requirement, IamConditionBlock> = {
  mfa: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  reason: { Null: { [requestTag(sessionTagKeys.reason)]: 'true' } },
  ticket: { Null: { [requestTag(sessionTagKeys.ticket)]: 'true' } },
};

interface Rectangle {
  services: ServiceId[];
  levels: AccessLevel[];
}

function listOrOne(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : values;
}

/** The grants' (service, level) pairs as few rectangles as grouping by level set gives. */
export function toRectangles(grants: readonly Pick<EffectiveGrant, 'service' | 'level'>[]): Rectangle[] {
  const levelsByService = new Map<ServiceId, Set<AccessLevel>>();
  for (const g of grants) levelsByService.set(g.service, (levelsByService.get(g.service) ?? new Set()).add(g.level));
  const byLevels = new Map<string, Rectangle>();
  for (const service of serviceIds) {
    const levels = levelsByService.get(service);
    if (!levels) continue;
    const sorted = accessLevels.filter((l) => levels.has(l));
    const key = sorted.join(',');
    const rectangle = byLevels.get(key) ?? { services: [], levels: sorted };
    rectangle.services.push(service);
    byLevels.set(key, rectangle);
  }
  return [...byLevels.values()];
}

function roleServices(grants: readonly EffectiveGrant[]): ServiceId[] {
  return serviceIds.filter((s) => grants.some((g) => g.service === s));
}

function roleLevels(grants: readonly EffectiveGrant[]): AccessLevel[] {
  return accessLevels.filter((l) => grants.some((g) => g.level === l));
}

/** Conditions matching the rectangle; a side covering all of the role's values is left out. */
function within(rectangle: Rectangle, grants: readonly EffectiveGrant[]): IamConditionBlock {
  const equals: Record<string, string | string[]> = {};
  if (rectangle.services.length < roleServices(grants).length) equals[serviceKey] = listOrOne(rectangle.services);
  if (rectangle.levels.length < roleLevels(grants).length) equals[levelKey] = listOrOne(rectangle.levels);
  return Object.keys(equals).length > 0 ? { StringEquals: equals } : {};
}

/**
 * A Deny on sts:AssumeRole alone refuses the whole request (TagSession and SetSourceIdentity
 * are only ever asked for with it), in a third of the characters of all three actions.
 */
const deny = (sid: string, condition: IamConditionBlock): IamStatement => ({
  Sid: sid,
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'sts:AssumeRole',
  Condition: condition,
});

/** Refuses a service the role has no grant for, and a level a granted service lacks. */
function grantDenies(grants: readonly EffectiveGrant[]): IamStatement[] {
  const levels = roleLevels(grants);
  const statements = [
    deny('DenyOtherServices', { StringNotEquals: { [serviceKey]: listOrOne(roleServices(grants)) } }),
  ];
  const rectangles = toRectangles(grants);
  const narrower = rectangles.filter((r) => r.levels.length < levels.length);
  // Services granted every level the role has need only "one of the role's levels"; when
  // there are none, the per-service Denies below already cover every service.
  const general = narrower.length < rectangles.length;
  if (general) statements.push(deny('DenyOtherLevels', { StringNotEquals: { [levelKey]: listOrOne(levels) } }));
  narrower.forEach((rectangle, i) => {
    const condition: IamConditionBlock = {
      StringEquals: { [serviceKey]: listOrOne(rectangle.services) },
      StringNotEquals: { [levelKey]: listOrOne(rectangle.levels) },
    };
    statements.push(deny(`DenyOtherLevels${i + (general ? 2 : 1)}`, condition));
  });
  return statements;
}

const sidOf: Record<Requirement, string> = {
  mfa: 'DenyWithoutMfa',
  reason: 'DenyWithoutReason',
  ticket: 'DenyWithoutTicket',
};

/**
 * Refuses a grant's pairs without what the grant requires. MFA required by every grant goes
 * in the "who" statements instead (isMfaRequiredForTrust), as a plain Bool condition.
 */
function requirementDenies(
  grants: readonly EffectiveGrant[],
  requirement: Requirement,
  mfaOnlyFor: string | undefined,
): IamStatement[] {
  const needing = grants.filter((g) => needs(g, requirement));
  if (needing.length === 0) return [];
  if (needing.length === grants.length && requirement === 'mfa') return [];
  // MFA is refused to IAM users only when the role also trusts role sessions, which have none.
  const lacking: IamConditionBlock =
    requirement === 'mfa' && mfaOnlyFor !== undefined
      ? { ...missing.mfa, ArnLike: { 'aws:PrincipalArn': mfaOnlyFor } }
      : missing[requirement];
  if (needing.length === grants.length) return [deny(sidOf[requirement], lacking)];
  const sid = (i: number, count: number) => `${sidOf[requirement]}${count > 1 ? i + 1 : ''}`;
  const rectangles = toRectangles(needing);
  const listed = rectangles.map((r, i) => deny(sid(i, rectangles.length), { ...within(r, grants), ...lacking }));
  // When the grants without the requirement form one rectangle, "outside it" is two Denies
  // (another service, or another level), often shorter than listing every rectangle inside.
  const others = toRectangles(grants.filter((g) => !needs(g, requirement)));
  const [other] = others;
  if (others.length !== 1 || !other) return listed;
  const outside = [
    { StringNotEquals: { [serviceKey]: listOrOne(other.services) } },
    { StringNotEquals: { [levelKey]: listOrOne(other.levels) } },
  ];
  const complement = outside.map((condition, i) => deny(sid(i, 2), { ...condition, ...lacking }));
  return JSON.stringify(complement).length < JSON.stringify(listed).length ? complement : listed;
}

/** Whether the trust policy's "who" statements of IAM users require MFA: when every grant needs their TOTP code. */
export function isMfaRequiredForTrust(grants: readonly EffectiveGrant[]): boolean {
  return grants.length > 0 && grants.every((g) => needs(g, 'mfa'));
}

/** The tag keys a session of this role may carry: no key the broker would not send. */
export function getAllowedTagKeys(grants: readonly EffectiveGrant[]): string[] {
  const keys: string[] = [sessionTagKeys.requestId, sessionTagKeys.service, sessionTagKeys.level];
  if (grants.some((g) => g.reason)) keys.push(sessionTagKeys.reason);
  if (grants.some((g) => g.ticket)) keys.push(sessionTagKeys.ticket);
  return keys;
}

export interface GrantDenyOptions {
  /** Which requirements get their Deny statements (all by default). */
  requirements?: readonly Requirement[];
  /** An aws:PrincipalArn pattern the MFA Denies are limited to (the IAM users), when the role also trusts role sessions. */
  mfaOnlyFor?: string;
}

/** Every Deny statement the grants call for; none for a role without grants. */
export function buildGrantDenies(grants: readonly EffectiveGrant[], options: GrantDenyOptions = {}): IamStatement[] {
  if (grants.length === 0) return [];
  const kept = (options.requirements ?? requirements).flatMap((r) => requirementDenies(grants, r, options.mfaOnlyFor));
  return [...grantDenies(grants), ...kept];
}
