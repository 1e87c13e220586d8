// The CloudWatch Logs audit sink against the local endpoint over HTTP: records arrive in
// order; during an outage they wait on disk; after the outage and a restart (even one
// where the process died after PutLogEvents succeeded but before the cursor was saved)
// every record is in the stream exactly once, in order.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchAuditSink } from '../../src/core/audit/cloudWatchSink';
import { Outbox } from '../../src/core/audit/outbox';
import { createAuditRecord, emptyChainHead, type ChainHead } from '../../src/core/audit/chain';
import { type AuditRecord } from '../../src/core/audit/events';
import { silentLog } from '../../src/core/ports';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { credentialsOf } from '../../localaws/testing/clients';

const group = '/infrawatch/audit';

interface Stored {
  events: { logStreamName: string; timestamp: number; message: string }[];
}

describe('CloudWatch Logs audit sink (local endpoint)', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let dir: string;
  let head: ChainHead;
  before(async () => {
    aws = await startLocalAws();
  });
  after(async () => aws.close());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iw-sink-'));
    head = emptyChainHead;
  });
  afterEach(async () => {
    aws.outages.set('logs', false);
    await rm(dir, { recursive: true, force: true });
  });

  const client = () =>
    new CloudWatchLogsClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: credentialsOf(aws, 'employee'),
      maxAttempts: 1,
    });
  const openSink = (stream: string) =>
    CloudWatchAuditSink.open({
      logs: client(),
      logGroup: group,
      streamName: stream,
      dir,
      clock: aws.clock,
      log: silentLog,
      retryBaseMs: 10,
      retryMaxMs: 50,
      batchDelayMs: 5,
    });
  const nextRecord = (n: number): AuditRecord => {
    const record = createAuditRecord(
      head,
      {
        event: 'credentials.fetched',
        actor: 'arn:aws:iam::111122223333:user/erin.employee',
        outcome: 'success',
        detail: { n },
      },
      new Date(aws.clock.now()).toISOString(),
    );
    head = { seq: record.seq, hash: record.hash };
    return record;
  };
  const storedSeqs = async (stream: string): Promise<number[]> => {
    const response = await fetch(`${aws.url}/_localaws/logs/${encodeURIComponent(group)}`);
    const body = (await response.json()) as Stored;
    // Each event is the record linked into the stream's own chain: links count 1, 2, 3… in order.
    const linked = body.events
      .filter((e) => e.logStreamName === stream)
      .map((e) => JSON.parse(e.message) as { record: AuditRecord; stream: { seq: number } });
    assert.deepEqual(
      linked.map((e) => e.stream.seq),
      range(1, linked.length),
    );
    return linked.map((e) => e.record.seq);
  };
  const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('delivers records in order, creating the group and stream on first use', async () => {
    const stream = '111122223333/erin.employee/machine-a';
    const sink = await openSink(stream);
    for (let n = 1; n <= 25; n += 1) await sink.enqueue(nextRecord(n));
    await sink.flush();
    assert.deepEqual(await storedSeqs(stream), range(1, 25));
    assert.equal(sink.status().pending, 0);
    assert.equal(sink.status().lastSentSeq, 25);
    await sink.close();
  });

  it('an outage keeps records on disk; after it and a restart each arrives exactly once, in order', async () => {
    const stream = '111122223333/erin.employee/machine-b';
    const first = await openSink(stream);
    for (let n = 1; n <= 5; n += 1) await first.enqueue(nextRecord(n));
    await first.flush();

    aws.outages.set('logs', true);
    for (let n = 6; n <= 40; n += 1) await first.enqueue(nextRecord(n));
    await first.flush();
    assert.equal(first.status().pending, 35);
    assert.match(first.status().lastError ?? '', /unavailable/i);
    const onDisk = await new Outbox(dir, silentLog).readPending(await new Outbox(dir, silentLog).readCursor());
    assert.deepEqual(
      onDisk.map((e) => e.seq),
      range(6, 40),
    );
    await first.close(); // the extension host goes away mid-outage

    aws.outages.set('logs', false);
    const second = await openSink(stream);
    await second.flush();
    assert.deepEqual(await storedSeqs(stream), range(1, 40));
    assert.equal(second.status().pending, 0);
    await second.close();
  });

  it('a crash after PutLogEvents succeeded but before the cursor was saved sends nothing twice', async () => {
    const stream = '111122223333/erin.employee/machine-c';
    const outbox = new Outbox(dir, silentLog);
    const before = await outbox.readCursor();
    const sink = await openSink(stream);
    for (let n = 1; n <= 10; n += 1) await sink.enqueue(nextRecord(n));
    await sink.flush();
    await sink.close();
    assert.deepEqual(await storedSeqs(stream), range(1, 10));
    // Simulate the crash: the cursor on disk is what it was before the send.
    await outbox.saveCursor(before);
    const restarted = await openSink(stream);
    assert.equal(restarted.status().pending, 10);
    for (let n = 11; n <= 15; n += 1) await restarted.enqueue(nextRecord(n));
    await restarted.flush();
    assert.deepEqual(await storedSeqs(stream), range(1, 15));
    assert.equal(restarted.status().lastSentSeq, 15);
    await restarted.close();
  });
});
