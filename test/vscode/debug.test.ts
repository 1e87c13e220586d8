// Debug injection: a Node program launched with the built-in debugger resolves the session's
// credentials through the AWS SDK's default chain.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { injectEnvironment } from '../../src/vscode/sessions/debugProvider';
import { extensionId, getApi, waitFor } from './helpers';
import { auditSince, grantRdsRead, lastAuditSeq, signInAs, useSessionHarness, withUserSettings } from './sessionKit';

interface DebuggeeOutput {
  accessKeyId?: string;
  error?: string;
}

/** Launches the fixture under the `node` debugger; resolves with what it wrote, or undefined if the launch was refused. */
async function runDebuggee(extra: Record<string, unknown>): Promise<DebuggeeOutput | undefined> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension);
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace has no folder');
  const dir = mkdtempSync(join(tmpdir(), 'iw-debuggee-'));
  const outFile = join(dir, 'out.json');
  let ended!: () => void;
  const terminated = new Promise<void>((resolve) => (ended = resolve));
  const listener = vscode.debug.onDidTerminateDebugSession(
    (s) => s.configuration.name === 'InfraWatch debug test' && ended(),
  );
  try {
    const started = await vscode.debug.startDebugging(folder, {
      type: 'node',
      request: 'launch',
      name: 'InfraWatch debug test',
      console: 'internalConsole',
      program: join(extension.extensionPath, 'test', 'fixtures', 'debug', 'printAccessKey.js'),
      args: [extension.extensionPath, outFile],
      ...extra,
    });
    if (!started) return undefined;
    await waitFor(
      'the debuggee to write its output',
      () => (existsSync(outFile) && readFileSync(outFile, 'utf8').length > 0 ? true : undefined),
      45_000,
    );
    await Promise.race([terminated, new Promise((r) => setTimeout(r, 10_000))]);
    return JSON.parse(readFileSync(outFile, 'utf8')) as DebuggeeOutput;
  } finally {
    listener.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('debug sessions', function () {
  this.timeout(120_000);
  const harness = useSessionHarness();

  beforeEach(async () => {
    harness.cleanup(await signInAs('demo-employee'));
  });

  it('a launch config that names the session gets its credentials through the SDK', async () => {
    const api = await getApi();
    const session = await grantRdsRead();
    const seq = lastAuditSeq(api);
    const output = await runDebuggee({ infrawatchSession: 'rds:read' });
    assert.ok(output, 'the launch went ahead');
    assert.equal(output.error, undefined, output.error);
    assert.equal(output.accessKeyId, session.credentials.accessKeyId);
    const injected = auditSince(api, seq).filter((r) => r.event === 'debug.injected');
    assert.equal(injected.length, 1);
    assert.equal(injected[0]!.requestId, session.id);
    assert.ok(
      auditSince(api, seq).some((r) => r.event === 'credentials.fetched' && r.outcome === 'success'),
      'the fetch is an audited access event',
    );
  });

  it('without the setting, a config that names no session is left alone', async () => {
    const session = await grantRdsRead();
    const output = await runDebuggee({});
    assert.ok(output);
    assert.notEqual(output.accessKeyId, session.credentials.accessKeyId);
  });

  it('with injectIntoAllDebugSessions, every launch gets the latest session', async () => {
    harness.cleanup(await withUserSettings({ injectIntoAllDebugSessions: true }));
    const session = await grantRdsRead();
    const output = await runDebuggee({});
    assert.ok(output);
    assert.equal(output.accessKeyId, session.credentials.accessKeyId);
  });

  it('with plain-variable delivery, the SDK reads the same credentials from the environment', async () => {
    harness.cleanup(await withUserSettings({ credentialDelivery: 'environment' }));
    const session = await grantRdsRead();
    const output = await runDebuggee({ infrawatchSession: 'rds' });
    assert.ok(output);
    assert.equal(output.accessKeyId, session.credentials.accessKeyId);
  });

  it('refuses a launch that names a session you do not have, and says what to do', async () => {
    const output = await runDebuggee({ infrawatchSession: 'lambda:read' });
    assert.equal(output, undefined, 'the launch is aborted');
    const error = harness
      .messages()
      .errors()
      .find((m) => /no active InfraWatch session "lambda:read"/.test(m.message));
    assert.ok(error, JSON.stringify(harness.messages().shown));
    assert.match(error.message, /Request access first/);
    assert.deepEqual(error.actions, ['Request Access']);
  });
});

describe('injectEnvironment', () => {
  const changes = {
    AWS_PROFILE: 'infrawatch',
    AWS_CONTAINER_AUTHORIZATION_TOKEN: 't',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: null,
  };

  it('merges into the env map, where null removes an inherited variable', () => {
    const config: vscode.DebugConfiguration = {
      type: 'node',
      request: 'launch',
      name: 'x',
      env: { KEEP: '1', AWS_PROFILE: 'mine' },
    };
    injectEnvironment(config, changes);
    assert.deepEqual(config.env, {
      KEEP: '1',
      AWS_PROFILE: 'infrawatch',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 't',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: null,
    });
  });

  it('replaces entries of the array form and keeps the others', () => {
    const config: vscode.DebugConfiguration = {
      type: 'cppdbg',
      request: 'launch',
      name: 'x',
      environment: [
        { name: 'KEEP', value: '1' },
        { name: 'AWS_PROFILE', value: 'mine' },
        { name: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', value: '/v2' },
      ],
    };
    injectEnvironment(config, changes);
    assert.deepEqual(config.environment, [
      { name: 'KEEP', value: '1' },
      { name: 'AWS_PROFILE', value: 'infrawatch' },
      { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN', value: 't' },
    ]);
    assert.equal(config.env, undefined);
  });

  it('uses the array form when `env` is an array', () => {
    const config: vscode.DebugConfiguration = {
      type: 'go',
      request: 'launch',
      name: 'x',
      env: [{ name: 'A', value: 'b' }],
    };
    injectEnvironment(config, changes);
    assert.deepEqual(config.env, [
      { name: 'A', value: 'b' },
      { name: 'AWS_PROFILE', value: 'infrawatch' },
      { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN', value: 't' },
    ]);
  });
});
