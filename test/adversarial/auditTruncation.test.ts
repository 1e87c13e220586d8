// Issue 9, Why 4: truncation and forgery must not pass Verify. The head (seq + hash) is
// anchored outside the trail (SecretStorage in VS Code; in memory here), so cutting
// the tail, deleting the newest files or replacing the whole trail with a re-hashed chain
// is reported, and a writer that finds the trail shorter than the head it knows does not
// continue silently: it writes a record stating the gap, and the chain stays verifiable.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAnchorStore } from '../../src/core/audit/anchor';
import { listAuditFiles } from '../../src/core/audit/auditFiles';
import { createAuditRecord, emptyChainHead, getRecordLine, type ChainHead } from '../../src/core/audit/chain';
import { type AuditEventInput, type AuditRecord } from '../../src/core/audit/events';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { verifyAuditChain } from '../../src/core/audit/verify';
import { silentLog, type Log } from '../../src/core/ports';

function event(n: number): AuditEventInput {
  return {
    event: 'access.granted',
    actor: 'arn:aws:iam::123456789012:user/alice',
    outcome: 'success',
    service: 'rds',
    level: 'read',
    requestId: `req-${n}`,
  };
}

function recordingLog(): Log & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    ...silentLog,
    warn: (message: string) => void warnings.push(message),
    error: (message: string) => void warnings.push(message),
    warnings,
  };
}

async function readLines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
}

async function cutTo(path: string, count: number): Promise<void> {
  await writeFile(
    path,
    (await readLines(path))
      .slice(0, count)
      .map((line) => `${line}\n`)
      .join(''),
  );
}

async function verify(dir: string, anchor: MemoryAnchorStore): ReturnType<typeof verifyAuditChain> {
  return verifyAuditChain(await listAuditFiles(dir), { expectedHead: await anchor.read() });
}

/** The record's event fields, as a forger re-hashing the chain would take them. */
function inputOf(record: AuditRecord): AuditEventInput {
  const input: Partial<AuditRecord> = { ...record };
  delete input.seq;
  delete input.time;
  delete input.prevHash;
  delete input.hash;
  return input as AuditEventInput;
}

