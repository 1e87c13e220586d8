import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRfc3339 } from '../../src/core/credentials/containerCredentials';
import { applyEnvironment, getContainerEnvironment, getExportLines, getPlainEnvironment } from '../../src/core/credentials/environment';
import { credentialsFileText, getConfigFileText, writeProfileFiles } from '../../src/core/credentials/profileFiles';
import { makeSession } from './credentialsFixtures';

const endpoint = { uri: 'http://127.0.0.1:41234/credentials/rds-read', token: 'tok_abc-DEF' };

describe('credentials: environments for terminals and debuggees', () => {
  it('container mode: endpoint, region, the infrawatch profile, and no credentials', () => {
    const env = getContainerEnvironment({ ...endpoint, region: 'eu-west-1', configDir: '/cfg' });
    assert.equal(env.AWS_CONTAINER_CREDENTIALS_FULL_URI, endpoint.uri);
    assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN, endpoint.token);
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-1');
    assert.equal(env.AWS_PROFILE, 'infrawatch');
    assert.equal(env.AWS_CONFIG_FILE, join('/cfg', 'aws-config'));
    assert.equal(env.AWS_SHARED_CREDENTIALS_FILE, join('/cfg', 'aws-credentials'));
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']) {
      assert.equal(env[name], '', `${name} is emptied`);
    }
    // Present-but-empty still outranks the full URI in the CLI: it must be removed.
    assert.equal(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, null);
  });

  it('plain mode: the credentials with their expiry, AWS_PROFILE removed', () => {
    const session = makeSession({ expiration: Date.UTC(2025, 0, 1, 13, 0, 0, 500), region: 'us-east-2' });
    const env = getPlainEnvironment(session, '/cfg');
    assert.equal(env.AWS_ACCESS_KEY_ID, session.credentials.accessKeyId);
    assert.equal(env.AWS_SECRET_ACCESS_KEY, session.credentials.secretAccessKey);
    assert.equal(env.AWS_SESSION_TOKEN, session.credentials.sessionToken);
    assert.equal(env.AWS_CREDENTIAL_EXPIRATION, '2025-01-01T13:00:00Z');
    assert.equal(env.AWS_REGION, 'us-east-2');
    assert.equal(env.AWS_PROFILE, null);
    assert.equal(env.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined);
    const withEndpoint = getPlainEnvironment(session, '/cfg', endpoint);
    assert.equal(withEndpoint.AWS_PROFILE, 'infrawatch');
    assert.equal(withEndpoint.AWS_CONTAINER_CREDENTIALS_FULL_URI, endpoint.uri);
    assert.equal(withEndpoint.AWS_ACCESS_KEY_ID, session.credentials.accessKeyId);
  });

  it('applyEnvironment sets, empties and removes', () => {
    const out = applyEnvironment({ KEEP: '1', AWS_PROFILE: 'prod', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/x', GONE: undefined }, { AWS_PROFILE: 'infrawatch', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: null, AWS_ACCESS_KEY_ID: '' });
    assert.deepEqual(out, { KEEP: '1', AWS_PROFILE: 'infrawatch', AWS_ACCESS_KEY_ID: '' });
  });

  it('export lines survive a real POSIX shell unchanged, quotes and all', () => {
    const tricky = `it's $(touch /tmp/pwned) \`x\` "q" \\ $HOME ;|&\n*`;
    const lines = getExportLines({ AWS_REGION: 'eu-west-1', TRICKY: tricky, EMPTY: '', AWS_PROFILE: null });
    assert.match(lines, /^unset AWS_PROFILE$/m);
    const script = `AWS_PROFILE=before\n${lines}printf '%s\\0' "$TRICKY" "$EMPTY" "\${AWS_PROFILE-unset}" "$AWS_REGION"`;
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).split('\0');
    assert.deepEqual(out.slice(0, 4), [tricky, '', 'unset', 'eu-west-1']);
  });

  it('export lines refuse a name that is not a variable', () => {
    assert.throws(() => getExportLines({ 'A=B; rm -rf ~': 'x' }), /not a variable name/);
  });

  it('RFC 3339 expiry without milliseconds, never later than the real one', () => {
    assert.equal(getRfc3339(Date.UTC(2025, 4, 6, 7, 8, 9, 999)), '2025-05-06T07:08:09Z');
  });
});

describe('credentials: profile files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infrawatch-profile-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes a profile with the region and no credentials, private to the user', async () => {
    const files = await writeProfileFiles(join(dir, 'aws'), 'ap-southeast-2');
    assert.match(await readFile(files.configFile, 'utf8'), /^\[profile infrawatch\]\nregion = ap-southeast-2$/m);
    const credentials = await readFile(files.credentialsFile, 'utf8');
    assert.equal(credentials, credentialsFileText);
    assert.doesNotMatch(credentials, /aws_access_key_id|=/);
    assert.equal((await stat(files.configFile)).mode & 0o077, 0);
  });

  it('refuses a region that could inject INI lines', () => {
    assert.throws(() => getConfigFileText('eu-west-1\ncredential_process = sh evil'), /not a region name/);
  });
});
