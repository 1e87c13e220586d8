// IAM Identity Center on the local endpoint, driven by the real SDK clients: the OIDC
// device flow (RegisterClient, StartDeviceAuthorization, CreateToken with its pending,
// slow-down, expiry, deny and refresh answers), the device-approval page, and the portal
// (ListAccounts, ListAccountRoles, GetRoleCredentials, Logout) whose credentials are role
// sessions of the permission set's role.

import assert from 'node:assert/strict';
import { CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
} from '@aws-sdk/client-sso';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { jitRoleArn, ssoRoleName } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import { demoSsoAccountId, demoSsoPassword, demoSsoUser } from '../../sso/directory';
import {
  approveDevice,
  createDeviceToken,
  oidcClient,
  portalClient,
  signIn,
  startDeviceFlow,
} from '../../testing/ssoKit';
import { identity, stsClient, totpCode } from '../../testing/clients';

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error';
}

const minute = 60_000;

describe('local AWS endpoint: IAM Identity Center (OIDC and portal)', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());

  it('serves RegisterClient and StartDeviceAuthorization in the OIDC wire shape', async () => {
    const register = await fetch(`${aws.url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientName: 'raw', clientType: 'public' }),
    });
    assert.equal(register.status, 200);
    const client = (await register.json()) as Record<string, unknown>;
    assert.equal(typeof client.clientId, 'string');
    assert.equal(typeof client.clientSecret, 'string');
    const nowSeconds = Math.floor(aws.clock.now() / 1000);
    assert.ok(Math.abs((client.clientIdIssuedAt as number) - nowSeconds) < 5, 'clientIdIssuedAt is epoch seconds');
    assert.ok((client.clientSecretExpiresAt as number) > nowSeconds + 80 * 24 * 3600, 'the secret lasts about 90 days');
    const flow = await startDeviceFlow(aws);
    assert.match(flow.userCode, /^[A-Z]{4}-[A-Z]{4}$/);
    assert.equal(flow.verificationUri, `${aws.url}/sso/device`);
    assert.equal(flow.verificationUriComplete, `${aws.url}/sso/device?user_code=${flow.userCode}`);
    assert.equal(flow.expiresIn, 600);
    assert.equal(flow.interval, 1);
  });

  it('CreateToken is pending until the device is allowed, then returns a bearer token with a refresh token', async () => {
    const flow = await startDeviceFlow(aws);
    assert.equal(await errorName(createDeviceToken(aws, flow)), 'AuthorizationPendingException');
    const listed = (await (await fetch(`${aws.url}/_localaws/sso/devices`)).json()) as {
      devices: Array<Record<string, unknown>>;
    };
    assert.deepEqual(
      listed.devices.map((d) => [d.userCode, d.status]),
      [[flow.userCode, 'pending']],
    );
    assert.ok(!JSON.stringify(listed).includes(flow.deviceCode), 'the control API never shows a device code');
    assert.equal((await approveDevice(aws, flow.userCode)).status, 200);
    aws.clock.advance(1000);
    const token = await createDeviceToken(aws, flow);
    assert.equal(token.tokenType, 'Bearer');
    assert.equal(token.expiresIn, 3600);
    assert.ok(token.accessToken && token.refreshToken);
    assert.equal(token.idToken, undefined);
    assert.equal(await errorName(createDeviceToken(aws, flow)), 'InvalidGrantException', 'a device code works once');
  });

  it('answers OIDC errors with the error/error_description body and the x-amzn-errortype header', async () => {
    const flow = await startDeviceFlow(aws);
    const response = await fetch(`${aws.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: flow.clientId,
        clientSecret: flow.clientSecret,
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        deviceCode: flow.deviceCode,
      }),
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('x-amzn-errortype') ?? '', /^AuthorizationPendingException/);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.error, 'authorization_pending');
    assert.equal(typeof body.error_description, 'string');
    const badClient = oidcClient(aws).send(
      new CreateTokenCommand({
        clientId: flow.clientId,
        clientSecret: 'wrong',
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        deviceCode: flow.deviceCode,
      }),
    );
    assert.equal(await errorName(badClient), 'InvalidClientException');
    const badGrant = oidcClient(aws).send(
      new CreateTokenCommand({ clientId: flow.clientId, clientSecret: flow.clientSecret, grantType: 'password' }),
    );
    assert.equal(await errorName(badGrant), 'UnsupportedGrantTypeException');
  });

  it('answers SlowDownException when polled again within the interval', async () => {
    const flow = await startDeviceFlow(aws);
    assert.equal(await errorName(createDeviceToken(aws, flow)), 'AuthorizationPendingException');
    assert.equal(await errorName(createDeviceToken(aws, flow)), 'SlowDownException');
    aws.clock.advance(1000);
    assert.equal(await errorName(createDeviceToken(aws, flow)), 'AuthorizationPendingException');
  });

  it('expires the device code after expiresIn and answers a denied request with AccessDeniedException', async () => {
    const flow = await startDeviceFlow(aws);
    aws.clock.advance(601_000);
    assert.equal(await errorName(createDeviceToken(aws, flow)), 'ExpiredTokenException');
    assert.equal((await approveDevice(aws, flow.userCode)).status, 400, 'an expired code cannot be approved');
    const denied = await startDeviceFlow(aws);
    await approveDevice(aws, denied.userCode, { deny: true });
    assert.equal(await errorName(createDeviceToken(aws, denied)), 'AccessDeniedException');
  });

  it('the device-approval page: the form, a wrong password, then the demo user allows the device', async () => {
    const flow = await startDeviceFlow(aws);
    const page = await fetch(flow.verificationUriComplete);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.ok(html.includes(`value="${flow.userCode}"`), 'the user code is filled in');
    for (const id of ['user_code', 'username', 'password', 'mfa_code', 'allow', 'deny'])
      assert.ok(html.includes(`id="${id}"`), id);
    // The form posts relative to the page, so it also works where the page is reached
    // through a path proxy (code-server forwards local ports under /proxy/<port>/).
    const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
    assert.equal(
      new URL(action ?? '/', 'http://editor.example/proxy/4566/sso/device?user_code=X').pathname,
      '/proxy/4566/sso/device',
      `form action ${action}`,
    );
    const post = (fields: Record<string, string>) =>
      fetch(flow.verificationUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const wrong = await post({
      user_code: flow.userCode,
      username: demoSsoUser,
      password: 'nope',
      mfa_code: totpCode(aws, 'sso'),
      action: 'allow',
    });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /id="result"[^>]*>[^<]*(password|incorrect)/i);
    assert.equal(await errorName(createDeviceToken(aws, flow)), 'AuthorizationPendingException');
    const ok = await post({
      user_code: flow.userCode,
      username: demoSsoUser,
      password: demoSsoPassword,
      mfa_code: totpCode(aws, 'sso'),
      action: 'allow',
    });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /id="result"[^>]*>[^<]*approved/i);
    aws.clock.advance(1000);
    assert.ok((await createDeviceToken(aws, flow)).accessToken);
  });

  it('lists the account and permission sets; GetRoleCredentials is a session of the permission set role', async () => {
    const { token } = await signIn(aws);
    const portal = portalClient(aws);
    const accounts = await portal.send(new ListAccountsCommand({ accessToken: token.accessToken }));
    assert.deepEqual(
      accounts.accountList?.map((a) => a.accountId),
      [demoSsoAccountId],
    );
    const roles = await portal.send(
      new ListAccountRolesCommand({ accessToken: token.accessToken, accountId: demoSsoAccountId }),
    );
    assert.deepEqual(
      roles.roleList?.map((r) => r.roleName),
      ['Developer', 'ReadOnly'],
    );
    const before = aws.clock.now();
    const { roleCredentials } = await portal.send(
      new GetRoleCredentialsCommand({
        accessToken: token.accessToken,
        accountId: demoSsoAccountId,
        roleName: 'Developer',
      }),
    );
    assert.ok(roleCredentials?.accessKeyId?.startsWith('ASIA'));
    const expiration = roleCredentials?.expiration ?? 0;
    assert.ok(Math.abs(expiration - (before + 3600_000)) < 5000, 'expiration is epoch ms, one hour on');
    const credentials = {
      accessKeyId: roleCredentials?.accessKeyId ?? '',
      secretAccessKey: roleCredentials?.secretAccessKey ?? '',
      sessionToken: roleCredentials?.sessionToken,
    };
    const sts = stsClient(aws, credentials);
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::${demoSsoAccountId}:assumed-role/${ssoRoleName}/${demoSsoUser}`);
    const demoSso = aws.state.credentials.get(identity(aws, 'sso').accessKeyId)?.principal;
    assert.equal(me.UserId?.split(':')[0], demoSso?.userId.split(':')[0], 'the same role id as the demo sso identity');
    // A role session has no MFA device to present; the demo roles trust the Identity Center role as they trust demo-sso.
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Employee'),
        RoleSessionName: 'sam-jit',
        DurationSeconds: 3600,
      }),
    );
    assert.equal(
      assumed.AssumedRoleUser?.Arn,
      `arn:aws:sts::${demoSsoAccountId}:assumed-role/InfraWatch-Employee/sam-jit`,
    );
    const readOnly = await portal.send(
      new GetRoleCredentialsCommand({
        accessToken: token.accessToken,
        accountId: demoSsoAccountId,
        roleName: 'ReadOnly',
      }),
    );
    const readOnlySts = stsClient(aws, {
      accessKeyId: readOnly.roleCredentials?.accessKeyId ?? '',
      secretAccessKey: readOnly.roleCredentials?.secretAccessKey ?? '',
      sessionToken: readOnly.roleCredentials?.sessionToken,
    });
    assert.match(
      (await readOnlySts.send(new GetCallerIdentityCommand({}))).Arn ?? '',
      /:assumed-role\/AWSReservedSSO_ReadOnly_[a-z0-9]{16}\/sam\.sso$/,
    );
    assert.equal(
      await errorName(
        readOnlySts.send(new AssumeRoleCommand({ RoleArn: jitRoleArn('InfraWatch-Employee'), RoleSessionName: 'ro' })),
      ),
      'AccessDenied',
      'no JIT role trusts ReadOnly',
    );
    const unassigned = portal.send(
      new GetRoleCredentialsCommand({
        accessToken: token.accessToken,
        accountId: '999988887777',
        roleName: 'Developer',
      }),
    );
    assert.equal(
      await errorName(unassigned),
      'ForbiddenException',
      'what AWS answers for an account or role not assigned',
    );
  });

  it('access tokens expire after an hour, refresh with the refresh token until the portal session ends', async () => {
    const { flow, token } = await signIn(aws);
    const portal = portalClient(aws);
    aws.clock.advance(61 * minute);
    assert.equal(
      await errorName(portal.send(new ListAccountsCommand({ accessToken: token.accessToken }))),
      'UnauthorizedException',
    );
    const refreshed = await oidcClient(aws).send(
      new CreateTokenCommand({
        clientId: flow.clientId,
        clientSecret: flow.clientSecret,
        grantType: 'refresh_token',
        refreshToken: token.refreshToken,
      }),
    );
    assert.notEqual(refreshed.accessToken, token.accessToken);
    assert.equal(refreshed.expiresIn, 3600);
    assert.ok((await portal.send(new ListAccountsCommand({ accessToken: refreshed.accessToken }))).accountList?.length);
    aws.clock.advance(8 * 60 * minute);
    const late = oidcClient(aws).send(
      new CreateTokenCommand({
        clientId: flow.clientId,
        clientSecret: flow.clientSecret,
        grantType: 'refresh_token',
        refreshToken: refreshed.refreshToken ?? token.refreshToken,
      }),
    );
    assert.equal(await errorName(late), 'InvalidGrantException', 'no refresh after the 8 h portal session');
  });

  it('a client registered without the refresh scope gets no refresh token (legacy flow)', async () => {
    const { token } = await signIn(aws, { legacy: true });
    assert.equal(token.refreshToken, undefined);
    assert.ok(Math.abs((token.expiresIn ?? 0) - 8 * 3600) <= 2, 'the token lasts as long as the 8 h portal session');
  });

  it('Logout revokes the access token; a bad token is UnauthorizedException', async () => {
    const { token } = await signIn(aws);
    const portal = portalClient(aws);
    await portal.send(new LogoutCommand({ accessToken: token.accessToken }));
    assert.equal(
      await errorName(portal.send(new ListAccountsCommand({ accessToken: token.accessToken }))),
      'UnauthorizedException',
    );
    assert.equal(
      await errorName(portal.send(new ListAccountsCommand({ accessToken: 'not-a-token' }))),
      'UnauthorizedException',
    );
  });

  it('with the IAM kit roles, a signed-in Developer session fares exactly as the demo sso identity at AssumeRole', async () => {
    await aws.close();
    aws = await startLocalAws({ roles: 'kit' });
    const { token } = await signIn(aws);
    const { roleCredentials } = await portalClient(aws).send(
      new GetRoleCredentialsCommand({
        accessToken: token.accessToken,
        accountId: demoSsoAccountId,
        roleName: 'Developer',
      }),
    );
    const signedIn = {
      accessKeyId: roleCredentials?.accessKeyId ?? '',
      secretAccessKey: roleCredentials?.secretAccessKey ?? '',
      sessionToken: roleCredentials?.sessionToken,
    };
    const demo = {
      accessKeyId: identity(aws, 'sso').accessKeyId,
      secretAccessKey: identity(aws, 'sso').secretAccessKey,
      sessionToken: identity(aws, 'sso').sessionToken,
    };
    const outcome = async (credentials: typeof demo, name: string, withMfa: boolean) => {
      try {
        const out = await stsClient(aws, credentials).send(
          new AssumeRoleCommand({
            RoleArn: jitRoleArn('InfraWatch-Employee'),
            RoleSessionName: name,
            SourceIdentity: demoSsoUser,
            ...(withMfa
              ? {
                  SerialNumber: identity(aws, 'sso').mfaSerial,
                  TokenCode: totpCode(aws, 'sso', aws.clock.now() + (name.endsWith('2') ? 30_000 : 0)),
                }
              : {}),
          }),
        );
        return out.AssumedRoleUser?.Arn?.split('/')[1];
      } catch (error) {
        return (error as Error).name;
      }
    };
    for (const withMfa of [false, true]) {
      const fromDemo = await outcome(demo, 'demo1', withMfa);
      const fromSignIn = await outcome(signedIn, 'signin2', withMfa);
      assert.equal(fromSignIn, fromDemo, `same outcome ${withMfa ? 'with' : 'without'} MFA (${String(fromDemo)})`);
    }
  });
});
