import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InfraWatchApi } from '../../src/extension';

export const extensionId = 'infrawatch.infrawatch';

export type TestApi = Required<InfraWatchApi>;

/** The extension's API with its test seams (handed out only outside Production mode). */
export async function getApi(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<InfraWatchApi>(extensionId);
  assert.ok(extension, `${extensionId} is not installed`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  assert.ok(api.sessions, 'the sessions seam is missing: is the extension running in Production mode?');
  return api as TestApi;
}

/** Sets user settings for the duration of a test; returns a function that restores them. */
export async function withSettings(values: Record<string, string>): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('infrawatch');
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, config.inspect<string>(k)?.globalValue]));
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [key, value] of Object.entries(before))
      await config.update(key, value, vscode.ConfigurationTarget.Global);
  };
}

export async function getRootLabels(api: InfraWatchApi): Promise<string[]> {
  return (await api.getChildren()).map(({ item }) =>
    String(typeof item.label === 'object' ? item.label.label : item.label),
  );
}

export function getPolicyUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace has no folder');
  return vscode.Uri.joinPath(folder.uri, '.infrawatch', 'policy.json');
}

/** Waits for a condition that the extension reaches asynchronously (events, file watchers). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
