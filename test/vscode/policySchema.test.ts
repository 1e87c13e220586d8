import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getPolicyUri, waitFor } from './helpers';

// The published JSON Schema, wired through contributes.jsonValidation, is what gives an
// admin completion and inline errors while editing .infrawatch/policy.json.
describe('policy JSON Schema in the editor', function () {
  this.timeout(30_000);

  it('offers the policy’s keys as completions', async () => {
    const document = await vscode.workspace.openTextDocument(getPolicyUri());
    const editor = await vscode.window.showTextDocument(document);
    // A fresh line inside the Employee role, which has neither "inherits" nor "admin" yet:
    // the schema offers the keys a role may still take (JSON completion skips present ones).
    const anchor = document.getText().indexOf('"Employee": {') + '"Employee": {'.length;
    assert.ok(anchor > 20, 'the demo policy has an Employee role');
    await editor.edit((b) => b.insert(document.positionAt(anchor), '\n      '));
    try {
      const position = document.positionAt(anchor + '\n      '.length);
      const labels = await waitFor(
        'schema completions',
        async () => {
          const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider',
            document.uri,
            position,
          );
          const found = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
          return found.some((l) => l.includes('inherits')) ? found : undefined;
        },
        20_000,
      );
      for (const key of ['inherits', 'admin'])
        assert.ok(
          labels.some((l) => l.includes(key)),
          `${key} among ${labels.join(', ')}`,
        );
    } finally {
      await vscode.commands.executeCommand('undo');
      await document.save();
    }
  });

  it('marks a schema violation inline while the file is being edited', async () => {
    // An edit in the real policy file, undone afterwards: the schema applies by file name.
    const policy = await vscode.workspace.openTextDocument(getPolicyUri());
    const editor = await vscode.window.showTextDocument(policy);
    const at = policy.getText().indexOf('"version": 1');
    assert.ok(at >= 0, 'the demo policy has a version');
    const range = new vscode.Range(policy.positionAt(at), policy.positionAt(at + '"version": 1'.length));
    await editor.edit((b) => b.replace(range, '"version": "one"'));
    try {
      const diagnostics = await waitFor(
        'a JSON Schema diagnostic',
        () => {
          const found = vscode.languages.getDiagnostics(policy.uri).filter((d) => d.source !== 'InfraWatch policy');
          return found.length > 0 ? found : undefined;
        },
        20_000,
      );
      assert.ok(
        diagnostics.some((d) => d.range.start.line === policy.positionAt(at).line),
        diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join(' | '),
      );
    } finally {
      await vscode.commands.executeCommand('undo');
      await policy.save();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
