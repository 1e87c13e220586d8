// Everything the readers of the access controller need, in one value that is replaced
// whole on every change. A reader that holds one snapshot sees a state, a policy and a
// region that were loaded together; it never pairs a state with another load's region.
import { type CallerIdentity } from './arn';
import { type AccessState } from './accessState';
import { type AlarmSummary } from './discovery';
import { type AccessPolicy } from './policy/schema';

/**
 * Every property readonly, all the way down; errors stay as they are (their makers attach
 * causes and request ids). Arrays keep their mutable type, so the parts still pass to the
 * functions that read them (a readonly array would not): createAccessSnapshot freezes them,
 * and a push or an in-place sort throws.
 */
export type DeepReadonly<T> = T extends Error | ((...args: never[]) => unknown)
  ? T
  : T extends (infer U)[]
    ? DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

export type AlarmsState =
  { kind: 'loading' } | { kind: 'ok'; alarms: AlarmSummary[] } | { kind: 'failed'; error: Error };

/** The policy file as last read, for locating problems in it; `uri` as VS Code prints it. */
export interface PolicyFile {
  uri?: string;
  text?: string;
}

/** What one load produced; the snapshot adds what follows from it. */
export interface AccessLoad {
  state: AccessState;
  /** The region of the base-credential clients that loaded `state`. */
  region: string;
  /** The parsed policy in force; undefined when none is valid. */
  policy: AccessPolicy | undefined;
  policyFile: PolicyFile;
  alarms: AlarmsState;
}

export type AccessSnapshot = DeepReadonly<
  AccessLoad & {
    /** Who the caller is, once known (a role found or not). */
    identity: CallerIdentity | undefined;
    /** The role the policy gives the caller; undefined unless the state is ready. */
    role: string | undefined;
  }
>;

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // Only plain data: an Error (or any class instance) belongs to whoever made it.
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/**
 * The snapshot of one load (or of a snapshot with one part replaced), frozen. The parts are
 * frozen in place: they are the load's own values, which nobody else holds.
 */
export function createAccessSnapshot(load: DeepReadonly<AccessLoad>): AccessSnapshot {
  const { state } = load;
  const identity = state.kind === 'ready' || state.kind === 'noRole' ? state.identity : undefined;
  const role = state.kind === 'ready' ? state.access.role : undefined;
  return deepFreeze({ ...load, policyFile: { ...load.policyFile }, identity, role });
}

/** The snapshot before anything has loaded. */
export const loadingSnapshot: AccessSnapshot = createAccessSnapshot({
  state: { kind: 'loading' },
  region: 'us-east-1',
  policy: undefined,
  policyFile: {},
  alarms: { kind: 'loading' },
});
