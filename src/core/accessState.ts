// What the sidebar shows follows from two inputs: the policy in force and who the caller
// is. Kept pure so every combination is unit-tested without VS Code.
import { type CallerIdentity } from './arn';
import { type InfraWatchError } from './errors';
import { resolveAccess } from './policy/assign';
import { type PolicyProblem, type PolicyResult } from './policy/parse';

export type Access = NonNullable<ReturnType<typeof resolveAccess>>;

/** Where the policy came from and what it said. */
export type PolicySource =
  | { kind: 'none' }
  | { kind: 'untrusted'; path: string }
  | { kind: 'file'; path: string; result: PolicyResult; origin?: 'workspace' | 'file' | 'organisation' };

export type IdentityResult =
  | { kind: 'ok'; identity: CallerIdentity }
  | { kind: 'noCredentials'; error: InfraWatchError }
  | { kind: 'failed'; error: InfraWatchError };

export type AccessState =
  | { kind: 'loading' }
  | { kind: 'noPolicy' }
  | { kind: 'untrusted'; path: string }
  | { kind: 'invalidPolicy'; path: string; problems: PolicyProblem[] }
  | { kind: 'noCredentials'; error: InfraWatchError }
  | { kind: 'failed'; error: InfraWatchError }
  | { kind: 'noRole'; identity: CallerIdentity; policyPath: string }
  | {
      kind: 'ready';
      identity: CallerIdentity;
      access: Access;
      policyPath: string;
      policyOrigin: 'workspace' | 'file' | 'organisation';
    };

/** Whether the identity is needed at all: an absent or broken policy grants nothing anyway. */
export function needsIdentity(source: PolicySource): source is {
  kind: 'file';
  path: string;
  result: Extract<PolicyResult, { ok: true }>;
  origin?: 'workspace' | 'file' | 'organisation';
} {
  return source.kind === 'file' && source.result.ok;
}

export function getAccessState(source: PolicySource, identity: IdentityResult | undefined): AccessState {
  if (source.kind === 'none') return { kind: 'noPolicy' };
  if (source.kind === 'untrusted') return { kind: 'untrusted', path: source.path };
  if (!source.result.ok) return { kind: 'invalidPolicy', path: source.path, problems: source.result.problems };
  if (identity === undefined) return { kind: 'loading' };
  if (identity.kind !== 'ok') return identity;
  const access = resolveAccess(source.result.policy, identity.identity);
  if (!access) return { kind: 'noRole', identity: identity.identity, policyPath: source.path };
  return {
    kind: 'ready',
    identity: identity.identity,
    access,
    policyPath: source.path,
    policyOrigin: source.origin ?? 'file',
  };
}
