// How long a session may last, and why: the grant's maximum, the role's MaxSessionDuration,
// AWS's one-hour cap on role chaining, and AWS's 12-hour ceiling. The picker offers only
// what AWS will accept and says which limit bound it.
import { getService } from '../catalog';
import { type EffectiveGrant } from '../policy/roles';

export const minDurationSeconds = 900;
export const maxDurationSeconds = 43_200;
/** AWS's cap when the base credentials are themselves a role session. */
export const chainedMaxSeconds = 3_600;
/** IAM's default MaxSessionDuration for a role. */
export const defaultRoleMaxSeconds = 3_600;

export type DurationLimit = 'chaining' | 'policy' | 'role' | 'aws';

export interface DurationCap {
  maxSeconds: number;
  /** The binding limit in words, for the picker. */
  reason: string;
  /** Every limit equal to maxSeconds, the one named in `reason` first. */
  limitedBy: DurationLimit[];
}

export interface DurationChoice {
  seconds: number;
  label: string;
  isDefault: boolean;
}

const presetMinutes = [15, 30, 60, 120, 240, 480, 720];

/** "15 minutes", "1 hour", "1 hour 30 minutes", "12 hours". */
export function formatDuration(seconds: number): string {
  const totalMinutes = Math.round(seconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const h = hours === 0 ? '' : `${hours} hour${hours === 1 ? '' : 's'}`;
  const m = minutes === 0 && hours > 0 ? '' : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return [h, m].filter(Boolean).join(' ');
}

/**
 * The role MaxSessionDuration to assume when it cannot be read (that needs iam:GetRole):
 * the InfraWatch IAM kit sets it to the role's longest grant, within IAM's 1–12 hours.
 */
export function getAssumedRoleMaxSessionSeconds(grants: readonly EffectiveGrant[]): number {
  const longest = Math.max(0, ...grants.map((g) => g.maxMinutes * 60));
  return Math.min(maxDurationSeconds, Math.max(defaultRoleMaxSeconds, longest));
}

function describeLimit(limit: DurationLimit, seconds: number, grant: EffectiveGrant): string {
  switch (limit) {
    case 'chaining':
      return 'limited to 1 hour because your AWS credentials are themselves a role session (role chaining)';
    case 'policy':
      return `the policy's maximum for ${getService(grant.service).displayName} ${grant.level} is ${Math.round(seconds / 60)} minutes`;
    case 'role':
      return `limited to ${formatDuration(seconds)} by the IAM role's maximum session duration (MaxSessionDuration)`;
    case 'aws':
      return 'AWS allows sessions of at most 12 hours';
  }
}

/**
 * The longest duration AWS and the policy allow, with the reason. On a tie the most
 * surprising limit is named: chaining (raising the grant would not help), then the policy.
 */
export function getDurationCap(input: {
  grant: EffectiveGrant;
  roleMaxSessionSeconds?: number;
  baseIsRoleSession: boolean;
}): DurationCap {
  const limits: [DurationLimit, number][] = [
    ['chaining', input.baseIsRoleSession ? chainedMaxSeconds : Infinity],
    ['policy', input.grant.maxMinutes * 60],
    ['role', input.roleMaxSessionSeconds ?? Infinity],
    ['aws', maxDurationSeconds],
  ];
  const maxSeconds = Math.max(minDurationSeconds, Math.min(...limits.map(([, s]) => s)));
  const limitedBy = limits.filter(([, s]) => s <= maxSeconds).map(([l]) => l);
  const first = limitedBy[0] ?? 'aws';
  return { maxSeconds, reason: describeLimit(first, maxSeconds, input.grant), limitedBy };
}

/**
 * The durations to offer: the presets up to the cap, plus the grant's default and the cap
 * itself when they are not presets. The default is the grant's, shortened to the cap.
 */
export function getDurationChoices(cap: DurationCap, grant: EffectiveGrant): DurationChoice[] {
  const defaultSeconds = Math.min(grant.defaultMinutes * 60, cap.maxSeconds);
  const seconds = new Set(presetMinutes.map((m) => m * 60).filter((s) => s <= cap.maxSeconds));
  seconds.add(defaultSeconds);
  seconds.add(cap.maxSeconds);
  return [...seconds]
    .filter((s) => s >= minDurationSeconds)
    .sort((a, b) => a - b)
    .map((s) => ({ seconds: s, label: formatDuration(s), isDefault: s === defaultSeconds }));
}
