// Real clients against the endpoint: a Node child process resolving credentials with
// SDK v3's default chain, and Debian's AWS CLI 2.9 (`configure export-credentials`),
// each in an environment built by environment.ts, with a HOME full of OTHER credentials
// and a parent environment that would win if anything were left un-neutralised.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCredentialServer, type CredentialServer } from '../../src/core/credentials/credentialServer';
import { applyEnvironment, getContainerEnvironment, getPlainEnvironment, type EnvironmentChanges } from '../../src/core/credentials/environment';
import { writeProfileFiles } from '../../src/core/credentials/profileFiles';
import { type Session } from '../../src/core/session';
import { makeSession } from '../unit/credentialsFixtures';

const awsCli = '/usr/bin/aws';
const repoRoot = join(__dirname, '..', '..');

interface Resolved {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: string;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd: repoRoot, timeout: 25_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const sdkScript = `
require('@aws-sdk/credential-providers').fromNodeProviderChain()().then(
  (c) => console.log(JSON.stringify({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration && c.expiration.toISOString() })),
  (e) => { console.error(e.message); process.exit(3); });`;

async function resolveWithSdk(env: Record<string, string>): Promise<Resolved> {
  const result = await run(process.execPath, ['-e', sdkScript], env);
  assert.equal(result.code, 0, `SDK v3 could not resolve credentials: ${result.stderr}`);
  return JSON.parse(result.stdout) as Resolved;
}

async function resolveWithCli(env: Record<string, string>): Promise<Resolved> {
  const result = await run(awsCli, ['configure', 'export-credentials', '--format', 'process'], env);
  assert.equal(result.code, 0, `AWS CLI could not resolve credentials: ${result.stderr}`);
  const out = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken?: string; Expiration?: string };
  return { accessKeyId: out.AccessKeyId, secretAccessKey: out.SecretAccessKey, sessionToken: out.SessionToken, expiration: out.Expiration };
}

function assertSessionCredentials(resolved: Resolved, session: Session): void {
  assert.equal(resolved.accessKeyId, session.credentials.accessKeyId);
  assert.equal(resolved.secretAccessKey, session.credentials.secretAccessKey);
  assert.equal(resolved.sessionToken, session.credentials.sessionToken);
  assert.equal(Date.parse(resolved.expiration ?? ''), Math.floor(session.credentials.expiration / 1000) * 1000);
}

/** A HOME whose ~/.aws and ~/.boto hold other keys, and a parent environment that points at them. */
async function createHostileHome(root: string): Promise<Record<string, string>> {
  const home = join(root, 'home');
  await mkdir(join(home, '.aws'), { recursive: true });
  const other = 'aws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = OtherOtherOtherOtherOtherOtherOtherOther\n';
  await writeFile(join(home, '.aws', 'credentials'), `[default]\n${other}[work]\n${other}`);
  await writeFile(join(home, '.aws', 'config'), '[default]\nregion = us-west-2\n[profile work]\nregion = us-west-2\n');
  await writeFile(join(home, '.boto'), `[Credentials]\n${other}`);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_PROFILE: 'work',
    AWS_ACCESS_KEY_ID: 'AKIAPARENTPARENTPAR1',
    AWS_SECRET_ACCESS_KEY: 'ParentParentParentParentParentParentPare',
    AWS_SECURITY_TOKEN: 'stale-parent-token',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/parent',
  };
}

describe('credential endpoint with real clients (SDK v3 and AWS CLI 2.9)', function () {
  this.timeout(60_000);
  let root: string;
  let configDir: string;
  let parent: Record<string, string>;
  let server: CredentialServer;
  let session: Session;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'infrawatch-sdk-'));
    configDir = join(root, 'infrawatch');
    await writeProfileFiles(configDir, 'eu-west-1');
    parent = await createHostileHome(root);
  });
  after(async () => rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    server = await startCredentialServer();
    session = makeSession({ expiration: Date.now() + 30 * 60_000 });
  });
  afterEach(async () => server.close());

  function containerEnv(changes?: EnvironmentChanges): Record<string, string> {
    const endpoint = server.add(session);
    return applyEnvironment(parent, changes ?? getContainerEnvironment({ ...endpoint, region: session.region, configDir }));
  }

  it('SDK v3 default chain resolves exactly the session from the endpoint', async () => {
    assertSessionCredentials(await resolveWithSdk(containerEnv()), session);
  });

  it('AWS CLI 2.9 resolves exactly the session from the endpoint', async () => {
    assertSessionCredentials(await resolveWithCli(containerEnv()), session);
  });

  it('after revoke, neither falls back to other credentials: both fail', async () => {
    const env = containerEnv();
    server.remove(session.id);
    const sdk = await run(process.execPath, ['-e', sdkScript], env);
    assert.notEqual(sdk.code, 0, sdk.stdout);
    const cli = await run(awsCli, ['configure', 'export-credentials', '--format', 'process'], env);
    assert.notEqual(cli.code, 0, cli.stdout);
    assert.doesNotMatch(sdk.stdout + cli.stdout, /AKIAOTHER|AKIAPARENT/);
  });

  it('plain mode: both read the credentials from the environment', async () => {
    const env = applyEnvironment(parent, getPlainEnvironment(session, configDir));
    assertSessionCredentials(await resolveWithSdk(env), session);
    assertSessionCredentials(await resolveWithCli(env), session);
  });

  it('plain mode with the endpoint (for environments that cannot remove AWS_PROFILE): both get the session', async () => {
    const endpoint = server.add(session);
    const env = applyEnvironment(parent, getPlainEnvironment(session, configDir, endpoint));
    assert.equal(env.AWS_PROFILE, 'infrawatch');
    assertSessionCredentials(await resolveWithSdk(env), session);
    assertSessionCredentials(await resolveWithCli(env), session);
  });

  it('control: without the neutralising variables the other credentials would win', async () => {
    const endpoint = server.add(session);
    const naive = applyEnvironment(parent, { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.uri, AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token });
    const sdk = await run(process.execPath, ['-e', sdkScript], naive);
    assert.ok(sdk.code !== 0 || !sdk.stdout.includes(session.credentials.accessKeyId));
    const cli = await run(awsCli, ['configure', 'export-credentials', '--format', 'process'], naive);
    assert.ok(cli.code !== 0 || !cli.stdout.includes(session.credentials.accessKeyId));
  });
});
