import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRfc3339 } from '../../src/core/credentials/containerCredentials';
import {
  applyCollection,
  applyEnvironment,
  getContainerEnvironment,
  getExportLines,
  getPlainEnvironment,
  getUnremovable,
} from '../../src/core/credentials/environment';
import {
  getIniKeys,
  getShadowingSources,
  readInheritedAws,
  type ShadowingSources,
} from '../../src/core/credentials/inheritedAws';
import { TokenFiles } from '../../src/core/credentials/tokenFiles';
import { credentialsFileText, getConfigFileText, writeProfileFiles } from '../../src/core/credentials/profileFiles';
import { makeSession } from './credentialsFixtures';

const endpoint = { uri: 'http://127.0.0.1:41234/credentials/rds-read', token: 'tok_abc-DEF' };

const none: ShadowingSources = getShadowingSources({ env: {}, files: { boto: [] } });
const standing: ShadowingSources = getShadowingSources({
  env: {
    AWS_PROFILE: 'work',
    AWS_ACCESS_KEY_ID: 'AKIAPARENT',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_SECURITY_TOKEN: 'stale',
    AWS_ROLE_ARN: 'arn:aws:iam::1:role/r',
    AWS_WEB_IDENTITY_TOKEN_FILE: '/t',
    AWS_CREDENTIAL_FILE: '/c',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/x',
  },
  files: { credentials: '[default]\naws_access_key_id = AKIA\n', boto: ['[Credentials]\naws_access_key_id = AKIA\n'] },
});
const base = { region: 'eu-west-1', configDir: '/cfg', endpoint };

