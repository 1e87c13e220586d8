// Helpers for tests that sign in to the local endpoint's IAM Identity Center with the real
// SDK clients (@aws-sdk/client-sso-oidc and @aws-sdk/client-sso): register, start the
// device flow, approve it (control route or the HTML page) and create the token.

import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { SSOClient } from '@aws-sdk/client-sso';
import type { LocalAws } from '../server/server';
import { demoSsoStartUrl } from '../sso/directory';

export const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

export function oidcClient(aws: LocalAws): SSOOIDCClient {
  return new SSOOIDCClient({ endpoint: aws.url, region: aws.region, maxAttempts: 1 });
}

export function portalClient(aws: LocalAws): SSOClient {
  return new SSOClient({ endpoint: aws.url, region: aws.region, maxAttempts: 1 });
}

export interface DeviceFlow {
  clientId: string;
  clientSecret: string;
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  interval: number;
}

/** RegisterClient (with the refresh scope unless `legacy`) and StartDeviceAuthorization. */
export async function startDeviceFlow(
  aws: LocalAws,
  options: { legacy?: boolean; startUrl?: string } = {},
): Promise<DeviceFlow> {
  const oidc = oidcClient(aws);
  const client = await oidc.send(
    new RegisterClientCommand({
      clientName: 'infrawatch-test',
      clientType: 'public',
      scopes: options.legacy ? undefined : ['sso:account:access'],
    }),
  );
  const device = await oidc.send(
    new StartDeviceAuthorizationCommand({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      startUrl: options.startUrl ?? demoSsoStartUrl,
    }),
  );
  return {
    clientId: client.clientId ?? '',
    clientSecret: client.clientSecret ?? '',
    deviceCode: device.deviceCode ?? '',
    userCode: device.userCode ?? '',
    verificationUri: device.verificationUri ?? '',
    verificationUriComplete: device.verificationUriComplete ?? '',
    expiresIn: device.expiresIn ?? 0,
    interval: device.interval ?? 0,
  };
}

/** Approves (or denies) a user code through the control API, as a test stands in for the browser. */
export async function approveDevice(
  aws: LocalAws,
  userCode: string,
  extra: { deny?: boolean; user?: string } = {},
): Promise<Response> {
  return fetch(`${aws.url}/_localaws/sso/approve`, { method: 'POST', body: JSON.stringify({ userCode, ...extra }) });
}

export function createDeviceToken(aws: LocalAws, flow: DeviceFlow) {
  return oidcClient(aws).send(
    new CreateTokenCommand({
      clientId: flow.clientId,
      clientSecret: flow.clientSecret,
      grantType: deviceCodeGrant,
      deviceCode: flow.deviceCode,
    }),
  );
}

/** The whole device flow, approved programmatically; returns the CreateToken answer and the flow. */
export async function signIn(aws: LocalAws, options: { legacy?: boolean } = {}) {
  const flow = await startDeviceFlow(aws, options);
  const approved = await approveDevice(aws, flow.userCode);
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${await approved.text()}`);
  return { flow, token: await createDeviceToken(aws, flow) };
}
