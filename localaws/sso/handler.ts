// IAM Identity Center on the endpoint's one port: the OIDC API (oidc.ts), the access
// portal API (portal.ts) and the device-approval page (devicePage.ts).
// SDKs call them at oidc.<region>.amazonaws.com and portal.sso.<region>.amazonaws.com; with
// an endpoint override they arrive here, told apart from the SigV4 services by their path:
// their operations are unsigned ("smithy.api#noAuth" in the models; the portal authenticates
// with the x-amz-sso_bearer_token header instead).
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/Welcome.html
// https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/Welcome.html

import { randomUUID } from 'node:crypto';
import type { DemoIdentity } from '../iam/identities';
import { parseAuthorization } from '../server/sigv4';
import { devicePagePath, handleDevicePage } from './devicePage';
import { handleOidc, oidcPaths } from './oidc';
import { handlePortal, portalPaths } from './portal';
import type { SsoStore } from './store';
import type { LocalAwsState } from '../server/state';
import type { ServiceResponse } from '../server/types';

export interface SsoTarget {
  store: SsoStore;
  state: LocalAwsState;
  identities: readonly DemoIdentity[];
}

export interface SsoHttpRequest {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

/** The signing names of the two APIs, should a client sign anyway. */
const ssoSigningNames = new Set(['sso-oauth', 'awsssoportal']);

/** True for a request to the OIDC or portal API or the approval page (unsigned, or signed for them). */
export function isSsoRequest(rawPath: string, headers: Record<string, string>): boolean {
  const path = rawPath.replace(/\/+$/, '') || '/';
  if (!oidcPaths.has(path) && !portalPaths.has(path) && path !== devicePagePath) return false;
  const authorization = headers.authorization;
  return authorization === undefined || ssoSigningNames.has(parseAuthorization(authorization)?.service ?? '');
}

export function handleSso(target: SsoTarget, req: SsoHttpRequest, now: number): ServiceResponse {
  const path = req.rawPath.replace(/\/+$/, '');
  const requestId = randomUUID();
  if (path === devicePagePath) return handleDevicePage(target, req.method, req.query, req.body, now);
  if (oidcPaths.has(path)) {
    const baseUrl = `http://${req.headers.host ?? `${target.state.region}.localhost`}`;
    return handleOidc(target.store, { path, body: req.body, baseUrl, now, requestId });
  }
  return handlePortal(target, { method: req.method, path, query: req.query, headers: req.headers, now, requestId });
}
