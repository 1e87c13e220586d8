// AWS profiles for sessions as a person meets them, in the real extension host: "InfraWatch:
// Add AWS Profile for Session", "Remove AWS Profiles for Sessions" and the
// "infrawatch.awsProfiles" setting write and remove the marked block in the AWS config file
// (AWS_CONFIG_FILE, read when each change is made: the test points it at a copy of the
// harness's file plus a profile of the user's). A process the extension did not start, with
// nothing from InfraWatch in its environment, then gets the session through the profile's
// credential_process, and after Revoke the helper's one line says why it cannot.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../../src/core/session';
import { blockEnd, blockStart } from '../../src/core/credentials/profileBlock';
import { FakeQuickInput } from './fakeQuickInput';
import { getApi, waitFor, type TestApi } from './helpers';
import { getEndpointUrl } from './localAwsControl';
import {
  findSession,
  grantRdsRead,
  rdsReadAnswers,
  requestAccess,
  signInAs,
  useSessionHarness,
  watchIssued,
  withPolicy,
  withUserSettings,
} from './sessionKit';

const profile = 'infrawatch-rds-read';
// The user's own lines, kept byte for byte: a comment, a profile of theirs, no final newline.
const userLines =
  '\n# my own profiles: InfraWatch must not touch these\n[profile mine]\nregion = eu-west-1\ncredential_process = /opt/mine/creds --account dev';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end();
  });
}

function getProfilesDir(api: TestApi): string {
  return join(api.sessions.deps.context.globalStorageUri.fsPath, 'profiles');
}

/** This window's discovery file (the extension host is this process). */
function getWindowFile(api: TestApi): string {
  return join(getProfilesDir(api), 'windows', `${process.pid}.json`);
}

async function runCommand(command: string, picks: string[] = []): Promise<FakeQuickInput> {
  watchIssued(await getApi());
  const fake = FakeQuickInput.install(picks.map((pick) => ({ pick })));
  try {
    await vscode.commands.executeCommand(command);
  } finally {
    fake.dispose();
  }
  return fake;
}

