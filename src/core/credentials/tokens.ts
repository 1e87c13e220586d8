// Bearer tokens for the credential endpoint. Comparison hashes both sides to a fixed
// length first, so neither the length nor the content of the stored token leaks through
// timing, and timingSafeEqual never throws on a length mismatch.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: safe in an HTTP header and an environment variable. */
export function createBearerToken(): string {
  return randomBytes(32).toString('base64url');
}

export function getTokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time check of a presented Authorization value against a stored digest. */
export function isTokenMatch(presented: string | undefined, storedDigest: Buffer): boolean {
  // An absent header still costs one hash, so "no header" and "wrong header" look alike.
  return timingSafeEqual(getTokenDigest(presented ?? ''), storedDigest);
}
