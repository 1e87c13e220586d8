// The local AWS endpoint as the in-host tests drive it: its control API (clock, throttle,
// regions, outage switches; test/localaws/control.ts), the demo identities it was started
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

/** The local endpoint's control API (test/localaws/control.ts). */
export async function control<T = Record<string, unknown>>(route: string, body?: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${getEndpointUrl()}/_localaws/${route}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const payload = await response.json() as T;
  assert.equal(response.status, 200, `control ${route}: ${JSON.stringify(payload)}`);
  return payload;
}

/** Puts the endpoint back to normal: its clock at the real time, no throttling, every region on, no outage. */
export async function resetEndpoint(): Promise<void> {
  await control('clock/set', { ms: Date.now() });
  await control('throttle', { service: 'sts', enabled: false });
  await control('regions', { region: 'us-east-1', disabled: false });
  await control('outage', { service: 'sts', enabled: false });
}

const stepMs = 30_000;
// Shared by every test file (each bundles its own copy of this module).
const shared = globalThis as typeof globalThis & { infrawatchUsedMfaSteps?: Set<string> };
const usedSteps = (shared.infrawatchUsedMfaSteps ??= new Set<string>());

function totpAt(seed: string, step: number): string {
  return new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: step * stepMs + stepMs / 2 });
}

/**
 * A code the endpoint has not seen, on the endpoint's clock. It accepts the steps either
 * side of now, each code once; when those are spent, its clock moves to the nearest
 * unused step around the real time (afterEach puts it back with resetEndpoint()).
 */
export async function nextMfaCode(identityName: string): Promise<string> {
  const { totpSeed } = getIdentity(identityName);
  const key = (step: number) => `${identityName}:${step}`;
  const { now } = await control<{ now: number }>('clock');
  const current = Math.floor(now / stepMs);
  // The step before stays valid only while now is in `current`: skip it near the boundary.
  const candidates = now % stepMs < stepMs - 5_000 ? [current, current + 1, current - 1] : [current + 1, current];
  let chosen = candidates.find((s) => !usedSteps.has(key(s)));
  if (chosen === undefined) {
    const real = Math.floor(Date.now() / stepMs);
    for (let d = 0; chosen === undefined; d = d <= 0 ? -d + 1 : -d) if (!usedSteps.has(key(real + d))) chosen = real + d;
    await control('clock/set', { ms: chosen * stepMs + stepMs / 2 });
  }
  usedSteps.add(key(chosen));
  return totpAt(totpSeed, chosen);
}
