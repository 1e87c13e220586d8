// The secret scan: after grants (both delivery modes), a renewal, an "Open Terminal" and a
// debug run, no SecretAccessKey, SessionToken or credential-endpoint bearer token issued
// in this window (in this file or any test file before it) may appear in the log output,
// the audit trail, the settings, the global storage or state, terminal names or the
// terminal environment's description. Named to run after the other session test files.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sessionsSecretKey } from '../../src/core/credentials/sessionSchema';
import type { TestApi } from './helpers';
import { extensionId, getApi, waitFor } from './helpers';
import {
  findSession,
  getIssuedSecrets,
  grantRdsRead,
  rdsRead,
  rdsReadAnswers,
  readAudit,
  recordIssued,
  requestAccess,
  signInAs,
  useSessionHarness,
  withUserSettings,
} from './sessionKit';

const maxScannedBytes = 50 * 1024 * 1024;

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return entry.isFile() && statSync(path).size <= maxScannedBytes ? [path] : [];
  });
}

/** Every place (file path or label) whose text contains one of the secrets. */
function findLeaks(places: { where: string; text: string }[], secrets: ReadonlySet<string>): string[] {
  const leaks: string[] = [];
  for (const { where, text } of places) {
    for (const secret of secrets)
      if (text.includes(secret)) leaks.push(`${where} holds a secret starting ${secret.slice(0, 4)}…`);
  }
  return leaks;
}

function descriptionText(description: string | vscode.MarkdownString | undefined): string {
  return typeof description === 'string' ? description : (description?.value ?? '');
}

