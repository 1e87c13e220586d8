import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listAuditFiles } from '../../src/core/audit/auditFiles';
import { genesisHash, getCanonicalJson, getRecordHash } from '../../src/core/audit/chain';
import { type AuditEventInput, type AuditRecord } from '../../src/core/audit/events';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { verifyAuditChain } from '../../src/core/audit/verify';
import { FakeClock } from './credentialsFixtures';

function event(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    event: 'access.requested',
    actor: 'arn:aws:iam::123456789012:user/alice',
    outcome: 'success',
    service: 'rds',
    level: 'read',
    reason: `request number ${n}`,
    requestId: `req-${n}`,
    ...overrides,
  };
}

async function writeEvents(dir: string, count: number, maxBytes?: number): Promise<AuditRecord[]> {
  const log = await JsonlAuditLog.open({ dir, clock: new FakeClock(), maxBytes });
  const records: AuditRecord[] = [];
  for (let i = 1; i <= count; i += 1) records.push(await log.append(event(i)));
  await log.close();
  return records;
}

async function readLines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
}

async function writeLines(path: string, lines: string[]): Promise<void> {
  await writeFile(path, lines.map((line) => `${line}\n`).join(''));
}

describe('audit: hash chain and JSONL log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infrawatch-audit-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('canonical JSON sorts keys at every level and has no whitespace', () => {
    assert.equal(
      getCanonicalJson({ b: 1, a: { d: [1, { y: 2, x: 'é' }], c: null }, u: undefined }),
      '{"a":{"c":null,"d":[1,{"x":"é","y":2}]},"b":1}',
    );
  });

  it('each hash is sha256(prevHash + canonical record without hash), chained from the genesis hash', async () => {
    const records = await writeEvents(dir, 3);
    assert.deepEqual(
      records.map((r) => r.seq),
      [1, 2, 3],
    );
    assert.equal(records[0]?.prevHash, genesisHash);
    for (const [i, record] of records.entries()) {
      const { hash, ...rest } = record;
      assert.equal(
        hash,
        createHash('sha256')
          .update(record.prevHash + getCanonicalJson(rest))
          .digest('hex'),
      );
      if (i > 0) assert.equal(record.prevHash, records[i - 1]?.hash);
    }
    const lines = await readLines(join(dir, 'audit.jsonl'));
    assert.deepEqual(
      lines.map((line) => JSON.parse(line) as AuditRecord),
      records,
    );
    assert.deepEqual(await verifyAuditChain(await listAuditFiles(dir)), {
      ok: true,
      count: 3,
      head: { seq: 3, hash: records[2]!.hash },
      gaps: [],
      anchored: false,
    });
  });

  it('detects and locates an altered record', async () => {
    await writeEvents(dir, 5);
    const file = join(dir, 'audit.jsonl');
    const lines = await readLines(file);
    lines[2] = lines[2]!.replace('request number 3', 'request number 9');
    await writeLines(file, lines);
    const result = await verifyAuditChain([file]);
    assert.deepEqual(
      { ...result, message: undefined },
      { ok: false, index: 2, file, line: 3, problem: 'altered', seq: 3, message: undefined },
    );
  });

  it('detects an altered record whose hash was recomputed, at that record', async () => {
    await writeEvents(dir, 5);
    const file = join(dir, 'audit.jsonl');
    const lines = await readLines(file);
    const forged = { ...(JSON.parse(lines[1]!) as AuditRecord), outcome: 'denied' as const };
    forged.hash = getRecordHash(forged);
    lines[1] = getCanonicalJson(forged);
    await writeLines(file, lines);
    const result = await verifyAuditChain([file]);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem, 'altered');
    assert.equal(!result.ok && result.line, 2);
  });

  it('detects and locates a removed record, including the first one', async () => {
    await writeEvents(dir, 5);
    const file = join(dir, 'audit.jsonl');
    const lines = await readLines(file);
    await writeLines(file, [...lines.slice(0, 3), ...lines.slice(4)]);
    const middle = await verifyAuditChain([file]);
    assert.deepEqual(!middle.ok && [middle.problem, middle.index, middle.line, middle.seq], ['removed', 3, 4, 5]);
    await writeLines(file, lines.slice(1));
    const first = await verifyAuditChain([file]);
    assert.deepEqual(!first.ok && [first.problem, first.index, first.line], ['removed', 0, 1]);
  });

  it('detects records cut from the end only against an anchored head', async () => {
    const records = await writeEvents(dir, 4);
    const file = join(dir, 'audit.jsonl');
    await writeLines(file, (await readLines(file)).slice(0, 3));
    assert.equal((await verifyAuditChain([file])).ok, true);
    const anchored = await verifyAuditChain([file], { expectedHead: { seq: 4, hash: records[3]!.hash } });
    assert.deepEqual(!anchored.ok && [anchored.problem, anchored.line], ['truncated', 3]);
    assert.match(
      !anchored.ok ? anchored.message : '',
      /ends at seq 3, but seq 4 was written: seq 4 was cut from the end/,
    );
  });

  it('detects and locates reordered records', async () => {
    await writeEvents(dir, 5);
    const file = join(dir, 'audit.jsonl');
    const lines = await readLines(file);
    [lines[1], lines[3]] = [lines[3]!, lines[1]!];
    await writeLines(file, lines);
    const result = await verifyAuditChain([file]);
    assert.deepEqual(!result.ok && [result.problem, result.index, result.line, result.seq], ['reordered', 1, 2, 4]);
  });

  it('reports a line that is not a record as malformed', async () => {
    await writeEvents(dir, 3);
    const file = join(dir, 'audit.jsonl');
    const lines = await readLines(file);
    lines[1] = '{"seq":2, oops';
    await writeLines(file, lines);
    const result = await verifyAuditChain([file]);
    assert.deepEqual(!result.ok && [result.problem, result.line], ['malformed', 2]);
  });

  it('rotates by size and the chain continues across files', async () => {
    const records = await writeEvents(dir, 40, 2_000);
    const names = (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
    assert.ok(names.length >= 4, `expected several files, got ${names.join(', ')}`);
    const files = await listAuditFiles(dir);
    assert.equal(files.at(-1), join(dir, 'audit.jsonl'));
    for (const file of files.slice(0, -1)) assert.ok((await readFile(file)).length <= 2_000);
    assert.deepEqual(await verifyAuditChain(files), {
      ok: true,
      count: 40,
      head: { seq: 40, hash: records[39]!.hash },
      gaps: [],
      anchored: false,
    });
    // A record removed at a file boundary is still found and located in its file.
    const second = files[1]!;
    await writeLines(second, (await readLines(second)).slice(1));
    const result = await verifyAuditChain(files);
    assert.deepEqual(!result.ok && [result.problem, result.file, result.line], ['removed', second, 1]);
  });

  it('continues the chain after reopening, also right after a rotation', async () => {
    await writeEvents(dir, 10, 1_500);
    // As if the window closed between a rotation's rename and the next write.
    const rotated = (await listAuditFiles(dir)).length;
    await rename(join(dir, 'audit.jsonl'), join(dir, `audit-${rotated}.jsonl`));
    const log = await JsonlAuditLog.open({ dir, maxBytes: 1_500 });
    assert.equal(log.getHead().seq, 10);
    const next = await log.append(event(11));
    await log.close();
    assert.equal(next.seq, 11);
    assert.deepEqual(await verifyAuditChain(await listAuditFiles(dir)).then((r) => r.ok && r.count), 11);
  });

  it('concurrent appends keep call order, each durable before it resolves', async () => {
    const log = await JsonlAuditLog.open({ dir, maxBytes: 4_000 });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(event(i + 1))));
    await log.close();
    assert.deepEqual(
      results.map((r) => r.seq),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      results.map((r) => r.requestId),
      Array.from({ length: 100 }, (_, i) => `req-${i + 1}`),
    );
    const result = await verifyAuditChain(await listAuditFiles(dir));
    assert.deepEqual(result.ok && result.count, 100);
  });

  it('two writers on the same folder (two windows) interleave without forking the chain', async () => {
    const a = await JsonlAuditLog.open({ dir });
    const b = await JsonlAuditLog.open({ dir });
    const writes: Promise<AuditRecord>[] = [];
    for (let i = 0; i < 30; i += 1) writes.push((i % 2 === 0 ? a : b).append(event(i + 1)));
    const records = await Promise.all(writes);
    await Promise.all([a.close(), b.close()]);
    assert.deepEqual(
      records.map((r) => r.seq).sort((x, y) => x - y),
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    const result = await verifyAuditChain(await listAuditFiles(dir));
    assert.deepEqual(result.ok && result.count, 30);
  });

  it('drops a half-written last line left by a crash and continues the chain', async () => {
    await writeEvents(dir, 3);
    const file = join(dir, 'audit.jsonl');
    await appendFile(file, '{"seq":4,"event":"acc');
    const log = await JsonlAuditLog.open({ dir });
    const next = await log.append(event(4));
    await log.close();
    assert.equal(next.seq, 4);
    assert.deepEqual(await verifyAuditChain([file]).then((r) => r.ok && r.count), 4);
  });

  it('refuses to continue from an unreadable last record', async () => {
    await writeEvents(dir, 2);
    await appendFile(join(dir, 'audit.jsonl'), 'garbage\n');
    await assert.rejects(JsonlAuditLog.open({ dir }), /last record .* is unreadable/);
  });

  it('stamps time from the clock port', async () => {
    const clock = new FakeClock(Date.UTC(2030, 5, 1, 8, 30, 0));
    const log = await JsonlAuditLog.open({ dir, clock });
    const record = await log.append(event(1));
    await log.close();
    assert.equal(record.time, '2030-06-01T08:30:00.000Z');
  });
});
