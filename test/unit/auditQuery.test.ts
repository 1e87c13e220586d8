import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCanonicalJson, getRecordHash } from '../../src/core/audit/chain';
import { type AuditEventInput, type AuditRecord } from '../../src/core/audit/events';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { MemoryAuditLog } from '../../src/core/audit/memoryAuditLog';
import { filterAudit, mergeAuditSources, pageAudit, sortNewestFirst } from '../../src/core/audit/queryFilter';
import { parseCloudWatchAuditEvents, readLocalAudit } from '../../src/core/audit/queryRead';
import { FakeClock } from './credentialsFixtures';

const erin = 'arn:aws:iam::111122223333:user/erin.employee';
const sam = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/sam';

function input(i: number): AuditEventInput {
  const services = ['rds', 'ec2', 'lambda'] as const;
  return {
    event: i % 4 === 3 ? 'access.denied' : 'access.granted',
    actor: i % 2 === 0 ? erin : sam,
    service: services[i % 3]!,
    level: 'read',
    outcome: i % 4 === 3 ? 'denied' : 'success',
    reason: `request number ${i}${i === 7 ? ' for INC-9001' : ''}`,
  };
}

async function memoryRecords(count: number, clock = new FakeClock()): Promise<AuditRecord[]> {
  const log = new MemoryAuditLog(clock);
  for (let i = 0; i < count; i += 1) {
    await log.append(input(i));
    clock.advance(60_000);
  }
  return log.records;
}

describe('audit query: reading the local trail', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infrawatch-audit-query-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every rotated file in order, then the current one', async () => {
    const log = await JsonlAuditLog.open({ dir, clock: new FakeClock(), maxBytes: 900 });
    const written: AuditRecord[] = [];
    for (let i = 0; i < 12; i += 1) written.push(await log.append(input(i)));
    await log.close();
    assert.ok(
      (await readdir(dir)).filter((name) => /^audit-\d+\.jsonl$/.test(name)).length >= 2,
      'rotated at least twice',
    );
    const read = await readLocalAudit(dir);
    assert.deepEqual(read.notes, []);
    assert.deepEqual(
      read.records.map((r) => r.seq),
      written.map((r) => r.seq),
    );
    assert.deepEqual(read.records, written);
  });

  it('skips a half-written last line with a note, and notes a bad line without stopping', async () => {
    const log = await JsonlAuditLog.open({ dir, clock: new FakeClock() });
    for (let i = 0; i < 3; i += 1) await log.append(input(i));
    await log.close();
    const file = join(dir, 'audit.jsonl');
    await appendFile(file, '{"event":"access.granted","actor":"arn:aws:iam::1111');
    let read = await readLocalAudit(dir);
    assert.equal(read.records.length, 3);
    assert.equal(read.notes.length, 1);
    assert.match(read.notes[0]!.where, /^audit\.jsonl:4$/);
    assert.match(read.notes[0]!.message, /half-written last line/);

    await appendFile(file, '\nnot json\n');
    const extra = await memoryRecords(1);
    await appendFile(file, `${getCanonicalJson(extra[0])}\n`);
    read = await readLocalAudit(dir);
    assert.equal(read.records.length, 4);
    assert.deepEqual(
      read.notes.map((n) => n.where),
      ['audit.jsonl:4', 'audit.jsonl:5'],
    );
  });

  it('an empty or missing folder reads as no records', async () => {
    assert.deepEqual(await readLocalAudit(join(dir, 'nope')), { records: [], notes: [] });
  });
});

