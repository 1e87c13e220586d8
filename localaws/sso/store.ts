// The state of the local IAM Identity Center: registered OIDC clients, device
// authorizations (RFC 8628) and the tokens issued from them, each tied to a portal session
// that starts when the user signs in on the device-approval page. Times are the endpoint
// clock's epoch ms. The rules are those of the OIDC API reference:
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/Welcome.html

import { randomBytes, randomUUID } from 'node:crypto';
import { randomSecret } from '../server/ids';
import { AwsError } from '../server/types';

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  issuedAt: number;
  secretExpiresAt: number;
}

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'used';

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  issuedAt: number;
  expiresAt: number;
  intervalSeconds: number;
  lastPollAt?: number;
  status: DeviceStatus;
  user?: string;
  signedInAt?: number;
}

/** One sign-in of a user: every token issued from it ends with it. */
export interface PortalSession {
  id: string;
  user: string;
  clientId: string;
  startedAt: number;
  endsAt: number;
  revoked: boolean;
}

interface IssuedToken {
  sessionId: string;
  clientId: string;
  expiresAt: number;
}

export interface TokenResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken?: string;
}

export interface SsoStore {
  clients: Map<string, OidcClient>;
  devices: Map<string, DeviceAuthorization>;
  sessions: Map<string, PortalSession>;
  accessTokens: Map<string, IssuedToken>;
  refreshTokens: Map<string, IssuedToken>;
}

export const deviceCodeGrantType = 'urn:ietf:params:oauth:grant-type:device_code';
/** The scope `aws sso login` registers with for an sso-session; only it earns a refresh token. */
export const refreshScope = 'sso:account:access';

const hour = 3_600_000;
/** A client registration lasts 90 days (what RegisterClient returns as clientSecretExpiresAt). */
const clientLifetimeMs = 90 * 24 * hour;
/** StartDeviceAuthorization answers expiresIn 600 and interval 1. */
const deviceLifetimeMs = 600_000;
const pollIntervalSeconds = 1;
/**
 * The AWS access portal session lasts 8 hours by default; refresh tokens work until it ends.
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/configure-user-session.html
 */
export const portalSessionMs = 8 * hour;
const accessTokenMs = hour;

export function createSsoStore(): SsoStore {
  return {
    clients: new Map(),
    devices: new Map(),
    sessions: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
  };
}

