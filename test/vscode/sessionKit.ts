// What the in-host session tests share: scripted Request Access runs, settings and policy
// edits that restore themselves, the audit trail, the credential endpoint over HTTP, and a
// registry of every secret issued during the run (for the secret scan). State that must outlive one test file lives on globalThis,
// since each test file is bundled with its own copy of this module.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from './helpers';
import type { Session } from '../../src/core/session';
import { type ScriptEntry, CapturedMessages, FakeQuickInput } from './fakeQuickInput';
import { getApi, getPolicyUri, waitFor } from './helpers';
import { getEndpointUrl, type MfaCodeOptions, nextMfaCode, resetEndpoint } from './localAwsControl';

export const requestTitle = 'InfraWatch: Request Access';

const shared = globalThis as typeof globalThis & { infrawatchIssued?: Set<string>; infrawatchWatching?: boolean };

/**
 * A script entry that types a fresh MFA code, computed when the MFA step is shown. Pass
 * { refused: true } when AWS is to refuse the call after checking the code (localAwsControl.ts).
 */
export function mfa(identityName = 'employee', options: MfaCodeOptions = {}): ScriptEntry {
  return async () => ({ type: await nextMfaCode(identityName, options) });
}

/**
 * The answers for "RDS read" once service and level are known: duration, reason, MFA. The
 * Identity Center identity (sso) is asked no code: the demo policy meets its MFA by its sign-in.
 */
export function rdsReadAnswers(
  identityName = 'employee',
  duration = '30 minutes',
  options: MfaCodeOptions = {},
): ScriptEntry[] {
  return [
    { pick: duration },
    { type: 'orders-db CPU at 95%, checking slow queries' },
    ...(identityName === 'sso' ? [] : [mfa(identityName, options)]),
  ];
}

/**
 * Waits until no reload of the access state is under way or about to start: a settings
 * change or a policy file event reloads it a little later, and a reload replaces the AWS
 * clients, which would cut a request of the next step short. A settings change starts its
 * reload before config.update() returns (measured: no reload ever began in the quiet time
 * after one), so a short quiet time does; the policy file watcher waits 150 ms for a burst
 * of saves to end, so its reloads get a longer one.
 */
export async function settle(quietMs = 150): Promise<void> {
  const api = await getApi();
  const deadline = Date.now() + 15_000;
  for (;;) {
    await api.whenSettled();
    const state = api.getState();
    await new Promise((r) => setTimeout(r, quietMs));
    if (api.getState() === state) return;
    if (Date.now() > deadline) throw new Error('the access state kept reloading for 15 s');
  }
}

/**
 * In a remote window (code-server) VS Code drops machine-scoped values from the local user
 * settings whenever it reloads them (a debug launch does): the harness's endpointUrl and
 * region, written to User/settings.json, then vanish and the extension talks to real AWS.
 * Written through the API they land in the remote (Machine) settings, where they hold.
 */
export async function pinMachineSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('infrawatch');
  const wanted: Record<string, string> = {
    endpointUrl: getEndpointUrl(),
    region: 'us-east-1',
    profile: config.get<string>('profile') || 'demo-employee',
  };
  let changed = false;
  for (const [key, value] of Object.entries(wanted)) {
    if ((config.inspect(key) as { globalRemoteValue?: unknown } | undefined)?.globalRemoteValue !== undefined) continue;
    await config.update(key, value, vscode.ConfigurationTarget.Global);
    changed = true;
  }
  if (changed) await settle();
}

/** User settings (machine scope) for one test; the returned function restores them. */
export async function withUserSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('infrawatch');
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, config.inspect(k)?.globalValue]));
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
  await settle();
  return async () => {
    for (const [key, value] of Object.entries(before))
      await config.update(key, value, vscode.ConfigurationTarget.Global);
    await settle();
  };
}

interface PolicyDocument {
  roles: Record<
    string,
    { roleArns: Record<string, string>; grants: { service: string; levels: string[]; maxMinutes?: number }[] }
  >;
}

/** Writes the policy file and waits for the file watcher's reload (not a refresh of our own, which would race it). */
async function writePolicy(content: Uint8Array): Promise<void> {
  const api = await getApi();
  await api.whenSettled();
  const before = api.getState();
  await vscode.workspace.fs.writeFile(getPolicyUri(), content);
  await waitFor('the policy file watcher to reload the policy', () => (api.getState() !== before ? true : undefined));
  await settle(400);
}

/** Edits the workspace access policy and reloads it; the returned function restores and reloads. */
export async function withPolicy(edit: (policy: PolicyDocument) => void): Promise<() => Promise<void>> {
  const api = await getApi();
  const original = await vscode.workspace.fs.readFile(getPolicyUri());
  const policy = JSON.parse(new TextDecoder().decode(original)) as PolicyDocument;
  edit(policy);
  await writePolicy(new TextEncoder().encode(JSON.stringify(policy, null, 2)));
  const state = api.getState();
  assert.equal(state.kind, 'ready', `the edited policy did not load: ${JSON.stringify(state).slice(0, 500)}`);
  return () => writePolicy(original);
}