describe('AWS profiles for sessions (credential_process), through the commands and the setting', function () {
  this.timeout(180_000);
  const harness = useSessionHarness();
  let dir: string;
  let configFile: string;
  let userText: string;
  /** `aws sts get-caller-identity` as a tool InfraWatch did not start runs it: only PATH, HOME, AWS_CONFIG_FILE and AWS_PROFILE. */
  let callerIdentity: () => Promise<Run>;
  let currentApi: TestApi | undefined;
  const api = (): TestApi => {
    assert.ok(currentApi);
    return currentApi;
  };

  beforeEach(async function () {
    currentApi = await getApi();
    harness.cleanup(await signInAs('demo-employee'));
    const before = process.env.AWS_CONFIG_FILE;
    assert.ok(before, 'the harness sets AWS_CONFIG_FILE');
    dir = mkdtempSync(join(tmpdir(), 'iw-profiles-'));
    configFile = join(dir, 'config');
    // The harness's own profiles stay (the extension signs in with one of them).
    userText = readFileSync(before, 'utf8') + userLines;
    writeFileSync(configFile, userText, { mode: 0o600 });
    process.env.AWS_CONFIG_FILE = configFile;
    harness.cleanup(() => {
      process.env.AWS_CONFIG_FILE = before;
      rmSync(dir, { recursive: true, force: true });
    });
    harness.cleanup(await withUserSettings({ awsProfiles: 'off' }));
    // Ends each test with the feature off: no block, and no discovery file left with tokens.
    harness.cleanup(async () => {
      await vscode.workspace
        .getConfiguration('infrawatch')
        .update('awsProfiles', 'off', vscode.ConfigurationTarget.Global);
      await waitFor('the block and the discovery file to go', () =>
        readFileSync(configFile, 'utf8') === userText && !existsSync(getWindowFile(api())) ? true : undefined,
      );
    });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      AWS_CONFIG_FILE: configFile,
      AWS_PROFILE: profile,
    };
    callerIdentity = () =>
      run('aws', ['sts', 'get-caller-identity', '--output', 'json', '--endpoint-url', getEndpointUrl()], env);
    const version = await run('aws', ['--version'], env);
    if (version.code !== 0) this.skip(); // no AWS CLI here: test/clients/profiles.test.ts covers the SDKs
  });

  /** The file is the block, then the user's text unchanged; returns the block. */
  function readBlock(): string {
    const text = readFileSync(configFile, 'utf8');
    assert.ok(text.endsWith(userText), `the user's text is kept byte for byte:\n${text}`);
    const block = text.slice(0, text.length - userText.length);
    assert.ok(
      block.startsWith(`${blockStart}\n`) && block.endsWith(`${blockEnd}\n`),
      `a marked block first:\n${block}`,
    );
    return block;
  }

  function assertProfileOf(block: string): void {
    const launcher = join(getProfilesDir(api()), 'credential-process');
    assert.ok(
      block.includes(`[profile ${profile}]\ncredential_process = '${launcher}' rds:read\nregion = us-east-1\n`),
      block,
    );
  }

  async function assertServes(session: Session): Promise<void> {
    const out = await callerIdentity();
    assert.equal(out.code, 0, out.stderr);
    assert.equal((JSON.parse(out.stdout) as { Arn: string }).Arn, session.assumedRoleArn);
  }

  it('"Add AWS Profile for Session" (picked among two sessions) writes the profile; aws uses it; after Revoke the helper says so in one line; the next grant serves it again; Remove leaves the file as it was', async () => {
    // A second session, so the command asks which: EC2 read granted as RDS read is (reason, MFA).
    harness.cleanup(
      await withPolicy((p) => {
        Object.assign(
          p.roles.Employee!.grants.find((g) => g.service === 'ec2')!,
          { mfa: true, reason: true, defaultMinutes: 30 },
        );
      }),
    );
    const session = await grantRdsRead();
    (await requestAccess(rdsReadAnswers(), { kind: 'service', service: 'ec2', level: 'read' })).assertScriptDone();
    await waitFor('the EC2 read session', () => findSession(api(), 'ec2', 'read'));
    assert.equal(readFileSync(configFile, 'utf8'), userText, 'off: nothing written on grant');

    const fake = await runCommand('infrawatch.addAwsProfile', ['RDS read']);
    fake.assertScriptDone();
    assert.equal(fake.steps[0]?.placeholder, 'An AWS profile for which session?');
    assert.deepEqual([...fake.steps[0]!.items].sort(), ['EC2 read', 'RDS read']);
    assert.equal(
      vscode.workspace.getConfiguration('infrawatch').get('awsProfiles'),
      'onRequest',
      'asking for a profile turns the feature on',
    );
    const block = readBlock();
    assertProfileOf(block);
    assert.ok(!block.includes('infrawatch-ec2-read'), 'only the session picked');
    const told = harness.messages().shown.find((m) => m.message.startsWith(`Profile ${profile} is in ${configFile}`));
    assert.deepEqual(told?.actions, ['Copy Profile Name']);

    await assertServes(session);

    harness.messages().respond = (m) => (m.message === 'Revoke RDS read?' ? 'Revoke' : undefined);
    await vscode.commands.executeCommand('infrawatch.revokeSession', session.id);
    assert.ok(!findSession(api(), 'rds', 'read'), 'revoked');
    const refused = await callerIdentity();
    assert.notEqual(refused.code, 0);
    const line = refused.stderr.split('\n').find((l) => l.includes('InfraWatch'));
    assert.match(
      line ?? '',
      /InfraWatch rds read: This InfraWatch session was revoked\. Run "InfraWatch: Request Access"/,
      refused.stderr,
    );
    assert.equal(refused.stdout, '');

    // The profile stays in the block; the next grant serves it again, with no command.
    const again = await grantRdsRead();
    assertProfileOf(readBlock());
    await assertServes(again);

    await runCommand('infrawatch.removeAwsProfiles');
    assert.equal(readFileSync(configFile, 'utf8'), userText, 'Remove leaves the rest of the file byte for byte');
    assert.ok(
      harness.messages().shown.some((m) => m.message === `The InfraWatch profiles are removed from ${configFile}.`),
    );
    const gone = await callerIdentity();
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /could not be found/);
  });

  it('everyGrant: a grant writes its profile without the command; nothing secret is on disk; off removes the block', async () => {
    harness.cleanup(await withUserSettings({ awsProfiles: 'everyGrant' }));
    const session = await grantRdsRead();
    await waitFor('the profile of the grant', () =>
      readFileSync(configFile, 'utf8').includes(`[profile ${profile}]`) ? true : undefined,
    );
    // Served before it is named: when the profile appears, this window's file already serves it.
    const discovery = JSON.parse(readFileSync(getWindowFile(api()), 'utf8')) as {
      grants: Record<string, { uri: string }>;
    };
    assert.equal(discovery.grants['rds:read']?.uri, api().sessions.getEndpoint(session)?.uri);
    assertProfileOf(readBlock());
    await assertServes(session);

    // No AWS key, secret or session token in the config file, the launcher or the discovery
    // file; the endpoint token only in the discovery file, which only its owner can read.
    const windowFile = getWindowFile(api());
    const launcher = join(getProfilesDir(api()), 'credential-process');
    const endpoint = api().sessions.getEndpoint(session);
    assert.ok(endpoint);
    const files = [
      configFile,
      launcher,
      ...readdirSync(join(getProfilesDir(api()), 'windows')).map((n) => join(getProfilesDir(api()), 'windows', n)),
    ];
    assert.ok(files.includes(windowFile), 'this window has its discovery file');
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const secret of [
        session.credentials.secretAccessKey,
        session.credentials.sessionToken,
        session.credentials.accessKeyId,
      ]) {
        assert.ok(!text.includes(secret), `${file} holds a credential starting ${secret.slice(0, 4)}…`);
      }
      if (file !== windowFile) assert.ok(!text.includes(endpoint.token), `${file} holds the endpoint token`);
    }
    assert.equal(statSync(windowFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(getProfilesDir(api()), 'windows')).mode & 0o777, 0o700);
    assert.equal(statSync(launcher).mode & 0o777, 0o700);

    await vscode.workspace
      .getConfiguration('infrawatch')
      .update('awsProfiles', 'off', vscode.ConfigurationTarget.Global);
    await waitFor('the block to go', () => (readFileSync(configFile, 'utf8') === userText ? true : undefined));
    await waitFor('the discovery file to go', () => (existsSync(windowFile) ? undefined : true));
    const gone = await callerIdentity();
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /could not be found/);
  });
});
