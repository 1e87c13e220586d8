// A base identity from `aws login` (a login_session profile) works through the SDK's default
// chain, as the extension builds it (fromNodeProviderChain with the profile): the SDK reads the
// token the AWS CLI cached under ~/.aws/login/cache (here AWS_LOGIN_CACHE_DIRECTORY) and signs
// with it; with no token, InfraWatch says to run `aws login`.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { fetchIdentity } from '../../src/core/identity';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { identity } from '../../localaws/testing/clients';

const envKeys = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_LOGIN_CACHE_DIRECTORY',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
] as const;

describe('aws login (login_session) base identity through the SDK default chain', function () {
  this.timeout(30_000);
  let aws: LocalAws;
  let dir: string;
  const saved: Partial<Record<(typeof envKeys)[number], string>> = {};
  const loginSession = 'arn:aws:iam::111122223333:user/erin.employee';

  before(async () => {
    aws = await startLocalAws({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'iw-login-'));
    for (const key of envKeys) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    writeFileSync(join(dir, 'config'), `[profile demo-login]\nlogin_session = ${loginSession}\nregion = us-east-1\n`);
    writeFileSync(join(dir, 'credentials'), '');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_LOGIN_CACHE_DIRECTORY = join(dir, 'login-cache');
  });
  after(async () => {
    for (const key of envKeys) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    rmSync(dir, { recursive: true, force: true });
    await aws?.close();
  });

  const sts = () =>
    new STSClient({
      endpoint: aws.url,
      region: aws.region,
      maxAttempts: 1,
      credentials: fromNodeProviderChain({ profile: 'demo-login', ignoreCache: true }),
    });

  it('with no cached sign-in, says to run aws login for the profile', async () => {
    const result = await fetchIdentity(sts(), { profile: 'demo-login' });
    assert.equal(result.kind, 'noCredentials');
    assert.match(result.error.message, /run `aws login --profile demo-login`/);
  });

  it('with the token `aws login` cached, the default chain signs as that identity', async () => {
    const erin = identity(aws, 'employee');
    // The cache entry credential-provider-login reads: <sha256 of login_session>.json. The
    // refresh fields are required but unused while the access token is valid.
    const file = join(dir, 'login-cache', `${createHash('sha256').update(loginSession, 'utf8').digest('hex')}.json`);
    mkdirSync(join(dir, 'login-cache'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        accessToken: {
          accessKeyId: erin.accessKeyId,
          secretAccessKey: erin.secretAccessKey,
          accountId: '111122223333',
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        },
        clientId: 'arn:aws:signin:::devtools/same-device',
        refreshToken: 'demo-refresh',
        dpopKey: 'demo-dpop-key',
        idToken: 'x',
      }),
    );
    const result = await fetchIdentity(sts(), { profile: 'demo-login' });
    assert.equal(result.kind, 'ok', result.kind === 'ok' ? '' : result.error.message);
    assert.ok(result.kind === 'ok');
    assert.equal(result.identity.arn, erin.arn);
  });
});
