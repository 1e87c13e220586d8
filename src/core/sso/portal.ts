// The Identity Center calls a sign-in makes, over the clients from createSsoClients:
// the OIDC side (RegisterClient, StartDeviceAuthorization, CreateToken) and the access
// portal (ListAccounts, ListAccountRoles, GetRoleCredentials, each with the bearer token).
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_Operations.html
// https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_Operations.html
import type { AwsCredentialIdentity } from '@smithy/types';
import { type SsoClients } from '../awsClients';
import { loadAwsSdk } from '../loadAwsSdk';
import { type PollOutcome } from './deviceFlow';
import { type ClientRegistration, type TokenGrant } from './tokenCache';

/** Where and how to sign in: an sso-session from the config, or a start URL typed in (legacy when unnamed). */
export interface SsoSession {
  name?: string;
  startUrl: string;
  region: string;
}

/** The scope role credentials need; also what `aws sso login` registers with for an sso-session. */
export const accountAccessScope = 'sso:account:access';

export async function registerClient(clients: SsoClients): Promise<ClientRegistration> {
  const { RegisterClientCommand } = await loadAwsSdk();
  const out = await clients.oidc.send(
    new RegisterClientCommand({ clientName: 'InfraWatch', clientType: 'public', scopes: [accountAccessScope] }),
  );
  if (!out.clientId || !out.clientSecret || !out.clientSecretExpiresAt)
    throw new Error('Identity Center did not register the client.');
  return { clientId: out.clientId, clientSecret: out.clientSecret, expiresAtSeconds: out.clientSecretExpiresAt };
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** The verification page with the user code filled in. */
  verificationUriComplete?: string;
  expiresIn?: number;
  interval?: number;
}

export async function startDeviceAuthorization(
  clients: SsoClients,
  registration: ClientRegistration,
  startUrl: string,
): Promise<DeviceAuthorization> {
  const { StartDeviceAuthorizationCommand } = await loadAwsSdk();
  const out = await clients.oidc.send(
    new StartDeviceAuthorizationCommand({
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      startUrl,
    }),
  );
  if (!out.deviceCode || !out.userCode || !out.verificationUri)
    throw new Error('Identity Center did not start the device authorization.');
  return {
    deviceCode: out.deviceCode,
    userCode: out.userCode,
    verificationUri: out.verificationUri,
    ...(out.verificationUriComplete ? { verificationUriComplete: out.verificationUriComplete } : {}),
    ...(out.expiresIn ? { expiresIn: out.expiresIn } : {}),
    ...(out.interval ? { interval: out.interval } : {}),
  };
}

/** One CreateToken poll with the device code; OIDC errors become outcomes (network errors still throw). */
export async function pollForToken(
  clients: SsoClients,
  registration: ClientRegistration,
  deviceCode: string,
): Promise<PollOutcome> {
  const { CreateTokenCommand } = await loadAwsSdk();
  try {
    const out = await clients.oidc.send(
      new CreateTokenCommand({
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        deviceCode,
      }),
    );
    return { kind: 'token', accessToken: out.accessToken, expiresIn: out.expiresIn, refreshToken: out.refreshToken };
  } catch (error) {
    const e = error as { name?: string; $metadata?: unknown; error_description?: string };
    if (!e.$metadata || !e.name) throw error; // not an answer from the service
    return { kind: 'error', name: e.name, ...(e.error_description ? { message: e.error_description } : {}) };
  }
}

/** A new access token for a refresh token (CreateToken, grant refresh_token). */
export async function refreshAccessToken(
  clients: SsoClients,
  registration: ClientRegistration,
  refreshToken: string,
): Promise<TokenGrant> {
  const { CreateTokenCommand } = await loadAwsSdk();
  const out = await clients.oidc.send(
    new CreateTokenCommand({
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      grantType: 'refresh_token',
      refreshToken,
    }),
  );
  if (!out.accessToken || !out.expiresIn)
    throw new Error('Identity Center answered the refresh without an access token.');
  return {
    accessToken: out.accessToken,
    expiresInSeconds: out.expiresIn,
    ...(out.refreshToken ? { refreshToken: out.refreshToken } : {}),
  };
}

export interface SsoAccount {
  accountId: string;
  accountName?: string;
  emailAddress?: string;
}

export async function listAccounts(clients: SsoClients, accessToken: string): Promise<SsoAccount[]> {
  const { ListAccountsCommand } = await loadAwsSdk();
  const accounts: SsoAccount[] = [];
  let nextToken: string | undefined;
  do {
    const out = await clients.portal.send(
      new ListAccountsCommand({ accessToken, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const a of out.accountList ?? []) {
      if (a.accountId)
        accounts.push({
          accountId: a.accountId,
          ...(a.accountName ? { accountName: a.accountName } : {}),
          ...(a.emailAddress ? { emailAddress: a.emailAddress } : {}),
        });
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return accounts;
}

/** The permission sets (role names) the user may use in the account. */
export async function listAccountRoles(clients: SsoClients, accessToken: string, accountId: string): Promise<string[]> {
  const { ListAccountRolesCommand } = await loadAwsSdk();
  const roles: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await clients.portal.send(
      new ListAccountRolesCommand({ accessToken, accountId, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const r of out.roleList ?? []) if (r.roleName) roles.push(r.roleName);
    nextToken = out.nextToken;
  } while (nextToken);
  return roles;
}

export async function getRoleCredentials(
  clients: SsoClients,
  accessToken: string,
  accountId: string,
  roleName: string,
): Promise<AwsCredentialIdentity> {
  const { GetRoleCredentialsCommand } = await loadAwsSdk();
  const out = await clients.portal.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName }));
  const c = out.roleCredentials;
  if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken)
    throw new Error('Identity Center returned no role credentials.');
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    ...(c.expiration ? { expiration: new Date(c.expiration) } : {}),
    accountId,
  };
}