describe('credentials: environments for terminals and debuggees', () => {
  it('endpoint mode from a clean editor: the endpoint, its token and the region, nothing else', () => {
    for (const target of ['collection', 'process'] as const) {
      const env = getContainerEnvironment({ ...base, target, sources: none });
      assert.deepEqual(env, {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.uri,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token,
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
      });
    }
  });

  it('a token file keeps the token out of the environment; the configured endpoint goes to AWS_ENDPOINT_URL', () => {
    const env = getContainerEnvironment({
      ...base,
      target: 'collection',
      sources: none,
      tokenFile: '/cfg/tokens/1-a.token',
      endpointUrl: 'http://127.0.0.1:4566',
    });
    assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, '/cfg/tokens/1-a.token');
    assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN, undefined);
    assert.equal(env.AWS_ENDPOINT_URL, 'http://127.0.0.1:4566');
    assert.ok(!Object.values(env).includes(endpoint.token));
  });

  it('from an editor with standing access, a terminal (collection) sets each source aside the way every client tolerates', () => {
    const env = getContainerEnvironment({ ...base, target: 'collection', sources: standing });
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SECURITY_TOKEN',
      'AWS_ROLE_ARN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ])
      assert.equal(env[name], '', name);
    assert.equal(env.AWS_PROFILE, 'infrawatch', 'an empty AWS_PROFILE breaks botocore: it names our profile');
    assert.equal(env.AWS_CONFIG_FILE, join('/cfg', 'aws-config'));
    assert.equal(env.AWS_SHARED_CREDENTIALS_FILE, join('/cfg', 'aws-credentials'));
    assert.equal(env.AWS_CREDENTIAL_FILE, join('/cfg', 'aws-credentials'), 'an empty one makes botocore fail');
    assert.equal(env.BOTO_CONFIG, join('/cfg', 'aws-credentials'));
    assert.equal(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, null, 'only removing helps');
    assert.deepEqual(getUnremovable(env), ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']);
    // Variables the editor did not have are not touched.
    for (const name of [
      'AWS_SESSION_TOKEN',
      'AWS_DEFAULT_PROFILE',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
      'AWS_EC2_METADATA_DISABLED',
    ])
      assert.equal(name in env, false, name);
  });

  it('a debug launch or Open Terminal (process) removes what it sets aside', () => {
    const env = getContainerEnvironment({ ...base, target: 'process', sources: standing });
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SECURITY_TOKEN',
      'AWS_PROFILE',
      'AWS_CREDENTIAL_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    ])
      assert.equal(env[name], null, name);
    assert.equal(
      env.AWS_CONFIG_FILE,
      join('/cfg', 'aws-config'),
      'the default profile has keys: its files are set aside',
    );
  });

  it('an inherited token file is removed in a debug launch when the token goes in a variable', () => {
    const sources = getShadowingSources({
      env: { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/other' },
      files: { boto: [] },
    });
    assert.equal(
      getContainerEnvironment({ ...base, target: 'process', sources }).AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
      null,
    );
  });

  it('plain mode: the credentials with their expiry; AWS_PROFILE removed, or (collection) our profile plus the endpoint', () => {
    const session = makeSession({ expiration: Date.UTC(2025, 0, 1, 13, 0, 0, 500), region: 'us-east-2' });
    const clean = getPlainEnvironment(session, { ...base, target: 'collection', sources: none });
    assert.deepEqual(clean, {
      AWS_ACCESS_KEY_ID: session.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: session.credentials.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: '2025-01-01T13:00:00Z',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    const debug = getPlainEnvironment(session, { ...base, target: 'process', sources: standing });
    assert.equal(debug.AWS_PROFILE, null);
    assert.equal(debug.AWS_SECURITY_TOKEN, null, 'botocore reads it before AWS_SESSION_TOKEN');
    assert.equal(debug.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined);
    const terminal = getPlainEnvironment(session, { ...base, target: 'collection', sources: standing });
    assert.equal(terminal.AWS_PROFILE, 'infrawatch');
    assert.equal(terminal.AWS_SECURITY_TOKEN, '');
    // SDK v3 and Go prefer a named profile to the keys: they reach the same session through the endpoint.
    assert.equal(terminal.AWS_CONTAINER_CREDENTIALS_FULL_URI, endpoint.uri);
  });

  it('applyEnvironment sets, empties and removes; applyCollection cannot remove', () => {
    const parent = { KEEP: '1', AWS_PROFILE: 'prod', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/x', GONE: undefined };
    const changes = { AWS_PROFILE: 'infrawatch', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: null, AWS_ACCESS_KEY_ID: '' };
    assert.deepEqual(applyEnvironment(parent, changes), {
      KEEP: '1',
      AWS_PROFILE: 'infrawatch',
      AWS_ACCESS_KEY_ID: '',
    });
    assert.deepEqual(applyCollection(parent, changes), {
      KEEP: '1',
      AWS_PROFILE: 'infrawatch',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/x',
      AWS_ACCESS_KEY_ID: '',
    });
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

describe('credentials: what the inherited environment would put before the session', () => {
  it('reads INI sections and key names, ignoring comments and values', () => {
    const keys = getIniKeys(
      '# c\n[default]\nregion = x\n; c\n[profile work]\nCredential_Process = a=b\n  nested = 1\n',
    );
    assert.deepEqual([...keys.get('default')!], ['region']);
    assert.deepEqual([...keys.get('profile work')!], ['credential_process']);
  });

  it('a default profile with any credential source counts; a region alone does not', () => {
    const of = (config: string, credentials = '') =>
      getShadowingSources({ env: {}, files: { config, credentials, boto: [] } }).defaultProfileHasCredentials;
    assert.equal(of('[default]\nregion = eu-west-1\noutput = json\n'), false);
    assert.equal(of('[default]\nsso_session = corp\n'), true);
    assert.equal(of('[profile default]\ncredential_process = x\n'), true);
    assert.equal(of('[default]\nregion = x\n', '[default]\naws_access_key_id = A\n'), true);
    assert.equal(of('[profile work]\nrole_arn = r\n'), false);
  });

  it('empty variables are not sources, except where presence itself counts', () => {
    const sources = getShadowingSources({
      env: {
        AWS_ACCESS_KEY_ID: '',
        AWS_PROFILE: '',
        AWS_CREDENTIAL_FILE: '',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
      },
      files: { boto: [] },
    });
    assert.deepEqual([sources.staticKeys, sources.profiles], [[], []]);
    assert.equal(sources.legacyCredentialFile, true);
    assert.equal(sources.relativeUri, true);
  });

  it('reads the files the environment points at, or the defaults under HOME', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'infrawatch-inherited-'));
    try {
      await mkdir(join(dir, '.aws'));
      await writeFile(join(dir, '.aws', 'credentials'), '[default]\naws_access_key_id = A\n');
      await writeFile(join(dir, '.boto'), '[Credentials]\naws_access_key_id = A\n');
      await writeFile(join(dir, 'other'), '[default]\nregion = x\n');
      const home = await readInheritedAws({}, dir);
      assert.equal(getShadowingSources(home).defaultProfileHasCredentials, true);
      assert.equal(getShadowingSources(home).botoCredentials, true);
      const pointed = await readInheritedAws(
        { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'other'), BOTO_CONFIG: join(dir, 'missing') },
        dir,
      );
      assert.equal(getShadowingSources(pointed).defaultProfileHasCredentials, false);
      assert.equal(getShadowingSources(pointed).botoCredentials, false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('credentials: token files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infrawatch-tokens-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('one 0600 file per address holding exactly the token; a new token gets a new file; removeAll deletes them', async () => {
    const files = new TokenFiles(join(dir, 'tokens'));
    const path = await files.getFile(endpoint);
    assert.equal(await readFile(path, 'utf8'), endpoint.token);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'tokens'))).mode & 0o777, 0o700);
    assert.equal(await files.getFile({ ...endpoint }), path, 'a renew keeps address and token, hence the file');
    const next = await files.getFile({ ...endpoint, token: 'tok_new' });
    assert.notEqual(next, path);
    await files.retire(endpoint.uri);
    assert.equal(await readFile(path, 'utf8'), endpoint.token, 'a dead token stays until the window closes');
    await files.removeAll();
    assert.deepEqual(await readdir(join(dir, 'tokens')), []);
  });

  it('sweeps the files of a window whose process is gone, not those of live ones', async () => {
    await mkdir(join(dir, 'tokens'));
    const dead = join(dir, 'tokens', '999999999-old.token');
    const live = join(dir, 'tokens', `${process.ppid}-other.token`);
    await writeFile(dead, 'x');
    await writeFile(live, 'y');
    await new TokenFiles(join(dir, 'tokens')).getFile(endpoint);
    const names = await readdir(join(dir, 'tokens'));
    assert.ok(!names.includes('999999999-old.token'));
    assert.ok(names.includes(`${process.ppid}-other.token`));
  });
});
