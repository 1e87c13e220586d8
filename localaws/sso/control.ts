// The control routes for IAM Identity Center, so tests can stand in for the browser:
// POST /_localaws/sso/approve {"userCode", "deny"?} and GET /_localaws/sso/devices.
// Approving here is the demo user (sam.sso) signing in and pressing Allow on the page.

import { demoSsoUser } from './directory';
import { decideDevice, findByUserCode, type SsoStore } from './store';
import type { ServiceResponse } from '../server/types';

function json(status: number, payload: unknown): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
}

export function approveFromControl(store: SsoStore, input: Record<string, unknown>, now: number): ServiceResponse {
  if (typeof input.userCode !== 'string')
    return json(400, { error: 'sso/approve needs {"userCode": "ABCD-EFGH", "deny"?: true}' });
  const user = typeof input.user === 'string' ? input.user : demoSsoUser;
  if (user !== demoSsoUser) return json(404, { error: `No Identity Center user '${user}'. Known: ${demoSsoUser}` });
  const device = findByUserCode(store, input.userCode);
  if (!device) return json(404, { error: `No device authorization with user code '${input.userCode}'` });
  const allow = input.deny !== true;
  const problem = decideDevice(device, user, allow, now);
  if (problem) return json(400, { error: problem });
  return json(200, { ok: true, userCode: device.userCode, user, status: device.status });
}

/** What is safe to show: never the device code (it redeems the token). */
export function listDevices(store: SsoStore) {
  return [...store.devices.values()].map(({ userCode, clientId, startUrl, issuedAt, expiresAt, status, user }) => ({
    userCode,
    clientId,
    startUrl,
    issuedAt,
    expiresAt,
    status,
    user,
  }));
}
