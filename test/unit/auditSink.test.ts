// The CloudWatch Logs audit sink with a mocked client: batch boundaries (10,000 events,
// 1,048,576 bytes with 26 per event), retry with backoff on fake timers, the durable
// cursor, and refused (too old) records skipped with a note.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchAuditSink, type SinkTimers } from '../../src/core/audit/cloudWatchSink';
import { getBackoffMs } from '../../src/core/audit/cloudWatchSinkAws';
import { getEventBytes, takeLogEventBatch } from '../../src/core/audit/cloudWatchSinkBatch';
import { readSavedStreamHead } from '../../src/core/audit/streamHeadFile';
import { Outbox, parseOutboxLine, type OutboxEntry } from '../../src/core/audit/outbox';
import { createAuditRecord, emptyChainHead, getCanonicalJson, type ChainHead } from '../../src/core/audit/chain';
import { type AuditRecord } from '../../src/core/audit/events';
import { silentLog, type Log } from '../../src/core/ports';

const t0 = Date.parse('2025-06-01T10:00:00Z');

function makeRecords(count: number, start = t0, stepMs = 1, pad = ''): AuditRecord[] {
  let head: ChainHead = emptyChainHead;
  return Array.from({ length: count }, (_, i) => {
    const record = createAuditRecord(
      head,
      {
        event: 'credentials.fetched',
        actor: 'arn:aws:iam::111122223333:user/erin',
        outcome: 'success',
        ...(pad ? { reason: pad } : {}),
      },
      new Date(start + i * stepMs).toISOString(),
    );
    head = { seq: record.seq, hash: record.hash };
    return record;
  });
}

function toEntries(records: AuditRecord[]): OutboxEntry[] {
  let end = 0;
  return records.map((r) => {
    const line = getCanonicalJson(r);
    end += Buffer.byteLength(line) + 1;
    return parseOutboxLine(line, end);
  });
}

class FakeTimers implements SinkTimers {
  queue: { callback: () => void; ms: number }[] = [];
  setTimeout(callback: () => void, ms: number): unknown {
    const item = { callback, ms };
    this.queue.push(item);
    return item;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((item) => item !== handle);
  }
  /** Fires the next timer and returns its delay. */
  fire(): number {
    const item = this.queue.shift();
    assert.ok(item, 'a timer is scheduled');
    item.callback();
    return item.ms;
  }
}

