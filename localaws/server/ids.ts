// Identifier and secret generators in AWS's shapes. `derived*` are deterministic (demo
// identities must be the same on every run); `random*` are for credentials STS issues.

import { createHash, randomBytes } from 'node:crypto';

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function encode(bytes: Buffer, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i += 1) out += alphabet[(bytes[i % bytes.length] as number) % alphabet.length];
  return out;
}

function seededBytes(seed: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i += 1)
    chunks.push(createHash('sha256').update(`${seed}#${i}`).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

/** e.g. derivedId('AKIA', 'demo-key:erin') → AKIA + 16 base32 characters (20 in all). */
export function derivedId(prefix: string, seed: string, length = 20): string {
  return prefix + encode(seededBytes(seed, length), base32, length - prefix.length);
}

export function derivedSecret(seed: string, length = 40): string {
  return encode(seededBytes(seed, length), base64, length);
}

export function derivedBase32(seed: string, length: number): string {
  return encode(seededBytes(seed, length), base32, length);
}

export function randomId(prefix: string, length = 20): string {
  return prefix + encode(randomBytes(length), base32, length - prefix.length);
}

export function randomSecret(length = 40): string {
  return encode(randomBytes(length), base64, length);
}

/** A session token: opaque base64, a few hundred characters like the real ones. */
export function randomSessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(300).toString('base64')}`;
}
