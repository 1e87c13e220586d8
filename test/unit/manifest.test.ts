import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminCommands, commandIds, contextOnlyCommands } from '../../src/vscode/commandIds';

// Reads package.json as data: this test must not load the `vscode` module.
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('package.json', () => {
  it('contributes exactly the commands of the command map', () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(commandIds).sort());
  });

  it('names only commands of the map in menus, welcome views and walkthroughs', () => {
    const menus = Object.values<{ command: string }[]>(manifest.contributes.menus)
      .flat()
      .map((m) => m.command);
    // `command:infrawatch.x` links in welcome views and walkthrough steps, and their onCommand events.
    const linked = [...JSON.stringify(manifest.contributes).matchAll(/(?:command:|onCommand:)(infrawatch\.\w+)/g)].map(
      (m) => m[1],
    );
    const known = new Set<string>(Object.values(commandIds));
    const unknown = [...menus, ...linked].filter((id) => id.startsWith('infrawatch.') && !known.has(id));
    assert.deepEqual(unknown, []);
    assert.ok(linked.length > 5, 'the link pattern still finds the welcome view links');
  });

  it('shows the admin commands in the palette only to admins', () => {
    for (const id of adminCommands) {
      const entries = manifest.contributes.menus.commandPalette.filter((m: { command: string }) => m.command === id);
      assert.equal(entries.length, 1, id);
      assert.match(entries[0].when, /(^|&& )infrawatch\.isAdmin( &&|$)/, id);
    }
  });

  it('has a walkthrough whose steps all have their markdown', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.steps.length, 5);
    for (const step of walkthrough.steps)
      assert.ok(existsSync(join(__dirname, '..', '..', step.media.markdown)), step.media.markdown);
  });

  it('titles commands verb-first in the InfraWatch category', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'InfraWatch', c.command);
      // Title case; short prepositions stay lower case ("Sign In with IAM Identity Center").
      assert.match(c.title, /^[A-Z][a-z]+( ([A-Z][A-Za-z]*|with|in|to|from|for|of))*$/, c.title);
    }
  });

  it('hides exactly the context-only commands from the palette', () => {
    const hidden = manifest.contributes.menus.commandPalette
      .filter((m: { when: string }) => m.when === 'false')
      .map((m: { command: string }) => m.command);
    assert.deepEqual(hidden.sort(), [...contextOnlyCommands].sort());
  });

  it('activates only through contributions (and panel restore) and targets VS Code 1.100', () => {
    // Views and commands generate their own activation events; only restoring a webview
    // panel after reload needs one spelled out.
    // onStartupFinished restores live sessions into new terminals after a reload (no network).
    for (const event of manifest.activationEvents)
      assert.match(event, /^(onWebviewPanel:infrawatch\.|onStartupFinished$)/);
    assert.equal(manifest.engines.vscode, '^1.100.0');
  });

  it('gives every setting a default and a description, and restricts the ones that redirect AWS calls', () => {
    const props = manifest.contributes.configuration.properties;
    for (const [key, value] of Object.entries<{ default: unknown; description: string; scope: string }>(props)) {
      assert.ok(value.default !== undefined, key);
      assert.ok(value.description.length > 20, key);
    }
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['infrawatch.profile', 'infrawatch.endpointUrl', 'infrawatch.policyPath']) {
      assert.equal(props[key].scope, 'machine', key);
      assert.ok(restricted.includes(key), key);
    }
  });

  it('keeps the settings schema in step with contributes.configuration', () => {
    const source = readFileSync(join(__dirname, '..', '..', 'src', 'vscode', 'config.ts'), 'utf8');
    const keys = [...source.matchAll(/^\s{2}(\w+): z\./gm)].map((m) => `infrawatch.${m[1]}`).sort();
    assert.deepEqual(keys, Object.keys(manifest.contributes.configuration.properties).sort());
  });
});
