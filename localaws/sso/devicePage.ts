// The device-approval page the verificationUri points at: the browser half of the device
// flow (RFC 8628 §3.3). The user confirms the code, signs in as the demo's Identity Center
// user (password and the TOTP code of the sam.sso device, as Identity Center asks for MFA
// at sign-in) and allows or denies the request. Plain HTML forms, no script.
// https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosignin.html
//
//   GET  /sso/device[?user_code=ABCD-EFGH] → the form (#user_code #username #password #mfa_code, #allow #deny)
//   POST /sso/device (form-encoded user_code, username, password, mfa_code, action=allow|deny)
//        → the outcome in #result (200 when recorded, 401 bad sign-in, 400 bad or used code)

import type { DemoIdentity } from '../iam/identities';
import { xmlEscape } from '../server/protocol';
import { demoSsoPassword, demoSsoUser } from './directory';
import { decideDevice, findByUserCode, type SsoStore } from './store';
import { verifyTotpCode } from '../iam/totp';
import type { ServiceResponse } from '../server/types';

export const devicePagePath = '/sso/device';

export interface DevicePageTarget {
  store: SsoStore;
  identities: readonly DemoIdentity[];
}

function html(status: number, title: string, inner: string): ServiceResponse {
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${xmlEscape(title)}</title>` +
    '<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}label{display:block;margin:.6rem 0}input{width:100%;padding:.3rem}button{margin:.8rem .6rem 0 0;padding:.4rem 1.2rem}</style>' +
    `</head><body><h1>${xmlEscape(title)}</h1>${inner}</body></html>`;
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

function form(userCode: string): string {
  const field = (id: string, label: string, type: string, value = '', extra = '') =>
    `<label for="${id}">${label}<input id="${id}" name="${id}" type="${type}" value="${xmlEscape(value)}" ${extra}></label>`;
  return (
    `<p>An application is asking to use your IAM Identity Center sign-in (demo). Check that the code matches the one it shows.</p>` +
    // Relative to the page (/sso/device), so the form also posts back through a path proxy:
    // VS Code in a browser opens local addresses via code-server's /proxy/<port>/.
    '<form method="post" action="device">' +
    field('user_code', 'Code', 'text', userCode, 'autocomplete="off" required') +
    field('username', 'Username', 'text', '', 'autocomplete="username" required') +
    field('password', 'Password', 'password', '', 'autocomplete="current-password" required') +
    field('mfa_code', 'MFA code', 'text', '', 'inputmode="numeric" autocomplete="one-time-code" required') +
    '<button id="allow" name="action" value="allow" type="submit">Allow</button>' +
    '<button id="deny" name="action" value="deny" type="submit">Deny</button></form>' +
    `<p><small>Demo: ${xmlEscape(demoSsoUser)}; the MFA code is GET /_localaws/totp/sso.</small></p>`
  );
}

function result(status: number, message: string, userCode = ''): ServiceResponse {
  const again = status === 200 ? '' : form(userCode);
  return html(
    status,
    status === 200 ? 'Done' : 'Not approved',
    `<p id="result" role="status">${xmlEscape(message)}</p>${again}`,
  );
}

/** True when the demo user's password and a current TOTP code of the user's device were given. */
function signInValid(target: DevicePageTarget, fields: URLSearchParams, now: number): boolean {
  const device = target.identities.find((i) => i.name === 'sso');
  if (!device || fields.get('username') !== demoSsoUser || fields.get('password') !== demoSsoPassword) return false;
  return verifyTotpCode(device.totpSeed, (fields.get('mfa_code') ?? '').trim(), now) !== undefined;
}

function decide(target: DevicePageTarget, fields: URLSearchParams, now: number): ServiceResponse {
  const userCode = (fields.get('user_code') ?? '').trim().toUpperCase();
  const device = findByUserCode(target.store, userCode);
  if (!device) return result(400, 'That code is not valid. Check it and try again.', userCode);
  const allow = fields.get('action') !== 'deny';
  // Allow and Deny both come after the sign-in, so no one else can answer for the user.
  if (!signInValid(target, fields, now))
    return result(401, 'The username, password or MFA code is incorrect.', userCode);
  const problem = decideDevice(device, demoSsoUser, allow, now);
  if (problem) return result(400, problem, userCode);
  return result(
    200,
    allow
      ? 'Request approved. You can close this window and return to the application.'
      : 'Request denied. The application will not get access.',
  );
}

export function handleDevicePage(
  target: DevicePageTarget,
  method: string,
  query: URLSearchParams,
  body: Buffer,
  now: number,
): ServiceResponse {
  if (method === 'GET') return html(200, 'Authorize request', form((query.get('user_code') ?? '').toUpperCase()));
  if (method === 'POST') return decide(target, new URLSearchParams(body.toString('utf8')), now);
  return html(405, 'Method not allowed', '<p id="result">Use GET or POST.</p>');
}
