// IAM Identity Center OIDC (restJson, signing name sso-oauth; every operation is noAuth, so
// requests come unsigned): RegisterClient, StartDeviceAuthorization and CreateToken.
// Errors carry the code in x-amzn-errortype and the body the model defines,
// {"error": "<OAuth 2.0 code>", "error_description": "…"}.
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_Operations.html

import { parseJsonBody } from '../server/protocol';
import { demoSsoStartUrl } from './directory';
import {
  authenticateClient,
  deviceCodeGrantType,
  redeemDeviceCode,
  redeemRefreshToken,
  registerClient,
  startDeviceAuthorization,
  type SsoStore,
} from './store';
import { AwsError, type ServiceResponse } from '../server/types';

export interface OidcRequest {
  path: string;
  body: Buffer;
  /** The endpoint's own base URL as the caller reached it (for verificationUri). */
  baseUrl: string;
  now: number;
  requestId: string;
}

/** HTTP status and RFC 6749 / RFC 8628 `error` value of each OIDC exception (botocore's sso-oidc model). */
const oauthErrors: Record<string, [number, string]> = {
  AuthorizationPendingException: [400, 'authorization_pending'],
  SlowDownException: [400, 'slow_down'],
  ExpiredTokenException: [400, 'expired_token'],
  AccessDeniedException: [400, 'access_denied'],
  InvalidGrantException: [400, 'invalid_grant'],
  InvalidClientException: [401, 'invalid_client'],
  UnsupportedGrantTypeException: [400, 'unsupported_grant_type'],
  InvalidRequestException: [400, 'invalid_request'],
  InvalidScopeException: [400, 'invalid_scope'],
  InvalidClientMetadataException: [400, 'invalid_client_metadata'],
  InternalServerException: [500, 'server_error'],
};

export const oidcPaths = new Set(['/client/register', '/device_authorization', '/token']);

function ok(payload: Record<string, unknown>, requestId: string): ServiceResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(payload),
  };
}

export function oidcError(err: AwsError, requestId: string): ServiceResponse {
  const [status, error] = oauthErrors[err.code] ?? [500, 'server_error'];
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': err.code in oauthErrors ? err.code : 'InternalServerException',
    },
    body: JSON.stringify({ error, error_description: err.message }),
  };
}

function text(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function required(input: Record<string, unknown>, name: string): string {
  const value = text(input, name);
  if (value === undefined) throw new AwsError('InvalidRequestException', `${name} is required`);
  return value;
}

/** https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_RegisterClient.html */
function register(store: SsoStore, input: Record<string, unknown>, now: number, requestId: string): ServiceResponse {
  const clientName = required(input, 'clientName');
  // "The type of client. The service supports only public as a client type."
  if (required(input, 'clientType') !== 'public')
    throw new AwsError('InvalidClientMetadataException', 'Invalid client type; only public is supported');
  const scopes = Array.isArray(input.scopes) ? input.scopes.filter((s): s is string => typeof s === 'string') : [];
  const client = registerClient(store, { clientName, scopes }, now);
  // clientIdIssuedAt / clientSecretExpiresAt are epoch seconds (LongTimeStampType).
  return ok(
    {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: Math.floor(client.issuedAt / 1000),
      clientSecretExpiresAt: Math.floor(client.secretExpiresAt / 1000),
    },
    requestId,
  );
}

/** https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_StartDeviceAuthorization.html */
function start(store: SsoStore, req: OidcRequest, input: Record<string, unknown>): ServiceResponse {
  const client = authenticateClient(store, text(input, 'clientId'), text(input, 'clientSecret'), req.now);
  const startUrl = required(input, 'startUrl');
  // AWS does not document its answer for a start URL of no instance; the endpoint refuses it so a typo shows at once.
  if (startUrl.replace(/\/+$/, '').replace(/#.*$/, '') !== demoSsoStartUrl)
    throw new AwsError('InvalidRequestException', `No IAM Identity Center instance has the start URL ${startUrl}`);
  const device = startDeviceAuthorization(store, client, startUrl, req.now);
  const verificationUri = `${req.baseUrl}/sso/device`;
  return ok(
    {
      deviceCode: device.deviceCode,
      userCode: device.userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${device.userCode}`,
      expiresIn: Math.round((device.expiresAt - device.issuedAt) / 1000),
      interval: device.intervalSeconds,
    },
    req.requestId,
  );
}

/** https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html */
function createToken(store: SsoStore, req: OidcRequest, input: Record<string, unknown>): ServiceResponse {
  const client = authenticateClient(store, text(input, 'clientId'), text(input, 'clientSecret'), req.now);
  const grantType = required(input, 'grantType');
  // "Supports the following OAuth grant types: Authorization Code, Device Code, and Refresh Token";
  // the authorization code grant needs a redirect the device flow does not use.
  if (grantType === deviceCodeGrantType)
    return ok({ ...redeemDeviceCode(store, client, text(input, 'deviceCode'), req.now) }, req.requestId);
  if (grantType === 'refresh_token')
    return ok({ ...redeemRefreshToken(store, client, text(input, 'refreshToken'), req.now) }, req.requestId);
  throw new AwsError('UnsupportedGrantTypeException', `Unsupported grant type: ${grantType}`);
}

export function handleOidc(store: SsoStore, req: OidcRequest): ServiceResponse {
  try {
    const input = parseJsonBody(req.body);
    if (req.path === '/client/register') return register(store, input, req.now, req.requestId);
    if (req.path === '/device_authorization') return start(store, req, input);
    return createToken(store, req, input);
  } catch (error) {
    if (error instanceof AwsError)
      return oidcError(
        error.code === 'SerializationException' ? new AwsError('InvalidRequestException', error.message) : error,
        req.requestId,
      );
    throw error;
  }
}
