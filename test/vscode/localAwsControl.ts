// The local AWS endpoint as the in-host tests drive it: its control API (clock, throttle,
// regions, outage switches; localaws/server/control.ts), the demo identities it was started
// with, and one-time MFA codes on its clock.
import * as assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';

/** What the tests need of a demo identity (INFRAWATCH_TEST_IDENTITIES carries more). */
interface TestIdentity {
  name: string;
  arn: string;
  mfaSerial: string;
  totpSeed: string;
}

export function getEndpointUrl(): string {
  const url = process.env.INFRAWATCH_TEST_ENDPOINT;
  assert.ok(url, 'INFRAWATCH_TEST_ENDPOINT is not set: run these tests through scripts/test.ts --tier in-host');
  return url;
}

export function getIdentity(name: string): TestIdentity {
  const all = JSON.parse(process.env.INFRAWATCH_TEST_IDENTITIES ?? '[]') as TestIdentity[];
  const found = all.find((i) => i.name === name);
  assert.ok(found, `no test identity "${name}" in INFRAWATCH_TEST_IDENTITIES`);
  return found;
}

/** The local endpoint's control API (localaws/server/control.ts). */
export async function control<T = Record<string, unknown>>(route: string, body?: Record<string, unknown>): Promise<T> {
  const response = await fetch(
    `${getEndpointUrl()}/_localaws/${route}`,
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
  );
  const payload = (await response.json()) as T;
  assert.equal(response.status, 200, `control ${route}: ${JSON.stringify(payload)}`);
  return payload;
}

/** Puts the endpoint back to normal: its clock at the real time, no throttling, every region on, no outage. */
export async function resetEndpoint(): Promise<void> {
  await control('clock/set', { ms: Date.now() });
  shared.infrawatchMfaClockOffset = undefined;
  await control('throttle', { service: 'sts', enabled: false });
  await control('regions', { region: 'us-east-1', disabled: false });
  await control('outage', { service: 'sts', enabled: false });
}

// One-time MFA codes. The endpoint accepts a code for the 30-second step either side of its
// clock, each code once per device, and remembers every code used in the run; so each code
// here is for a step nobody has used, and when the steps around the endpoint clock are spent
// the clock moves to a fresh one near the real time. How far it may move matters: the SDK
// compares the Date header of every error answer with its own clock, and when they are 4
// minutes or more apart (@aws-sdk/core httpAuthSchemes: skewExceedsThreshold) it marks the
// error clockSkewCorrected and retries the call (@smithy/core retry: isTransientError), with
// the same, now spent, code. A call AWS refuses after checking the code (trust policy,
// MaxSessionDuration) then ends in "MFA code rejected" instead of its own error. So:
// - a code for a call AWS is expected to refuse ({ refused: true }) is always for a step
//   whose clock stays within `bandMs` of the real time, and waits for one when none is left;
// - every other code leaves every `reserveEvery`-th step near the real time to those, so they
//   never run out however many codes earlier tests used, and goes further out when it must.
const stepMs = 30_000;
const bandMs = 200_000; // under the SDK's 240 s, with room for latency and Date's whole seconds
const reserveEvery = 4;
// Shared by every test file (each bundles its own copy of this module).
const shared = globalThis as typeof globalThis & {
  infrawatchUsedMfaSteps?: Set<string>;
  infrawatchMfaClockOffset?: number;
};
const usedSteps = (shared.infrawatchUsedMfaSteps ??= new Set<string>());

function totpAt(seed: string, step: number): string {
  return new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: step * stepMs + stepMs / 2,
  });
}

/** The endpoint clock, when at the middle of `step`, is within `bandMs` of the real time. */
function inBand(step: number): boolean {
  return Math.abs(step * stepMs + stepMs / 2 - Date.now()) <= bandMs;
}

const reserved = (step: number) => step % reserveEvery === 0 && inBand(step);

export interface MfaCodeOptions {
  /** AWS will refuse the call after checking the code: keep the endpoint clock near the real time. */
  refused?: boolean;
}

/**
 * A code the endpoint has not seen, on the endpoint's clock when a test put it somewhere
 * (afterEach puts it back with resetEndpoint()), else on a clock near the real time.
 */
export async function nextMfaCode(identityName: string, options: MfaCodeOptions = {}): Promise<string> {
  const { totpSeed } = getIdentity(identityName);
  const key = (step: number) => `${identityName}:${step}`;
  const refused = options.refused === true;
  const usable = (step: number) => !usedSteps.has(key(step)) && (refused ? inBand(step) : !reserved(step));
  for (;;) {
    const { now } = await control<{ now: number }>('clock');
    const offset = now - Date.now();
    // Where a test put the clock (not this kit): its codes are on that clock, whatever AWS answers.
    const placedByTest =
      Math.abs(offset) > bandMs &&
      !(shared.infrawatchMfaClockOffset !== undefined && Math.abs(offset - shared.infrawatchMfaClockOffset) < 2_000);
    const current = Math.floor(now / stepMs);
    // The step before stays valid only while now is in `current`: skip it near the boundary.
    const candidates = now % stepMs < stepMs - 5_000 ? [current, current + 1, current - 1] : [current + 1, current];
    let chosen = candidates.find((s) => (refused && placedByTest ? !usedSteps.has(key(s)) : usable(s)));
    if (chosen === undefined) {
      const real = Math.floor(Date.now() / stepMs);
      const reach = refused ? Math.ceil(bandMs / stepMs) + 1 : Infinity;
      for (let d = 0; chosen === undefined && Math.abs(d) <= reach; d = d <= 0 ? -d + 1 : -d)
        if (usable(real + d)) chosen = real + d;
      if (chosen === undefined) {
        // Every step near the real time is spent: the next one is at most a step away.
        await new Promise((r) => setTimeout(r, stepMs - (Date.now() % stepMs) + 500));
        continue;
      }
      const ms = chosen * stepMs + stepMs / 2;
      await control('clock/set', { ms });
      shared.infrawatchMfaClockOffset = ms - Date.now();
    }
    usedSteps.add(key(chosen));
    return totpAt(totpSeed, chosen);
  }
}
