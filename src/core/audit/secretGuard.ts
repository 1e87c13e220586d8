// Refuses, rather than redacts, a secret on its way into the audit trail: a record that
// would carry one is a bug to surface, and the trail must never hold one. It looks only for
// the values InfraWatch itself issued and registered (secret keys, session tokens, endpoint
// tokens), exactly, anywhere in the serialized record. No guessing by shape: a reason or a
// ticket is whatever the requester typed, and nothing typed may get a record refused (a
// refused record would keep that session out of the trail).
import { InfraWatchError } from '../errors';

/** Registered secrets shorter than this are not secrets InfraWatch issued (and would match too much). */
const minSecretChars = 8;

export function getSecretProblem(value: string, secrets: ReadonlySet<string>): string | undefined {
  for (const secret of secrets) if (value.includes(secret)) return 'contains a registered secret';
  return undefined;
}

export class SecretGuard {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be written (secret key, session token, bearer token). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= minSecretChars) this.secrets.add(secret);
  }

  /**
   * Throws naming the field (never the value) when a registered secret is found in any key or
   * value at any depth, and then in the serialized record as a whole (what is written).
   */
  assertClean(value: unknown, path = 'record'): void {
    this.check(value, path);
    if (typeof value === 'string' || getSecretProblem(JSON.stringify(value) ?? '', this.secrets) === undefined) return;
    throw new InfraWatchError(
      'Validation',
      `Writing the audit record failed: ${path} contains a registered secret; nothing was written`,
    );
  }

  /**
   * Throws for the first key or value holding a secret. Key names are not judged: counts
   * keyed "bad-token" are not a token, and a vocabulary (events.ts) keeps fields in line.
   */
  private check(value: unknown, path: string): void {
    if (typeof value === 'string') {
      const problem = getSecretProblem(value, this.secrets);
      if (problem !== undefined)
        throw new InfraWatchError(
          'Validation',
          `Writing the audit record failed: ${path} ${problem}; nothing was written`,
        );
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, member] of Object.entries(value)) {
      this.check(key, `${path} key`);
      this.check(member, `${path}.${key}`);
    }
  }
}
