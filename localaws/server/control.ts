// The control API of the local endpoint: unsigned JSON under /_localaws/ on the same port,
// for out-of-process tests and the demo (loopback only; it hands out DEMO secrets).
//
//   GET  /_localaws/health                → { ok, now }
//   GET  /_localaws/identities            → the demo identities, with their demo keys
//   GET  /_localaws/totp/<name>           → { name, serialNumber, code, validForSeconds }
//                                           (<name>: employee | erin.employee | an MFA serial)
//   GET  /_localaws/clock                 → { now, iso }
//   POST /_localaws/clock/advance {"ms"}  → moves the endpoint clock forward by ms
//   POST /_localaws/clock/set {"ms"}      → puts the clock at epoch ms (or {"iso": "…"})
//   GET  /_localaws/sessions              → sessions STS issued (no secrets or tokens)
//   POST /_localaws/throttle {"service":"sts","enabled":true}   → that service answers Throttling
//   POST /_localaws/regions {"region":"eu-south-1","disabled":true} → STS answers RegionDisabledException
//   POST /_localaws/outage {"service":"logs","enabled":true,"status"?:503} → that service answers 5xx (outage.ts)
//   GET  /_localaws/outage                → { outages: { <service>: <status> } }
//   GET  /_localaws/logs/<url-encoded group>[?region=…] → the events PutLogEvents stored in that group
//   GET  /_localaws/roles                 → the roles AssumeRole knows (trust, permissions, tags)
//   POST /_localaws/roles {"template": {…}} | {"kit": true} | {"demo": true} → replaces every role
//   POST /_localaws/sso/approve {"userCode","deny"?} → the demo Identity Center user allows (or denies) that
//                                           device sign-in, as on the approval page (sso/control.ts)
//   GET  /_localaws/sso/devices           → the device authorizations (no device codes or tokens)

import type { MovableClock } from './clock';
import type { WorldRegistry } from '../demo/registry';
import type { DemoIdentity } from '../iam/identities';
import { parseOutageRequest, type OutageSwitch } from './outage';
import { roleSourceOf, type RoleSource } from '../iam/roleSource';
import { approveFromControl, listDevices } from '../sso/control';
import type { SsoStore } from '../sso/store';
import type { LocalAwsState, RoleDefinition } from './state';
import { getTotpCode } from '../iam/totp';
import type { ServiceResponse } from './types';

export interface ControlTarget {
  clock: MovableClock;
  state: LocalAwsState;
  identities: readonly DemoIdentity[];
  outages?: OutageSwitch;
  /** The CloudWatch Logs data (for GET logs/<group>). */
  worlds?: WorldRegistry;
  /** Replaces the roles (POST roles). */
  loadRoles?: (source: RoleSource) => RoleDefinition[];
  /** IAM Identity Center (POST sso/approve, GET sso/devices). */
  sso?: SsoStore;
}

function json(status: number, payload: unknown): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
}

function clockInfo(clock: MovableClock): ServiceResponse {
  const now = clock.now();
  return json(200, { now, iso: new Date(now).toISOString() });
}

function totp(target: ControlTarget, name: string): ServiceResponse {
  const identity = target.identities.find(
    (i) => i.name === name || i.userName === name || i.mfaSerial === name || i.arn.endsWith(`/${name}`),
  );
  if (!identity)
    return json(404, {
      error: `No demo identity named '${name}'. Known: ${target.identities.map((i) => i.name).join(', ')}`,
    });
  const { code, validForSeconds } = getTotpCode(identity.totpSeed, target.clock.now());
  return json(200, { name: identity.name, serialNumber: identity.mfaSerial, code, validForSeconds });
}

function readJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
  return parsed as Record<string, unknown>;
}

function setClock(target: ControlTarget, input: Record<string, unknown>): ServiceResponse {
  const ms = typeof input.ms === 'number' ? input.ms : typeof input.iso === 'string' ? Date.parse(input.iso) : NaN;
  if (!Number.isFinite(ms)) return json(400, { error: 'clock/set needs {"ms": <epoch ms>} or {"iso": "<ISO 8601>"}' });
  target.clock.set(ms);
  return clockInfo(target.clock);
}