describe('adversarial: truncation and forgery do not pass Verify (issue 9, Why 4)', () => {
  let dir: string;
  let anchor: MemoryAnchorStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iw-audit-cut-'));
    anchor = new MemoryAnchorStore();
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function writeTrail(count: number, maxBytes?: number): Promise<AuditRecord[]> {
    const log = await JsonlAuditLog.open({ dir, anchor, maxBytes });
    const records: AuditRecord[] = [];
    for (let n = 1; n <= count; n += 1) records.push(await log.append(event(n)));
    await log.close();
    return records;
  }

  it('reports records cut from the end', async () => {
    await writeTrail(20);
    await cutTo(join(dir, 'audit.jsonl'), 15);
    const result = await verify(dir, anchor);
    assert.equal(result.ok, false, 'Verify said OK for a trail cut from 20 to 15 records');
    assert.match(!result.ok ? result.message : '', /16.*20/, 'the message names the missing records');
  });

  it('reports audit.jsonl and the newest rotated file deleted', async () => {
    await writeTrail(30, 1_500);
    const files = await listAuditFiles(dir);
    assert.ok(files.length >= 3, `expected rotation, got ${files.length} files`);
    await rm(files.at(-1)!);
    await rm(files.at(-2)!);
    const result = await verify(dir, anchor);
    assert.equal(result.ok, false, 'Verify said OK with the two newest files deleted');
    assert.match(!result.ok ? result.message : '', /audit\.jsonl|newest|deleted/);
  });

  it('reports a trail replaced wholesale with a re-hashed chain', async () => {
    const records = await writeTrail(20);
    let head: ChainHead = emptyChainHead;
    const forged = records.map((record, i) => {
      const input = inputOf(record);
      const next = createAuditRecord(head, { ...input, level: i === 4 ? 'admin' : input.level }, record.time);
      head = { seq: next.seq, hash: next.hash };
      return getRecordLine(next);
    });
    await writeFile(join(dir, 'audit.jsonl'), forged.join(''));
    assert.equal(
      (await verifyAuditChain(await listAuditFiles(dir))).ok,
      true,
      'the forgery is a valid chain on its own',
    );
    const result = await verify(dir, anchor);
    assert.equal(result.ok, false, 'Verify said OK for a re-hashed forgery');
  });

  it('a running writer does not continue silently from a shortened file: it records the gap', async () => {
    const log = recordingLog();
    const writer = await JsonlAuditLog.open({ dir, anchor, log });
    const records: AuditRecord[] = [];
    for (let n = 1; n <= 20; n += 1) records.push(await writer.append(event(n)));
    await cutTo(join(dir, 'audit.jsonl'), 15);
    const next = await writer.append(event(21));
    await writer.close();
    assert.notEqual(next.seq, 16, 'the writer went on at seq 16 as if seq 16–20 had never been written');
    assert.ok(
      log.warnings.some((message) => /20/.test(message) && /15/.test(message)),
      `nothing said about the gap: ${JSON.stringify(log.warnings)}`,
    );
    const lines = (await readLines(join(dir, 'audit.jsonl'))).map((line) => JSON.parse(line) as AuditRecord);
    const gap = lines.find((record) => record.seq === 16);
    assert.equal(gap?.detail?.expectedSeq, 20, `seq 16 does not state the gap: ${JSON.stringify(gap)}`);
    assert.equal(gap?.detail?.expectedHash, records[19]!.hash);
    assert.equal(gap?.detail?.foundSeq, 15);
    const result = await verify(dir, anchor);
    assert.equal(result.ok, true, `the chain after the gap record must verify: ${JSON.stringify(result)}`);
    assert.deepEqual(
      result.ok && result.gaps.map((g) => [g.seq, g.expectedSeq, g.foundSeq]),
      [[16, 20, 15]],
      'Verify shows the recorded gap',
    );
  });

  it('a writer opened later (another window, a reload) also records the gap', async () => {
    await writeTrail(20);
    await cutTo(join(dir, 'audit.jsonl'), 12);
    const writer = await JsonlAuditLog.open({ dir, anchor, log: silentLog });
    const next = await writer.append(event(21));
    await writer.close();
    assert.equal(next.seq, 14, 'a gap record (seq 13) precedes the new record');
    const result = await verify(dir, anchor);
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it('a writer does not adopt a re-hashed forgery as its new head', async () => {
    const log = recordingLog();
    const writer = await JsonlAuditLog.open({ dir, anchor, log });
    for (let n = 1; n <= 10; n += 1) await writer.append(event(n));
    let head: ChainHead = emptyChainHead;
    const forged: string[] = [];
    for (let n = 1; n <= 12; n += 1) {
      const record = createAuditRecord(
        head,
        { ...event(n), actor: 'arn:aws:iam::123456789012:user/mallory' },
        new Date(0).toISOString(),
      );
      head = { seq: record.seq, hash: record.hash };
      forged.push(getRecordLine(record));
    }
    await writeFile(join(dir, 'audit.jsonl'), forged.join(''));
    const next = await writer.append(event(11));
    await writer.close();
    assert.equal(next.seq, 14, 'a gap record (seq 13) states the replaced head before the new record');
    assert.ok(log.warnings.length > 0);
  });

  it('two windows sharing one anchor never report a gap that is not there', async () => {
    const log = recordingLog();
    const a = await JsonlAuditLog.open({ dir, anchor, log });
    const b = await JsonlAuditLog.open({ dir, anchor, log });
    const written = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).append(event(i + 1))));
    await Promise.all([a.close(), b.close()]);
    assert.deepEqual(
      written.map((r) => r.seq).sort((x, y) => x - y),
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    assert.deepEqual(log.warnings, []);
    assert.deepEqual(await anchor.read(), { seq: 30, hash: written.find((r) => r.seq === 30)!.hash });
    const result = await verify(dir, anchor);
    assert.equal(result.ok && result.count, 30);
  });
});