async function launchDebuggee(): Promise<void> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension);
  const dir = mkdtempSync(join(tmpdir(), 'iw-scan-'));
  const outFile = join(dir, 'out.json');
  const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
    type: 'node',
    request: 'launch',
    name: 'InfraWatch secret scan',
    console: 'internalConsole',
    infrawatchSession: 'rds:read',
    program: join(extension.extensionPath, 'test', 'fixtures', 'debug', 'printAccessKey.js'),
    args: [extension.extensionPath, outFile],
  });
  assert.ok(started, 'the debug launch went ahead');
  try {
    await waitFor('the debuggee output', () => (existsSync(outFile) ? true : undefined), 45_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Grants in both delivery modes, a renewal, two "Open Terminal"s and a debug run. */
async function exercise(api: TestApi, cleanup: (fn: () => Promise<void>) => void): Promise<void> {
  const context = api.sessions.deps.context;
  const first = await grantRdsRead();
  await vscode.commands.executeCommand('infrawatch.openTerminal', first.id);
  await launchDebuggee();
  const renew = await requestAccess(
    [{ pick: 'Renew with Other Answers' }, ...rdsReadAnswers('employee', '15 minutes')],
    rdsRead,
  );
  renew.assertScriptDone();
  const renewed = await waitFor('the renewal', () => {
    const s = findSession(api, 'rds', 'read');
    return s && s.id !== first.id ? s : undefined;
  });
  // Plain-variable delivery: the secrets themselves go into the terminal's environment.
  cleanup(await withUserSettings({ credentialDelivery: 'environment' }));
  await vscode.commands.executeCommand('infrawatch.openTerminal', renewed.id);
  await waitFor('both terminals', () =>
    vscode.window.terminals.filter((t) => t.name === 'AWS RDS read').length >= 2 ? true : undefined,
  );
  await waitFor('the terminal environment to describe the session', () =>
    descriptionText(context.environmentVariableCollection.description).includes('RDS read') ? true : undefined,
  );
  recordIssued(api);
}

/** The files under code-server's user-data-dir (logs, settings, global storage) and the workspace. */
function collectFiles(api: TestApi): string[] {
  const context = api.sessions.deps.context;
  const files = listFiles(join(context.globalStorageUri.fsPath, '..', '..', '..'));
  const logFile = join(context.logUri.fsPath, 'InfraWatch.log');
  assert.ok(files.includes(logFile), `the log output file ${logFile} is scanned`);
  assert.match(readFileSync(logFile, 'utf8'), /Credential endpoint listening/);
  assert.ok(
    files.some((f) => f.endsWith(join('User', 'settings.json'))),
    'settings.json is scanned',
  );
  assert.ok(
    files.some((f) => f.endsWith('audit.jsonl')),
    'the audit file is scanned',
  );
  return [...files, ...(vscode.workspace.workspaceFolders ?? []).flatMap((f) => listFiles(f.uri.fsPath))];
}

/**
 * With "infrawatch.endpointToken": "file" the endpoint's token is meant to be on disk: in a
 * 0600 file of the tokens folder, kept until the window closes. Such a file is checked to be
 * exactly that (owner-only, one token, nothing else), then left out of the scan.
 */
function isTokenFile(api: TestApi, path: string): boolean {
  const dir = join(api.sessions.deps.context.globalStorageUri.fsPath, 'aws', 'tokens');
  if (!path.startsWith(`${dir}/`) || !path.endsWith('.token')) return false;
  assert.equal(statSync(path).mode & 0o777, 0o600, `${path} is readable by its owner only`);
  assert.match(readFileSync(path, 'utf8'), /^[A-Za-z0-9_-]{20,}$/, `${path} holds one token and nothing else`);
  return true;
}

function collectPlaces(api: TestApi): { where: string; text: string }[] {
  const context = api.sessions.deps.context;
  return [
    ...collectFiles(api)
      .filter((path) => !isTokenFile(api, path))
      .map((path) => ({ where: path, text: readFileSync(path, 'latin1') })),
    ...context.globalState
      .keys()
      .map((key) => ({ where: `globalState ${key}`, text: JSON.stringify(context.globalState.get(key)) })),
    ...context.workspaceState
      .keys()
      .map((key) => ({ where: `workspaceState ${key}`, text: JSON.stringify(context.workspaceState.get(key)) })),
    ...vscode.window.terminals.map((t) => ({
      where: `terminal name "${t.name}"`,
      text: `${t.name} ${'name' in t.creationOptions ? (t.creationOptions.name ?? '') : ''}`,
    })),
    {
      where: 'environment collection description',
      text: descriptionText(context.environmentVariableCollection.description),
    },
  ];
}

describe('the secret scan', function () {
  this.timeout(180_000);
  const harness = useSessionHarness();
  const terminals: vscode.Terminal[] = [];

  afterEach(() => {
    for (const terminal of terminals.splice(0)) terminal.dispose();
  });

  it('finds no issued secret or token in logs, audit, settings, storage, terminal names or descriptions', async () => {
    harness.cleanup(await signInAs('demo-employee'));
    const api = await getApi();
    const opened = vscode.window.onDidOpenTerminal((t) => terminals.push(t));
    try {
      await exercise(api, harness.cleanup);
    } finally {
      opened.dispose();
    }
    const secrets = getIssuedSecrets();
    assert.ok(secrets.size >= 6, `two sessions' key, token and bearer token are known (${secrets.size})`);
    // The scan can see a secret: SecretStorage, where sessions belong, does hold one.
    const current = findSession(api, 'rds', 'read');
    assert.ok(current);
    const stored = await api.sessions.deps.context.secrets.get(sessionsSecretKey);
    assert.equal(
      findLeaks([{ where: 'SecretStorage', text: stored ?? '' }], new Set([current.credentials.secretAccessKey]))
        .length,
      1,
    );
    const events = readAudit(api).map((r) => r.event);
    for (const event of [
      'access.granted',
      'session.renewed',
      'terminal.opened',
      'debug.injected',
      'credentials.fetched',
    ]) {
      assert.ok(events.includes(event), `the audit trail has ${event}`);
    }
    assert.deepEqual(findLeaks(collectPlaces(api), secrets), []);
  });
});
