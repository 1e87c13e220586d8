// Role inheritance: what a role may request once its ancestors' grants are folded in.
import { type AccessLevel, accessLevels, type ServiceId, serviceIds } from '../catalog';
import { isMfaRequired, type MfaBy, toMfaBy } from './mfa';
import { type AccessPolicy, defaultSessionMinutes, isMfaByDefault, type RoleSpec } from './schema';

export interface EffectiveGrant {
  service: ServiceId;
  level: AccessLevel;
  /** Resource ARN patterns; `["*"]` when the grant names none. */
  resources: string[];
  maxMinutes: number;
  defaultMinutes: number;
  /** Whether any kind of identity must do MFA for it (see mfaBy). */
  mfa: boolean;
  /** How each kind of identity meets the MFA (policy/mfa.ts); absent reads `mfa` as the default. */
  mfaBy?: MfaBy;
  /** MFA is required because the policy says nothing (the default), not because it says so. */
  mfaDefault?: true;
  reason: boolean;
  ticket: boolean;
  /** The role whose grant this is. */
  fromRole: string;
  inherited: boolean;
}

/** A role by name; own properties only, so "constructor" or "toString" is never a role. */
export function getRole(policy: AccessPolicy, name: string): RoleSpec | undefined {
  return Object.hasOwn(policy.roles, name) ? policy.roles[name] : undefined;
}

/** The role first, then its ancestors; [] for an unknown role. Stops at a loop (a parsed policy has none). */
export function getRoleChain(policy: AccessPolicy, role: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = role;
  while (current !== undefined && !chain.includes(current)) {
    const spec = getRole(policy, current);
    if (!spec) break;
    chain.push(current);
    current = spec.inherits;
  }
  return chain;
}

/**
 * One grant per (service, level) the role may request, in catalog order. A role's own grant
 * for a (service, level) overrides an inherited one, so a Manager can, say, lengthen or narrow
 * the read access it inherits; the nearest role in the chain wins.
 */
export function getEffectiveGrants(policy: AccessPolicy, role: string): EffectiveGrant[] {
  const byKey = new Map<string, EffectiveGrant>();
  for (const from of getRoleChain(policy, role).reverse()) {
    for (const grant of getRole(policy, from)?.grants ?? []) {
      for (const level of grant.levels) {
        byKey.set(`${grant.service}:${level}`, {
          service: grant.service,
          level,
          resources: [...grant.resources],
          maxMinutes: grant.maxMinutes,
          defaultMinutes: grant.defaultMinutes ?? Math.min(defaultSessionMinutes, grant.maxMinutes),
          mfa: isMfaRequired(toMfaBy(grant.mfa)),
          mfaBy: toMfaBy(grant.mfa),
          ...(isMfaByDefault(grant) ? { mfaDefault: true as const } : {}),
          reason: grant.reason,
          ticket: grant.ticket,
          fromRole: from,
          inherited: from !== role,
        });
      }
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      serviceIds.indexOf(a.service) - serviceIds.indexOf(b.service) ||
      accessLevels.indexOf(a.level) - accessLevels.indexOf(b.level),
  );
}

/** The services the grants cover, in catalog order. */
export function getAllowedServices(grants: readonly EffectiveGrant[]): ServiceId[] {
  return serviceIds.filter((id) => grants.some((grant) => grant.service === id));
}

/** Whether the role, or any role it inherits from, is marked `admin`. */
export function isAdminRole(policy: AccessPolicy, role: string): boolean {
  return getRoleChain(policy, role).some((name) => getRole(policy, name)?.admin === true);
}
