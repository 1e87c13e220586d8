// Refuses, rather than redacts, anything secret-looking on its way into the audit trail:
// a record that would carry a secret is a bug to surface, and the trail must never hold
// one. Checks every string and every key, at any depth, against registered secrets and
// the shapes of AWS secret keys and session tokens.
import { InfraWatchError } from '../errors';

// 40 characters of the base64 alphabet standing alone: an AWS secret access key.
const secretKeyShape = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
// A long unbroken base64/base64url run: an STS session token or a bearer token.
const tokenShape = /[A-Za-z0-9/+=_-]{100,}/;
const secretKeyNames = /secret|token|password|passphrase|authorization|credential/i;

/** Real keys mix upper and lower case (all but ~1e-9 of them); hex digests do not. */
function isSecretKeyLike(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run);
}

export function getSecretProblem(value: string, secrets: ReadonlySet<string>): string | undefined {
  for (const secret of secrets) if (value.includes(secret)) return 'contains a registered secret';
  if (tokenShape.test(value)) return 'looks like a session token';
  for (const match of value.matchAll(secretKeyShape)) if (isSecretKeyLike(match[0])) return 'looks like a secret access key';
  return undefined;
}

export class SecretGuard {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be written (secret key, session token, bearer token). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 8) this.secrets.add(secret);
  }

  /** Throws naming the field (never the value) when anything secret-looking is found. */
  assertClean(value: unknown, path = 'record'): void {
    if (typeof value === 'string') {
      const problem = getSecretProblem(value, this.secrets);
      if (problem !== undefined) throw new InfraWatchError('Validation', `Writing the audit record failed: ${path} ${problem}; nothing was written`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, member] of Object.entries(value)) {
      if (secretKeyNames.test(key)) throw new InfraWatchError('Validation', `Writing the audit record failed: field ${path}.${key} names a secret; nothing was written`);
      this.assertClean(key, `${path} key`);
      this.assertClean(member, `${path}.${key}`);
    }
  }
}
