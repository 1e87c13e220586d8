// Fresh MFA codes for many AssumeRole samples in one run. The endpoint, like AWS, accepts
// each code once per device, and a TOTP step lasts 30 s, so waiting for new codes would
// take ~25 minutes for 50 samples. Instead the endpoint's movable clock is put in the
// middle of a different 30-second step before each round (one code per demo identity per
// step), with every step inside ±8 minutes of real time: well within SigV4's 15-minute
// skew limit, so neither the SDK (which follows the endpoint's Date header) nor the AWS
// CLI (which signs with the real clock) is refused. The clock moves between samples,
// never while one is being timed.
import { getTotpCode } from '../../localaws/iam/totp';
import { type LocalAwsProcess } from './localAwsProcess';

const stepMs = 30_000;

export interface MfaCode {
  identity: LocalAwsProcess['identities'][number];
  code: string;
}

export interface MfaCodePool {
  /** How many codes are left. */
  remaining(): number;
  /** The next unused code; may move the endpoint clock first (never mid-sample). */
  next(): Promise<MfaCode>;
}

async function setEndpointClock(url: string, ms: number): Promise<void> {
  const response = await fetch(`${url}/_localaws/clock/set`, {
    method: 'POST',
    body: JSON.stringify({ ms }),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok)
    throw new Error(`Setting the local endpoint's clock failed: HTTP ${response.status} ${await response.text()}`);
}

/**
 * Codes for the named identities (each has its own MFA device) over the steps within
 * ±`stepsEachSide` of now: (2 × stepsEachSide + 1) × names.length codes in all.
 */
export function createMfaCodePool(aws: LocalAwsProcess, names: readonly string[], stepsEachSide = 15): MfaCodePool {
  const identities = names.map((name) => {
    const found = aws.identities.find((i) => i.name === name);
    if (!found)
      throw new Error(
        `The local endpoint has no demo identity '${name}' (it has: ${aws.identities.map((i) => i.name).join(', ')})`,
      );
    return found;
  });
  const firstStep = Math.floor(Date.now() / stepMs) - stepsEachSide;
  const total = (2 * stepsEachSide + 1) * identities.length;
  let used = 0;
  return {
    remaining: () => total - used,
    async next() {
      if (used >= total)
        throw new Error(`The bench ran out of MFA codes (${total}); ask for fewer samples or widen the step range`);
      const round = Math.floor(used / identities.length);
      const identity = identities[used % identities.length]!;
      // Mid-step, so the few samples of a round all land in the same step.
      const at = (firstStep + round) * stepMs + stepMs / 2;
      if (used % identities.length === 0) await setEndpointClock(aws.url, at);
      used += 1;
      return { identity, code: getTotpCode(identity.totpSeed, at).code };
    },
  };
}
