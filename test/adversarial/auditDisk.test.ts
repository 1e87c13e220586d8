// Issue 9, Why 2: a full disk must never lose audit records silently. On a real 16 KiB
// tmpfs the trail and the outbox fill the disk: every append that resolved is on disk,
// every one that is not on disk was rejected, no partial line stays, the head does not
// move on a failure, and once space is freed the chain continues where it left off.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listAuditFiles } from '../../src/core/audit/auditFiles';
import { type AuditEventInput, type AuditRecord } from '../../src/core/audit/events';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { Outbox, getOutboxFileName } from '../../src/core/audit/outbox';
import { verifyAuditChain } from '../../src/core/audit/verify';
import { silentLog } from '../../src/core/ports';

// About 1.3 KB a line: a dozen fit in 16 KiB.
function event(n: number): AuditEventInput {
  return {
    event: 'access.requested',
    actor: 'arn:aws:iam::123456789012:user/alice',
    outcome: 'success',
    reason: `request ${n} `.padEnd(1000, 'x'),
    requestId: `req-${n}`,
  };
}

async function settle<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  );
}

async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

function linesOf(text: string): string[] {
  assert.ok(text === '' || text.endsWith('\n'), `the file ends in a partial line: …${JSON.stringify(text.slice(-40))}`);
  return text.split('\n').filter((line) => line !== '');
}

describe('adversarial: a full disk never loses audit records silently (issue 9, Why 2)', function () {
  this.timeout(60_000);
  let mount: string | undefined;

  beforeEach(async function () {
    const dir = await mkdtemp(join(tmpdir(), 'iw-full-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'pipe' });
      mount = dir;
    } catch (error) {
      await rmdir(dir);
      console.warn(
        `\n    !!! SKIPPED: cannot mount a 16 KiB tmpfs here (${(error as Error).message.split('\n')[0]}); the full-disk audit tests need root and mount(8). !!!\n`,
      );
      this.skip();
    }
  });
  afterEach(async () => {
    if (mount === undefined) return;
    // Lazily: a file a failed assertion left open must not leave the mount behind.
    execFileSync('umount', ['-l', mount], { stdio: 'pipe' });
    await rmdir(mount);
    mount = undefined;
  });

  it('JSONL trail: every resolved append is on disk, failures reject, the chain continues after space is freed', async () => {
    const dir = mount!;
    // 4 KiB set aside to free later: the trail gets the rest.
    await writeFile(join(dir, 'filler'), Buffer.alloc(4096, 1));
    const log = await JsonlAuditLog.open({ dir, log: silentLog });
    const resolved: AuditRecord[] = [];
    const failures: string[] = [];
    for (let n = 1; n <= 25; n += 1) {
      const before = log.getHead();
      const result = await settle(log.append(event(n)));
      if (result.ok) resolved.push(result.value);
      else {
        failures.push(result.error.message);
        assert.deepEqual(log.getHead(), before, `the head moved on the failed append ${n}`);
      }
    }
    assert.ok(failures.length > 0, 'a 16 KiB disk took 25 records of 1.3 KB: nothing failed');
    assert.match(failures[0]!, /ENOSPC|the disk took \d+ of \d+ bytes/);
    const onDisk = linesOf(await readText(join(dir, 'audit.jsonl'))).map((line) => JSON.parse(line) as AuditRecord);
    assert.deepEqual(
      onDisk.map((r) => r.seq),
      resolved.map((r) => r.seq),
      'records on disk differ from the appends that resolved',
    );
    assert.deepEqual(
      onDisk.map((r) => r.hash),
      resolved.map((r) => r.hash),
    );
    assert.deepEqual(log.getHead(), { seq: resolved.at(-1)!.seq, hash: resolved.at(-1)!.hash });

    await rm(join(dir, 'filler'));
    const later: AuditRecord[] = [];
    for (let n = 26; n <= 28; n += 1) later.push(await log.append(event(n)));
    await log.close();
    assert.deepEqual(
      later.map((r) => r.seq),
      [1, 2, 3].map((i) => resolved.length + i),
      'seq numbers reused or skipped after space was freed',
    );
    const all = linesOf(await readText(join(dir, 'audit.jsonl'))).map((line) => JSON.parse(line) as AuditRecord);
    assert.deepEqual(
      all.map((r) => r.hash),
      [...resolved, ...later].map((r) => r.hash),
    );
    const verified = await verifyAuditChain(await listAuditFiles(dir));
    assert.equal(verified.ok && verified.count, resolved.length + 3, JSON.stringify(verified));
  });

  it('outbox: every resolved append is on disk in full, failures reject, appends resume after space is freed', async () => {
    const dir = mount!;
    await writeFile(join(dir, 'filler'), Buffer.alloc(4096, 1));
    const outbox = new Outbox(dir, silentLog);
    const resolved: string[] = [];
    let failures = 0;
    for (let n = 1; n <= 20; n += 1) {
      const line = JSON.stringify({ seq: n, time: new Date(0).toISOString(), hash: 'h', pad: 'x'.repeat(1200) });
      const result = await settle(outbox.append([line]));
      if (result.ok) resolved.push(line);
      else failures += 1;
    }
    assert.ok(failures > 0, 'a 16 KiB disk took 20 outbox lines of 1.2 KB: nothing failed');
    const file = join(dir, getOutboxFileName(1));
    assert.deepEqual(linesOf(await readText(file)), resolved, `${resolved.length} outbox appends resolved`);
    await rm(join(dir, 'filler'));
    const more = JSON.stringify({ seq: 99, time: new Date(0).toISOString(), hash: 'h' });
    await outbox.append([more]);
    assert.deepEqual(linesOf(await readText(file)), [...resolved, more]);
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.endsWith('.tmp')),
      [],
    );
  });
});
