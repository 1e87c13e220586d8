// The AWS profile InfraWatch writes for a session ("InfraWatch: Add AWS Profile for
// Session"), used by real clients in processes of their own that InfraWatch did not start
// and gave nothing: their environment has no InfraWatch variable, only AWS_CONFIG_FILE
// naming the config file with the InfraWatch block (and AWS_PROFILE or --profile naming the
// profile). The profile's credential_process runs the bundled helper through the launcher,
// which finds this process's endpoint through the discovery folder, as it finds a window's.
// Proven per client: the session's role is who it is; a Renew reaches a running process;
// after Revoke the helper is refused with the endpoint's one-line message.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { startCredentialServer, type CredentialServer } from '../../src/core/credentials/credentialServer';
import {
  getProfilePaths,
  writeLauncher,
  writeWindowFile,
  type ProfilePaths,
} from '../../src/core/credentials/credentialProcessDiscovery';
import { getProfileName } from '../../src/core/credentials/profileBlock';
import { updateProfileBlock } from '../../src/core/credentials/profileBlockFile';
import { type Session } from '../../src/core/session';
import { exec as run, getClients, type Client, type ClientId, type OpResult } from './clients';
import { startWorld, type World } from './world';

const minute = 60_000;
const profile = getProfileName('rds', 'read');
const repoRoot = join(__dirname, '..', '..');

/** The session as served, expiring in `ms`: SDKs refresh credentials this close to expiry. */
function servedUntil(session: Session, ms: number, id = session.id): Session {
  return { ...session, id, credentials: { ...session.credentials, expiration: Date.now() + ms } };
}

