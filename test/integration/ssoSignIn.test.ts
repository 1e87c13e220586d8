// InfraWatch's Identity Center sign-in (src/core/sso) against the local endpoint's OIDC and
// portal APIs: the device flow to approval, the shared cache file, reuse of a cached token,
// refresh with the refresh token, role credentials of the permission set, and the end of
// the sign-in as the "no credentials" signal the sidebar turns into its welcome view.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createSsoClients } from '../../src/core/awsClients';
import { listAccountRoles, listAccounts } from '../../src/core/sso/portal';
import { type SignInPorts, SsoSignIn } from '../../src/core/sso/signedIn';
import { getTokenCachePath } from '../../src/core/sso/tokenCache';
import { ssoRoleName } from '../../localaws/iam/identities';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { demoSsoAccountId, demoSsoStartUrl } from '../../localaws/sso/directory';
import { approveDevice } from '../../localaws/testing/ssoKit';

const session = { name: 'infrawatch-demo', startUrl: demoSsoStartUrl, region: 'us-east-1' };
const hour = 3_600_000;

describe('sso sign-in against the local endpoint', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let home: string;
  let now: number;
  let secrets: string[];
  let ports: SignInPorts;

  beforeEach(async () => {
    aws = await startLocalAws();
    home = await mkdtemp(join(tmpdir(), 'iw-sso-home-'));
    now = Date.now();
    secrets = [];
    ports = {
      clients: createSsoClients({ region: 'us-east-1', endpoint: aws.url, maxAttempts: 1 }),
      clock: { now: () => now },
      homeDir: home,
      onSecret: (s) => secrets.push(s),
      sleep: async (ms) => {
        await new Promise((r) => setTimeout(r, Math.min(ms, 1100)));
        now += ms;
      },
    };
  });
  afterEach(async () => {
    ports.clients.dispose();
    await aws.close();
    await rm(home, { recursive: true, force: true });
  });

  async function advance(ms: number): Promise<void> {
    now += ms;
    await fetch(`${aws.url}/_localaws/clock/advance`, { method: 'POST', body: JSON.stringify({ ms }) });
  }

  async function signInApproved(): Promise<SsoSignIn> {
    return SsoSignIn.signIn(session, ports, (authorization) => {
      void approveDevice(aws, authorization.userCode);
    });
  }

  it('runs the device flow to approval, writes the shared cache and becomes the permission set', async () => {
    const signIn = await signInApproved();
    const cached = JSON.parse(await readFile(getTokenCachePath('infrawatch-demo', home), 'utf8')) as Record<
      string,
      string
    >;
    assert.deepEqual(Object.keys(cached).sort(), [
      'accessToken',
      'clientId',
      'clientSecret',
      'expiresAt',
      'refreshToken',
      'region',
      'registrationExpiresAt',
      'startUrl',
    ]);
    for (const secret of [cached.accessToken, cached.refreshToken, cached.clientSecret])
      assert.ok(secrets.includes(secret!), 'every secret went to the redactor');

    const token = await signIn.getAccessToken();
    assert.deepEqual(
      (await listAccounts(ports.clients, token)).map((a) => a.accountId),
      [demoSsoAccountId],
    );
    assert.ok((await listAccountRoles(ports.clients, token, demoSsoAccountId)).includes('Developer'));
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: aws.url,
      credentials: signIn.getCredentialsProvider(demoSsoAccountId, 'Developer'),
    });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.match(who.Arn ?? '', new RegExp(`assumed-role/${ssoRoleName}/`));
    sts.destroy();
  });

  it('reuses a valid cached token without the device flow, and refreshes one near expiry', async () => {
    const first = await signInApproved();
    const again = await SsoSignIn.fromCache(session, ports);
    assert.equal(await again?.getAccessToken(), await first.getAccessToken());

    await advance(first.expiresAt - now - 2 * 60_000); // inside the 5-minute refresh window
    const refreshed = await SsoSignIn.fromCache(session, ports);
    assert.ok(refreshed);
    assert.notEqual(await refreshed.getAccessToken(), await first.getAccessToken().catch(() => 'old'));
    assert.ok(refreshed.expiresAt > now + 30 * 60_000);
  });

  it('once the Identity Center session has ended, credentials fail as "no credentials" with a plain message', async () => {
    const signIn = await signInApproved();
    const provider = signIn.getCredentialsProvider(demoSsoAccountId, 'Developer');
    await provider();
    await advance(9 * hour); // past the portal session (8 h): refresh is refused too
    const error = await provider().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.equal(error?.name, 'CredentialsProviderError');
    assert.match(error?.message ?? '', /sign-in has expired: sign in again/);
    assert.equal(signIn.decide().kind, 'expired');
    assert.equal(await SsoSignIn.fromCache(session, ports), undefined);
  });
});
