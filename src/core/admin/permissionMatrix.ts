// The effective-permissions matrix of the admin panel: for every role, what it may request
// per (service, level) once inheritance is folded in, by the same getEffectiveGrants the
// request flow uses, so the panel cannot disagree with what users are actually offered.
import { type AccessLevel, type ServiceId } from '../catalog';
import { type EffectiveGrant, getEffectiveGrants, getRole, getRoleChain, isAdminRole } from '../policy/roles';
import { type AccessPolicy } from '../policy/schema';

/** One granted cell of the matrix: an effective grant of one role. */
export type PermissionRow = EffectiveGrant & { role: string };

export interface MatrixRole {
  name: string;
  description?: string;
  admin: boolean;
  /** The role first, then the roles it inherits from. */
  chain: string[];
  /** Account ids where the role has an IAM role to assume. */
  accounts: string[];
}

export interface PermissionMatrix {
  roles: MatrixRole[];
  /** Granted cells only, roles in policy order, then catalog order; absent means not granted. */
  rows: PermissionRow[];
}

export function buildPermissionMatrix(policy: AccessPolicy): PermissionMatrix {
  const names = Object.keys(policy.roles);
  const roles = names.map((name): MatrixRole => {
    const spec = getRole(policy, name);
    return {
      name,
      ...(spec?.description !== undefined ? { description: spec.description } : {}),
      admin: isAdminRole(policy, name),
      chain: getRoleChain(policy, name),
      accounts: Object.keys(spec?.roleArns ?? {}),
    };
  });
  const rows = names.flatMap((role) =>
    getEffectiveGrants(policy, role).map((grant): PermissionRow => ({
      role,
      service: grant.service,
      level: grant.level,
      resources: [...grant.resources],
      maxMinutes: grant.maxMinutes,
      defaultMinutes: grant.defaultMinutes,
      mfa: grant.mfa,
      ...(grant.mfaBy ? { mfaBy: { ...grant.mfaBy } } : {}),
      ...(grant.mfaDefault ? { mfaDefault: true as const } : {}),
      reason: grant.reason,
      ticket: grant.ticket,
      inherited: grant.inherited,
      fromRole: grant.fromRole,
    })),
  );
  return { roles, rows };
}

/** The cell for (role, service, level), or undefined when the role may not request it. */
export function getPermissionCell(
  matrix: PermissionMatrix,
  role: string,
  service: ServiceId,
  level: AccessLevel,
): PermissionRow | undefined {
  return matrix.rows.find((row) => row.role === role && row.service === service && row.level === level);
}
