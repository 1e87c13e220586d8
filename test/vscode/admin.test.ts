import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { type ChainHead, createAuditRecord, emptyChainHead, getRecordLine } from '../../src/core/audit/chain';
import { type AuditVerification } from '../../src/core/audit/verify';
import { verifyAuditTrail } from '../../src/vscode/admin/verifyAuditTrail';
import { adminCommands, commandIds } from '../../src/vscode/commandIds';
import { extensionId, getApi, waitFor, withSettings } from './helpers';

function adminTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('infrawatch.admin'));
}

/** A fresh trail of `count` records in a temporary directory (one file). */
function writeTrail(count: number): { dir: string; file: string; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'infrawatch-audit-'));
  let head: ChainHead = emptyChainHead;
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const record = createAuditRecord(
      head,
      {
        event: 'access.requested',
        actor: 'arn:aws:iam::111122223333:user/erin.employee',
        service: 'rds',
        level: 'read',
        outcome: 'success',
      },
      new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
    );
    head = { seq: record.seq, hash: record.hash };
    lines.push(getRecordLine(record).trimEnd());
  }
  const file = join(dir, 'audit.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return { dir, file, lines };
}

describe('admin commands', function () {
  this.timeout(30_000);
  let restore: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await restore?.();
    restore = undefined;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await (await getApi()).refresh();
  });

  it('hides the admin commands from the palette behind infrawatch.isAdmin', () => {
    const manifest = vscode.extensions.getExtension(extensionId)?.packageJSON as {
      contributes: { menus: { commandPalette: { command: string; when: string }[] } };
    };
    for (const id of adminCommands) {
      const entry = manifest.contributes.menus.commandPalette.find((m) => m.command === id);
      assert.equal(entry?.when, 'infrawatch.isAdmin', id);
    }
  });

  for (const profile of ['demo-employee', 'demo-manager', 'demo-unassigned']) {
    it(`refuses every admin command to ${profile}`, async () => {
      restore = await withSettings({ profile });
      await (await getApi()).refresh();
      assert.equal(await vscode.commands.executeCommand(commandIds.openAdminPanel), undefined);
      assert.equal(adminTabs().length, 0, 'no admin panel opened');
      assert.equal(
        await vscode.commands.executeCommand(commandIds.verifyAuditTrail),
        undefined,
        'verify refused (it returns the verification to admins)',
      );
      assert.equal(await vscode.commands.executeCommand(commandIds.exportAuditTrail), undefined);
    });
  }

  it('opens the admin panel for an Admin, once', async () => {
    restore = await withSettings({ profile: 'demo-admin' });
    const state = await (await getApi()).refresh();
    assert.equal(state.kind === 'ready' && state.access.admin, true, JSON.stringify(state.kind));
    await vscode.commands.executeCommand(commandIds.openAdminPanel);
    await waitFor('the admin panel', () => adminTabs().length === 1);
    await vscode.commands.executeCommand(commandIds.openAdminPanel);
    assert.equal(adminTabs().length, 1, 'opening again reveals the open panel');
  });
});

describe('verify audit trail', () => {
  const check = async (
    tamper: (lines: string[]) => string[],
  ): Promise<Extract<AuditVerification, { ok: false }> & { file: string }> => {
    const trail = writeTrail(6);
    try {
      writeFileSync(trail.file, tamper([...trail.lines]).join('\n') + '\n');
      const result = await verifyAuditTrail(trail.dir);
      assert.equal(result.ok, false);
      return result as Extract<AuditVerification, { ok: false }>;
    } finally {
      rmSync(trail.dir, { recursive: true, force: true });
    }
  };

  it('says an intact trail is intact, with its count', async () => {
    const trail = writeTrail(4);
    try {
      const result = await verifyAuditTrail(trail.dir);
      assert.deepEqual(result.ok && result.count, 4);
      assert.equal(readFileSync(trail.file, 'utf8').split('\n').filter(Boolean).length, 4);
    } finally {
      rmSync(trail.dir, { recursive: true, force: true });
    }
  });

  it('locates an altered record', async () => {
    const result = await check((lines) => {
      lines[2] = lines[2]!.replace('"level":"read"', '"level":"admin"');
      return lines;
    });
    assert.equal(result.problem, 'altered');
    assert.equal(result.line, 3);
    assert.equal(result.seq, 3);
  });

  it('locates a removed record', async () => {
    const result = await check((lines) => lines.filter((_, i) => i !== 3));
    assert.equal(result.problem, 'removed');
    assert.equal(result.line, 4, 'the record after the gap');
  });

  it('locates reordered records', async () => {
    const result = await check((lines) => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)]);
    assert.equal(result.problem, 'reordered');
    assert.equal(result.line, 2);
  });
});