/** Waits (in real time: file locks and fsync are real) until the sink has scheduled its next timer. */
const settle = async (timers: FakeTimers): Promise<void> => {
  for (let i = 0; i < 400 && timers.queue.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('audit sink: batching within PutLogEvents limits', () => {
  it('cuts at 10,000 events', () => {
    // Tiny lines, so the event count (not the byte limit) is what binds.
    const entries = Array.from({ length: 10_001 }, (_, i) =>
      parseOutboxLine(JSON.stringify({ seq: i + 1, time: new Date(t0).toISOString(), hash: 'h' }), (i + 1) * 50),
    );
    const first = takeLogEventBatch(entries, 0, () => false);
    assert.equal(first.events.length, 10_000);
    assert.equal(takeLogEventBatch(entries, first.next, () => false).events.length, 1);
  });

  it('cuts before 1,048,576 bytes counting 26 per event', () => {
    const entries = toEntries(makeRecords(1000, t0, 1, 'x'.repeat(1000)));
    const batch = takeLogEventBatch(entries, 0, () => false);
    const bytes = batch.events.reduce((sum, e) => sum + Buffer.byteLength(e.message) + 26, 0);
    assert.ok(batch.events.length > 700 && batch.events.length < 1000);
    assert.ok(bytes <= 1_048_576);
    assert.ok(bytes + getEventBytes(entries[batch.next]!.line) > 1_048_576, 'the next event would not fit');
  });

  it('keeps a batch within 24 hours and chronological even if the clock stepped back', () => {
    const records = makeRecords(3, t0, 13 * 3_600_000);
    const entries = toEntries(records);
    assert.equal(takeLogEventBatch(entries, 0, () => false).events.length, 2);
    const stepped = toEntries([records[1]!, records[0]!]);
    const batch = takeLogEventBatch(stepped, 0, () => false);
    assert.deepEqual(
      batch.events.map((e) => e.timestamp),
      [stepped[0]!.time, stepped[0]!.time],
    );
  });
});

describe('audit sink: sending, retrying and the cursor', () => {
  const logsMock = mockClient(CloudWatchLogsClient);
  let dir: string;
  let timers: FakeTimers;
  const warnings: string[] = [];
  const log: Log = { ...silentLog, warn: (message: string) => warnings.push(message) };
  const open = () =>
    CloudWatchAuditSink.open({
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      logGroup: '/audit',
      streamName: 'acct/user/m1',
      dir,
      clock: { now: () => t0 },
      log,
      timers,
      random: () => 0.5,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
    });

  beforeEach(async () => {
    logsMock.reset();
    logsMock.on(CreateLogGroupCommand).resolves({});
    logsMock.on(CreateLogStreamCommand).resolves({});
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    dir = await mkdtemp(join(tmpdir(), 'iw-sink-unit-'));
    timers = new FakeTimers();
    warnings.length = 0;
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('retries throttling with growing, jittered delays, then delivers and keeps the cursor', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    logsMock.on(PutLogEventsCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({});
    const sink = await open();
    const records = makeRecords(3);
    for (const r of records) await sink.enqueue(r);
    await settle(timers);
    assert.equal(timers.fire(), 1000); // the batch delay
    await settle(timers);
    assert.match(sink.status().lastError ?? '', /Rate exceeded/);
    assert.equal(
      timers.fire(),
      getBackoffMs(1, 1000, 60_000, () => 0.5),
    );
    await settle(timers);
    assert.equal(
      timers.fire(),
      getBackoffMs(2, 1000, 60_000, () => 0.5),
    );
    await sink.flush();
    assert.equal(logsMock.commandCalls(PutLogEventsCommand).length, 3);
    assert.deepEqual(sink.status(), { pending: 0, lastSentSeq: 3, skipped: 0 });
    await sink.close();
    assert.deepEqual(await new Outbox(dir, silentLog).readCursor().then((c) => c.seq), 3);
    // A restart finds nothing to send.
    const again = await open();
    assert.equal(again.status().pending, 0);
    await again.flush();
    assert.equal(logsMock.commandCalls(PutLogEventsCommand).length, 3);
  });

  it('backoff doubles up to the cap, with jitter in [step/2, step]', () => {
    assert.equal(
      getBackoffMs(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      getBackoffMs(3, 1000, 60_000, () => 1),
      4000,
    );
    assert.equal(
      getBackoffMs(20, 1000, 60_000, () => 1),
      60_000,
    );
  });

  it('skips records already in the stream and notes records refused as too old', async () => {
    const records = makeRecords(4);
    const delivered = records.slice(0, 2).map((r) => ({ message: getCanonicalJson(r), timestamp: t0 }));
    logsMock.on(FilterLogEventsCommand).resolves({ events: delivered });
    logsMock.on(PutLogEventsCommand).resolves({ rejectedLogEventsInfo: { tooOldLogEventEndIndex: 0 } });
    const outbox = new Outbox(dir, silentLog);
    await outbox.append(records.map((r) => getCanonicalJson(r)));
    const sink = await open();
    await sink.flush();
    // Each event is the record linked into the stream's chain (orgChain.ts).
    const linked = logsMock
      .commandCalls(PutLogEventsCommand)
      .flatMap((c) => c.args[0].input.logEvents ?? [])
      .map((e) => JSON.parse(e.message ?? '') as { record: AuditRecord; stream: { seq: number } });
    assert.deepEqual(
      linked.map((e) => [e.record.seq, e.stream.seq]),
      [
        [3, 1],
        [4, 2],
      ],
    );
    // The refused event is not in the stream, so the head is the last kept one.
    assert.deepEqual(await readSavedStreamHead(dir, 'acct/user/m1').then((h) => h?.seq), 2);
    assert.equal(sink.status().skipped, 1);
    assert.ok(warnings.some((w) => /seq 3 .*too old/.test(w)));
    assert.equal((await outbox.readCursor()).seq, 4);
  });
});