function toggle(set: Set<string>, key: unknown, on: unknown, what: string): ServiceResponse {
  if (typeof key !== 'string' || key.length === 0) return json(400, { error: `needs {"${what}": "<name>", …}` });
  if (on === false) set.delete(key);
  else set.add(key);
  return json(200, { [what]: key, enabled: on !== false, all: [...set] });
}

function outage(target: ControlTarget, input: Record<string, unknown>): ServiceResponse {
  if (!target.outages) return json(404, { error: 'This endpoint has no outage switch' });
  const request = parseOutageRequest(input);
  if (typeof request === 'string') return json(400, { error: request });
  target.outages.set(request.service, request.enabled, request.status);
  return json(200, {
    service: request.service,
    enabled: request.enabled,
    status: request.status,
    outages: target.outages.list(),
  });
}

/** Only what PutLogEvents stored (not the demo's generated lines), oldest first. */
function storedLogEvents(target: ControlTarget, encodedGroup: string, query: URLSearchParams): ServiceResponse {
  const name = decodeURIComponent(encodedGroup);
  const region = query.get('region') ?? target.state.region;
  const world = target.worlds?.get(target.state.accountId, region, target.clock.now());
  const group = world?.logs.getGroup(name);
  if (!group) return json(404, { error: `No log group '${name}' in ${target.state.accountId}/${region}` });
  const events = [...group.streams.values()]
    .flatMap((s) => s.events)
    .sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  return json(200, { logGroupName: name, region, streams: [...group.streams.keys()].sort(), events });
}

function post(target: ControlTarget, route: string, input: Record<string, unknown>): ServiceResponse | undefined {
  switch (route) {
    case 'clock/advance':
      if (typeof input.ms !== 'number' || !Number.isFinite(input.ms))
        return json(400, { error: 'clock/advance needs {"ms": <number>}' });
      target.clock.advance(input.ms);
      return clockInfo(target.clock);
    case 'clock/set':
      return setClock(target, input);
    case 'throttle':
      return toggle(target.state.throttledServices, input.service, input.enabled, 'service');
    case 'regions':
      return toggle(target.state.disabledRegions, input.region, input.disabled, 'region');
    case 'outage':
      return outage(target, input);
    case 'roles': {
      const source = roleSourceOf(input);
      if (typeof source === 'object' && 'error' in source) return json(400, source);
      if (!target.loadRoles) return json(404, { error: 'This endpoint cannot load roles' });
      return json(200, { roles: target.loadRoles(source) });
    }
    case 'sso/approve':
      return target.sso
        ? approveFromControl(target.sso, input, target.clock.now())
        : json(404, { error: 'This endpoint has no Identity Center' });
    default:
      return undefined;
  }
}

function get(target: ControlTarget, route: string, query: URLSearchParams): ServiceResponse | undefined {
  if (route === 'health') return json(200, { ok: true, now: target.clock.now() });
  if (route === 'identities') return json(200, target.identities);
  if (route === 'clock') return clockInfo(target.clock);
  if (route === 'sessions') return json(200, target.state.issuedSessions);
  if (route === 'roles') return json(200, { roles: [...target.state.roles.values()] });
  if (route.startsWith('totp/')) return totp(target, decodeURIComponent(route.slice('totp/'.length)));
  if (route === 'outage') return json(200, { outages: target.outages?.list() ?? {} });
  if (route.startsWith('logs/')) return storedLogEvents(target, route.slice('logs/'.length), query);
  if (route === 'sso/devices' && target.sso) return json(200, { devices: listDevices(target.sso) });
  return undefined;
}

/** `path` is the part after `/_localaws/`. */
export function handleControl(
  target: ControlTarget,
  method: string,
  path: string,
  body: Buffer,
  query: URLSearchParams = new URLSearchParams(),
): ServiceResponse {
  const route = path.replace(/\/+$/, '');
  try {
    const response =
      method === 'GET'
        ? get(target, route, query)
        : method === 'POST'
          ? post(target, route, readJson(body))
          : undefined;
    return response ?? json(404, { error: `No control route ${method} /_localaws/${route}` });
  } catch (error) {
    return json(400, { error: `Bad control request: ${(error as Error).message}` });
  }
}
