// The SSO token cache a sign-in writes works for the `aws` on PATH (AWS CLI v1 / botocore):
// an `sso_session` profile reads ~/.aws/sso/cache/<sha1(session name)>.json, calls the
// portal's GetRoleCredentials with the cached token (refreshing it first through OIDC
// CreateToken when it is near its end) — all against the local endpoint via AWS_ENDPOINT_URL.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ssoRoleName } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import { demoSsoAccountId, demoSsoRegion, demoSsoStartUrl, demoSsoUser } from '../../sso/directory';
import { signIn } from '../../testing/ssoKit';

const sessionName = 'demo';

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function writeProfile(home: string): void {
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(
    join(home, '.aws', 'config'),
    [
      `[sso-session ${sessionName}]`,
      `sso_start_url = ${demoSsoStartUrl}`,
      `sso_region = ${demoSsoRegion}`,
      'sso_registration_scopes = sso:account:access',
      '',
      '[profile demo-sso]',
      `sso_session = ${sessionName}`,
      `sso_account_id = ${demoSsoAccountId}`,
      'sso_role_name = Developer',
      `region = ${demoSsoRegion}`,
      'output = json',
      '',
    ].join('\n'),
  );
}

/** The file the AWS CLI and SDKs use for an sso-session: sha1 of the session name. */
function cachePath(home: string): string {
  return join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(sessionName).digest('hex')}.json`);
}

function runAws(
  aws: LocalAws,
  home: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ENDPOINT_URL: aws.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
  return new Promise((resolve) => {
    execFile('aws', args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('local AWS endpoint: the SSO token cache with the aws on PATH (botocore)', function () {
  this.timeout(90_000);
  let aws: LocalAws;
  let home: string;
  beforeEach(async () => {
    aws = await startLocalAws();
    home = mkdtempSync(join(tmpdir(), 'iw-sso-home-'));
    writeProfile(home);
  });
  afterEach(async () => {
    await aws.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function writeCache(expiresAtMs: number): Promise<string> {
    const { flow, token } = await signIn(aws);
    const cache = {
      startUrl: demoSsoStartUrl,
      region: demoSsoRegion,
      accessToken: token.accessToken,
      expiresAt: isoSeconds(expiresAtMs),
      clientId: flow.clientId,
      clientSecret: flow.clientSecret,
      registrationExpiresAt: isoSeconds(Date.now() + 89 * 86_400_000),
      refreshToken: token.refreshToken,
    };
    writeFileSync(cachePath(home), JSON.stringify(cache), { mode: 0o600 });
    return token.accessToken ?? '';
  }

  it('aws --profile demo-sso sts get-caller-identity uses the cached token', async () => {
    await writeCache(Date.now() + 55 * 60_000);
    const result = await runAws(aws, home, ['--profile', 'demo-sso', 'sts', 'get-caller-identity']);
    assert.equal(result.code, 0, result.stderr);
    const me = JSON.parse(result.stdout) as { Arn: string; Account: string };
    assert.equal(me.Arn, `arn:aws:sts::${demoSsoAccountId}:assumed-role/${ssoRoleName}/${demoSsoUser}`);
  });

  it('refreshes a token near its end through CreateToken and writes it back to the cache', async () => {
    const first = await writeCache(Date.now() + 4 * 60_000);
    // The endpoint clock stays put (SigV4 would refuse the skew); botocore refreshes from the cache's expiresAt.
    const result = await runAws(aws, home, ['--profile', 'demo-sso', 'sts', 'get-caller-identity']);
    assert.equal(result.code, 0, result.stderr);
    const cached = JSON.parse(readFileSync(cachePath(home), 'utf8')) as { accessToken: string; expiresAt: string };
    assert.notEqual(cached.accessToken, first, 'the cache holds the refreshed token');
    assert.ok(Date.parse(cached.expiresAt) > Date.now() + 50 * 60_000);
  });
});
