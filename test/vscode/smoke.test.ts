// The first in-host check: the real extension host finds, activates and wires up the
// extension exactly as package.json promises.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/vscode/commandIds';
import { viewId } from '../../src/vscode/ids';

const extensionId = 'infrawatch.infrawatch';

interface ContributedCommand {
  command: string;
  title: string;
}

function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed in this extension host`);
  return extension;
}

describe('smoke: the extension in a real extension host', () => {
  it('is present and activates', async () => {
    const extension = getExtension();
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command that package.json contributes', async () => {
    const extension = getExtension();
    await extension.activate();
    const manifest = extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } };
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('registers the command map and no other infrawatch command', async () => {
    await getExtension().activate();
    // VS Code adds `<view id>.focus` and the like for the sidebar itself.
    const ours = (await vscode.commands.getCommands(true)).filter(
      (id) => id.startsWith('infrawatch.') && !id.startsWith(`${viewId}.`),
    );
    assert.deepEqual(ours.sort(), Object.values(commandIds).sort());
  });

  it('runs in the environment the harness set up', () => {
    // Tests that follow rely on these; a broken harness should fail here, not later.
    assert.ok(
      process.env.INFRAWATCH_TEST_ENDPOINT?.startsWith('http://127.0.0.1:'),
      `INFRAWATCH_TEST_ENDPOINT is ${process.env.INFRAWATCH_TEST_ENDPOINT}`,
    );
    assert.equal(vscode.workspace.getConfiguration('infrawatch').get('profile'), 'demo-employee');
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder is open');
  });
});