function opaque(prefix: string, bytes = 48): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** RFC 8628 §6.1: a short code from consonants only, no vowels (no words), dash in the middle. */
function userCode(): string {
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
  const bytes = randomBytes(8);
  const letters = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export function registerClient(
  store: SsoStore,
  input: { clientName: string; scopes: string[] },
  now: number,
): OidcClient {
  const client: OidcClient = {
    clientId: randomUUID().replace(/-/g, ''),
    clientSecret: randomSecret(64),
    clientName: input.clientName,
    scopes: input.scopes,
    issuedAt: now,
    secretExpiresAt: now + clientLifetimeMs,
  };
  store.clients.set(client.clientId, client);
  return client;
}

/** The client, if the id and secret match and the registration has not expired (InvalidClientException otherwise). */
export function authenticateClient(
  store: SsoStore,
  clientId: string | undefined,
  clientSecret: string | undefined,
  now: number,
): OidcClient {
  const client = clientId === undefined ? undefined : store.clients.get(clientId);
  if (!client || client.clientSecret !== clientSecret)
    throw new AwsError('InvalidClientException', 'Invalid client provided', 401);
  if (now >= client.secretExpiresAt)
    throw new AwsError('InvalidClientException', 'Client registration has expired', 401);
  return client;
}

export function startDeviceAuthorization(
  store: SsoStore,
  client: OidcClient,
  startUrl: string,
  now: number,
): DeviceAuthorization {
  const device: DeviceAuthorization = {
    deviceCode: opaque('dc-'),
    userCode: userCode(),
    clientId: client.clientId,
    startUrl,
    issuedAt: now,
    expiresAt: now + deviceLifetimeMs,
    intervalSeconds: pollIntervalSeconds,
    status: 'pending',
  };
  store.devices.set(device.deviceCode, device);
  return device;
}

export function findByUserCode(store: SsoStore, code: string): DeviceAuthorization | undefined {
  const wanted = code.trim().toUpperCase();
  return [...store.devices.values()].find((d) => d.userCode === wanted);
}

/** The user's answer on the approval page; a string says why it could not be recorded. */
export function decideDevice(
  device: DeviceAuthorization,
  user: string,
  allow: boolean,
  now: number,
): string | undefined {
  if (now >= device.expiresAt) return 'This code has expired. Start the sign-in again.';
  if (device.status !== 'pending') return 'This code has already been used.';
  device.status = allow ? 'approved' : 'denied';
  device.user = user;
  device.signedInAt = now;
  return undefined;
}

function issue(
  store: SsoStore,
  client: OidcClient,
  session: PortalSession,
  now: number,
  refreshToken?: string,
): TokenResult {
  const withRefresh = client.scopes.includes(refreshScope);
  // Without refresh the token lives as long as the portal session (the legacy `aws sso login`).
  const expiresAt = withRefresh ? Math.min(now + accessTokenMs, session.endsAt) : session.endsAt;
  const accessToken = opaque('aoa');
  store.accessTokens.set(accessToken, { sessionId: session.id, clientId: client.clientId, expiresAt });
  const result: TokenResult = {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  };
  if (withRefresh) {
    // RFC 6749 §6 lets the server keep the refresh token: this endpoint does.
    result.refreshToken = refreshToken ?? opaque('aor');
    store.refreshTokens.set(result.refreshToken, {
      sessionId: session.id,
      clientId: client.clientId,
      expiresAt: session.endsAt,
    });
  }
  return result;
}

/**
 * CreateToken with the device_code grant: pending until the user decides, slow_down when
 * polled again within the interval (RFC 8628 §3.5), expired_token after expiresIn.
 * https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html
 */
export function redeemDeviceCode(
  store: SsoStore,
  client: OidcClient,
  deviceCode: string | undefined,
  now: number,
): TokenResult {
  if (!deviceCode) throw new AwsError('InvalidRequestException', 'deviceCode is required for the device_code grant');
  const device = store.devices.get(deviceCode);
  if (!device || device.clientId !== client.clientId || device.status === 'used')
    throw new AwsError('InvalidGrantException', 'Invalid grant provided');
  if (now >= device.expiresAt) throw new AwsError('ExpiredTokenException', 'The device code has expired');
  if (device.status === 'denied')
    throw new AwsError('AccessDeniedException', 'The user denied the authorization request');
  if (device.status === 'pending') {
    const early = device.lastPollAt !== undefined && now - device.lastPollAt < device.intervalSeconds * 1000;
    device.lastPollAt = now;
    if (early) throw new AwsError('SlowDownException', 'Client is polling too fast');
    throw new AwsError('AuthorizationPendingException', 'Authorization is still pending');
  }
  device.status = 'used';
  const startedAt = device.signedInAt ?? now;
  const session: PortalSession = {
    id: randomUUID(),
    user: device.user ?? '',
    clientId: client.clientId,
    startedAt,
    endsAt: startedAt + portalSessionMs,
    revoked: false,
  };
  store.sessions.set(session.id, session);
  return issue(store, client, session, now);
}

/** CreateToken with the refresh_token grant: a new access token while the portal session lasts. */
export function redeemRefreshToken(
  store: SsoStore,
  client: OidcClient,
  refreshToken: string | undefined,
  now: number,
): TokenResult {
  if (!refreshToken)
    throw new AwsError('InvalidRequestException', 'refreshToken is required for the refresh_token grant');
  const issued = store.refreshTokens.get(refreshToken);
  const session = issued ? store.sessions.get(issued.sessionId) : undefined;
  if (!issued || !session || issued.clientId !== client.clientId || session.revoked || now >= issued.expiresAt) {
    throw new AwsError('InvalidGrantException', 'Invalid refresh token provided');
  }
  return issue(store, client, session, now, refreshToken);
}

/** The session behind a live access token, or undefined (unknown, expired or logged out). */
export function sessionOfAccessToken(
  store: SsoStore,
  accessToken: string | undefined,
  now: number,
): PortalSession | undefined {
  const issued = accessToken ? store.accessTokens.get(accessToken) : undefined;
  const session = issued ? store.sessions.get(issued.sessionId) : undefined;
  if (!issued || !session || session.revoked || now >= issued.expiresAt || now >= session.endsAt) return undefined;
  return session;
}

export function revokeSession(session: PortalSession): void {
  session.revoked = true;
}