/** Signs in as a demo profile and waits until the identity and its role are known. */
export async function signInAs(profile: string): Promise<() => Promise<void>> {
  const restore = await withUserSettings({ profile });
  const api = await getApi();
  const state = await api.refresh();
  assert.equal(
    state.kind,
    'ready',
    `${profile}: ${state.kind === 'failed' ? state.error.message : JSON.stringify(state).slice(0, 300)}`,
  );
  return restore;
}

export interface AuditLine {
  event: string;
  outcome: string;
  requestId?: string;
  accessKeyId?: string;
  service?: string;
  level?: string;
  detail?: Record<string, unknown>;
  seq: number;
}

export function getAuditFile(api: TestApi): string {
  return join(api.sessions.deps.context.globalStorageUri.fsPath, 'audit.jsonl');
}

export function readAudit(api: TestApi): AuditLine[] {
  const file = getAuditFile(api);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditLine);
}

/** Audit records written after `fromSeq` (take it with lastAuditSeq() before acting). */
export function auditSince(api: TestApi, fromSeq: number): AuditLine[] {
  return readAudit(api).filter((r) => r.seq > fromSeq);
}

export function lastAuditSeq(api: TestApi): number {
  return readAudit(api).at(-1)?.seq ?? 0;
}

export interface EndpointAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One GET of the credential endpoint, as the container credential provider does it. */
export async function fetchCredentials(uri: string, token: string | undefined): Promise<EndpointAnswer> {
  const response = await fetch(uri, token === undefined ? {} : { headers: { Authorization: token } });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body };
}

export function findSession(api: TestApi, service: string, level: string): Session | undefined {
  return api.sessions.list().find((s) => s.service === service && s.level === level);
}

/** Every secret of every session this window held: for the secret scan. */
export function getIssuedSecrets(): Set<string> {
  return (shared.infrawatchIssued ??= new Set<string>());
}

export function recordIssued(api: TestApi): void {
  const issued = getIssuedSecrets();
  for (const session of api.sessions.list()) {
    issued.add(session.credentials.secretAccessKey);
    issued.add(session.credentials.sessionToken);
    const endpoint = api.sessions.getEndpoint(session);
    if (endpoint) issued.add(endpoint.token);
  }
}

/** Records the secrets of every session the store ever holds, from now on, in any test file. */
export function watchIssued(api: TestApi): void {
  if (shared.infrawatchWatching) return;
  shared.infrawatchWatching = true;
  // The endpoint token is set just after the store changes: record again on the next turn.
  api.sessions.store.onDidChange(() => {
    recordIssued(api);
    setTimeout(() => recordIssued(api), 0);
  });
}

/** Runs "InfraWatch: Request Access" (with `arg`) answering from `script`. */
export async function requestAccess(script: ScriptEntry[], arg?: unknown): Promise<FakeQuickInput> {
  const api = await getApi();
  watchIssued(api);
  const fake = FakeQuickInput.install(script);
  try {
    await vscode.commands.executeCommand('infrawatch.requestAccess', ...(arg === undefined ? [] : [arg]));
  } finally {
    fake.dispose();
    recordIssued(api);
  }
  return fake;
}

export const rdsRead = { kind: 'service', service: 'rds', level: 'read' } as const;

/** Grants RDS read through the real flow and returns the session. */
export async function grantRdsRead(identityName = 'employee', duration = '30 minutes'): Promise<Session> {
  const api = await getApi();
  const fake = await requestAccess(rdsReadAnswers(identityName, duration), rdsRead);
  fake.assertScriptDone();
  return waitFor('the RDS read session', () => findSession(api, 'rds', 'read'));
}

/** Revokes whatever sessions a test left behind. */
export async function revokeAll(): Promise<void> {
  const api = await getApi();
  for (const session of api.sessions.list()) await api.sessions.revoke(session);
}

/** A per-test harness: captured notifications, and everything put back afterwards. */
export function useSessionHarness(): {
  messages: () => CapturedMessages;
  cleanup: (fn: () => Promise<void> | void) => void;
} {
  let messages: CapturedMessages | undefined;
  let cleanups: (() => Promise<void> | void)[] = [];
  beforeEach(async () => {
    await pinMachineSettings();
    messages = new CapturedMessages();
    await resetEndpoint();
  });
  afterEach(async () => {
    for (const fn of cleanups.reverse()) await fn();
    cleanups = [];
    await revokeAll();
    await resetEndpoint();
    messages?.dispose();
    messages = undefined;
  });
  return {
    messages: () => {
      assert.ok(messages, 'messages are captured only inside a test');
      return messages;
    },
    cleanup: (fn) => cleanups.push(fn),
  };
}