describe('audit query: CloudWatch Logs events', () => {
  it('keeps records, reports the rest by event id without throwing', async () => {
    const [a, b] = await memoryRecords(2);
    const altered = { ...b!, reason: 'edited later' };
    const events = [
      { eventId: 'e1', timestamp: 1, message: getCanonicalJson(a) },
      { eventId: 'e2', timestamp: 2, message: 'plain text line' },
      { eventId: 'e3', timestamp: 3, message: JSON.stringify({ hello: 'world' }) },
      { eventId: 'e4', timestamp: 4, message: getCanonicalJson(altered) },
      { eventId: 'e5', timestamp: 5 },
      { eventId: 'e6', timestamp: 6, message: `${getCanonicalJson(b)}\n` },
    ];
    const read = parseCloudWatchAuditEvents(events);
    // Plain records in no principal's stream are kept, and marked unverified (orgVerify.ts).
    assert.deepEqual(
      read.records.map(({ verification, ...record }) => (assert.equal(verification.ok, false), record)),
      [a, b],
    );
    assert.deepEqual(
      read.notes.map((n) => n.where),
      ['event e2', 'event e3', 'event e4', 'event e5'],
    );
    assert.match(read.notes[0]!.message, /not JSON/);
    assert.match(read.notes[1]!.message, /not an audit record/);
    assert.match(read.notes[2]!.message, /seq 2 does not match its hash/);
    assert.match(read.notes[3]!.message, /empty/);
  });
});

describe('audit query: merge, filter, page', () => {
  it('merges by (seq, hash), marking the source, and drops duplicates within a source', async () => {
    const records = await memoryRecords(5);
    const local = records.slice(0, 4);
    const remote = [records[2]!, records[3]!, records[4]!, records[4]!];
    const merged = mergeAuditSources(local, remote);
    assert.deepEqual(
      merged.map((r) => [r.seq, r.source]),
      [
        [1, 'local'],
        [2, 'local'],
        [3, 'both'],
        [4, 'both'],
        [5, 'remote'],
      ],
    );
    // Another machine's chain reuses seq numbers; its records are different records.
    const other = await memoryRecords(2, new FakeClock(Date.UTC(2025, 1, 1)));
    assert.equal(mergeAuditSources(local, other).length, 6);
    const unmarked: Partial<(typeof merged)[0]> = { ...merged[0]! };
    delete unmarked.source;
    assert.deepEqual(unmarked, records[0]);
    assert.equal(getRecordHash(unmarked as AuditRecord), records[0]!.hash);
  });

  it('filters by user, service, outcome, event, time range and free text', async () => {
    const records = await memoryRecords(12);
    const seqs = (filtered: AuditRecord[]): number[] => filtered.map((r) => r.seq);
    assert.deepEqual(seqs(filterAudit(records, { user: 'ERIN' })), [1, 3, 5, 7, 9, 11]);
    assert.deepEqual(seqs(filterAudit(records, { user: 'sam' })), [2, 4, 6, 8, 10, 12]);
    assert.deepEqual(seqs(filterAudit(records, { service: 'rds' })), [1, 4, 7, 10]);
    assert.deepEqual(seqs(filterAudit(records, { outcome: 'denied' })), [4, 8, 12]);
    assert.deepEqual(seqs(filterAudit(records, { event: 'access.denied', user: 'sam' })), [4, 8, 12]);
    const start = Date.parse(records[2]!.time);
    assert.deepEqual(seqs(filterAudit(records, { from: start, to: start + 120_000 })), [3, 4, 5]);
    assert.deepEqual(seqs(filterAudit(records, { text: 'inc-9001' })), [8]);
    assert.deepEqual(seqs(filterAudit(records, {})), seqs(records));
    assert.deepEqual(filterAudit(records, { user: 'nobody' }), []);
  });

  it('pages newest first, clamping the page', async () => {
    const records = await memoryRecords(7);
    const shuffled = [records[3]!, records[0]!, records[6]!, records[1]!, records[5]!, records[2]!, records[4]!];
    assert.deepEqual(
      sortNewestFirst(shuffled).map((r) => r.seq),
      [7, 6, 5, 4, 3, 2, 1],
    );
    const first = pageAudit(shuffled, { pageSize: 3, page: 0 });
    assert.deepEqual(
      { ...first, items: first.items.map((r) => r.seq) },
      { items: [7, 6, 5], page: 0, pageCount: 3, total: 7 },
    );
    assert.deepEqual(
      pageAudit(shuffled, { pageSize: 3, page: 2 }).items.map((r) => r.seq),
      [1],
    );
    const past = pageAudit(shuffled, { pageSize: 3, page: 99 });
    assert.equal(past.page, 2);
    assert.deepEqual(pageAudit([], { pageSize: 3, page: 0 }), { items: [], page: 0, pageCount: 1, total: 0 });
  });
});
