// TOTP (RFC 6238: SHA-1, 6 digits, 30 s) for the demo MFA devices, on the endpoint clock.
// A code is accepted one step either side of now, as AWS tolerates small device drift.

import { Secret, TOTP } from 'otpauth';

const period = 30;

function totpFor(seed: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period });
}

export interface TotpCode {
  code: string;
  /** The 30-second step the code belongs to (its counter). */
  step: number;
  validForSeconds: number;
}

export function getTotpCode(seed: string, now: number): TotpCode {
  const step = Math.floor(now / 1000 / period);
  return {
    code: totpFor(seed).generate({ timestamp: now }),
    step,
    validForSeconds: period - Math.floor((now / 1000) % period),
  };
}

/** The step the code matches within ±`window` steps of `now`, or undefined. */
export function verifyTotpCode(seed: string, code: string, now: number, window = 1): number | undefined {
  const delta = totpFor(seed).validate({ token: code, timestamp: now, window });
  return delta === null ? undefined : Math.floor(now / 1000 / period) + delta;
}