describe('AWS profiles for sessions (credential_process), real clients outside the editor', function () {
  let world: World;
  let server: CredentialServer;
  let root: string;
  let paths: ProfilePaths;
  let configFile: string;
  let env: Record<string, string>;
  const served: string[] = [];

  /** This process stands for a window: its endpoint serves `session` and its discovery file says so. */
  async function serve(session: Session): Promise<void> {
    const endpoint = server.has(session.id) ? server.renew(session) : server.add(session);
    await writeWindowFile(paths.windowsDir, { 'rds:read': endpoint });
  }

  before(async function () {
    world = await startWorld();
    server = await startCredentialServer({ onFetch: (id, ok) => ok && served.push(id) });
    root = await mkdtemp(join(tmpdir(), 'infrawatch-profiles-'));
    const helper = join(root, 'dist', 'credentialProcess.js');
    await build({
      entryPoints: [join(repoRoot, 'src', 'helper', 'credentialProcess.ts')],
      outfile: helper,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    // A path with a space and a quote, as macOS's "Application Support" has: quoting must hold.
    paths = getProfilePaths(join(root, "global storage's", 'profiles'));
    await writeLauncher(paths, process.execPath, helper);
    const home = join(root, 'home');
    configFile = join(home, '.aws', 'config');
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: configFile,
      AWS_ENDPOINT_URL: world.aws.url,
    };
  });

  after(async function () {
    await server?.close();
    await world?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function writeConfig(withProfile: boolean): Promise<void> {
    await mkdir(dirname(configFile), { recursive: true });
    await writeFile(configFile, '[default]\nregion = us-west-2\noutput = json\n');
    if (withProfile)
      await updateProfileBlock({
        path: configFile,
        launcher: paths.launcher,
        change: () => [{ service: 'rds', level: 'read', region: world.aws.region }],
      });
  }

  const cliPaths: [string, string, boolean][] = [
    ['aws on PATH', 'aws', false],
    ['Debian /usr/bin/aws 2.9', '/usr/bin/aws', true],
  ];

  function cli(
    file: string,
    endpointFlag: boolean,
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return run(
      file,
      [...args, '--profile', profile, '--output', 'json', ...(endpointFlag ? ['--endpoint-url', world.aws.url] : [])],
      env,
    );
  }

  it('without the profile, `aws --profile infrawatch-rds-read` fails: the profile does not exist', async function () {
    await writeConfig(false);
    const out = await cli('aws', false, ['sts', 'get-caller-identity']);
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /could not be found/);
  });

  for (const [name, file, endpointFlag] of cliPaths) {
    it(`${name}: --profile ${profile} is the session's role; after Revoke it is refused with one line`, async function () {
      const version = await run(file, ['--version'], env).catch(() => undefined);
      if (!version || version.code !== 0) return this.skip();
      await writeConfig(true);
      await serve(servedUntil(world.first, 60 * minute));
      const out = await cli(file, endpointFlag, ['sts', 'get-caller-identity']);
      assert.equal(out.code, 0, out.stderr);
      assert.equal((JSON.parse(out.stdout) as { Arn: string }).Arn, world.first.assumedRoleArn);
      server.remove(world.first.id, 'revoked');
      const refused = await cli(file, endpointFlag, ['sts', 'get-caller-identity']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /This InfraWatch session was revoked/);
    });
  }

  it('the helper itself: credential_process JSON, then one line on stderr and exit 1 after Revoke or with no session', async function () {
    await serve(servedUntil(world.first, 60 * minute));
    const ok = await run(paths.launcher, ['rds:read'], { PATH: env.PATH });
    assert.equal(ok.code, 0, ok.stderr);
    const json = JSON.parse(ok.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    assert.equal(json.AccessKeyId, world.first.credentials.accessKeyId);
    server.remove(world.first.id, 'revoked');
    const revoked = await run(paths.launcher, ['rds:read'], { PATH: env.PATH });
    assert.equal(revoked.code, 1);
    assert.equal(revoked.stdout, '');
    assert.match(
      revoked.stderr,
      /^InfraWatch rds read: This InfraWatch session was revoked\. Run "InfraWatch: Request Access".*\n$/,
    );
    assert.equal(revoked.stderr.split('\n').length, 2, 'one line');
    const none = await run(paths.launcher, ['s3:write'], { PATH: env.PATH });
    assert.equal(none.code, 1);
    assert.equal(
      none.stderr,
      'InfraWatch: no live session for s3 write: run "InfraWatch: Request Access" for s3 write in VS Code, then try again.\n',
    );
  });

  const programs: ClientId[] = ['boto3', 'sdk-v3', 'go'];
  for (const id of programs) {
    it(`${id}: AWS_PROFILE=${profile} works, a Renew reaches the running process, Revoke is refused`, async function () {
      const [client] = getClients([id]) as [Client];
      if (client.missing) return this.skip();
      await writeConfig(true);
      // Served close to expiry, so the SDK asks the helper again on the next calls: boto3 and
      // SDK v3 refresh minutes before Expiration, Debian's Go SDK (no expiry window) only at it.
      const first = servedUntil(world.first, id === 'go' ? 8_000 : 4 * minute);
      await serve(first);
      const clientEnv = { ...env, AWS_PROFILE: profile };
      const work = client.start!(clientEnv);
      try {
        const results: OpResult[] = [];
        for (const op of ['identity', 'allowed', 'denied'] as const) results.push(await work.ask(op));
        assert.equal(results[0].arn, world.first.assumedRoleArn, JSON.stringify(results[0]));
        assert.ok(results[1].ok, JSON.stringify(results[1]));
        assert.ok(!results[2].ok, 'a call outside the session is denied');
        // Renew: the same address and token serve the renewed session.
        await serve(servedUntil(world.renewed, 60 * minute, first.id));
        let last: OpResult | undefined;
        for (let attempt = 0; attempt < 30 && last?.arn !== world.renewed.assumedRoleArn; attempt += 1) {
          last = await work.ask('identity');
          assert.ok(last.ok, `after Renew, call ${attempt + 1} failed: ${JSON.stringify(last)}`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        assert.equal(last?.arn, world.renewed.assumedRoleArn, 'the running process uses the renewed session');
      } finally {
        work.stop();
      }
      server.remove(first.id, 'revoked');
      const [after] = await client.run(['identity'], clientEnv);
      assert.ok(after && !after.ok, `after Revoke: ${JSON.stringify(after)}`);
      // SDK v3's default chain replaces every provider's message with its own; Debian's Go
      // SDK reports the exit status and passes the helper's line to the program's stderr.
      if (id === 'go') assert.match(after.error ?? '', /error in credential_process: exit status 1/);
      else if (client.showsEndpointMessage) assert.match(after.error ?? '', /This InfraWatch session was revoked/);
    });
  }

  it('nothing secret is in the config file, the launcher or the environment the clients got', async function () {
    await writeConfig(true);
    const texts = [await readFile(configFile, 'utf8'), await readFile(paths.launcher, 'utf8'), JSON.stringify(env)];
    for (const secret of [
      world.first.credentials.secretAccessKey,
      world.first.credentials.sessionToken,
      world.first.credentials.accessKeyId,
    ]) {
      for (const text of texts) assert.ok(!text.includes(secret));
    }
    assert.ok(!Object.keys(env).some((k) => k.startsWith('AWS_CONTAINER') || k.includes('INFRAWATCH')));
  });
});
