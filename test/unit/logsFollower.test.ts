import * as assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { LogFollower } from '../../src/core/logs/logFollower';

const client = new CloudWatchLogsClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
});
// Mocked per suite: two live mocks of one client class (another test file) interfere.
let logs: ReturnType<typeof mockClient>;
const t0 = Date.UTC(2026, 5, 15, 12, 0, 0);

/** A tiny log group: every event ever written, served by time window like the real API. */
function serve(store: FilteredLogEvent[], pageSize = 1_000) {
  logs.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => {
    const inWindow = store
      .filter(
        (e) => e.timestamp! >= (input.startTime ?? 0) && (input.endTime === undefined || e.timestamp! < input.endTime),
      )
      .sort((a, b) => a.timestamp! - b.timestamp!);
    const offset = Number(input.nextToken ?? 0);
    const page = inWindow.slice(offset, offset + pageSize);
    return { events: page, nextToken: offset + pageSize < inWindow.length ? String(offset + pageSize) : undefined };
  });
}

const event = (n: number, at: number): FilteredLogEvent => ({
  eventId: `e${n}`,
  timestamp: at,
  logStreamName: 's',
  message: `line ${n}`,
});

describe('logs follower', () => {
  before(() => {
    logs = mockClient(CloudWatchLogsClient);
  });
  after(() => logs.restore());
  afterEach(() => logs.reset());

  it('emits only new events, in order, across polls that overlap', async () => {
    const store = [event(1, t0), event(2, t0 + 1_000)];
    serve(store);
    const follower = new LogFollower(client, { logGroupName: '/aws/lambda/x', startTime: t0, overlapMs: 5_000 });
    assert.deepEqual(
      (await follower.poll()).map((e) => e.id),
      ['e1', 'e2'],
    );
    assert.deepEqual(await follower.poll(), []);
    // A late line (ingested after e2 was seen, timestamped before it) and two new ones.
    store.push(event(4, t0 + 3_000), event(3, t0 + 500), event(5, t0 + 2_000));
    assert.deepEqual(
      (await follower.poll()).map((e) => e.id),
      ['e3', 'e5', 'e4'],
    );
    const starts = logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.startTime);
    assert.equal(starts[0], t0);
    assert.equal(starts[2], t0, 'the overlap reaches back, but never before the start');
  });

  it('polls from the newest event less the overlap', async () => {
    serve([event(1, t0 + 60_000)]);
    const follower = new LogFollower(client, { logGroupName: 'g', startTime: t0, overlapMs: 10_000 });
    await follower.poll();
    await follower.poll();
    assert.equal(logs.commandCalls(FilterLogEventsCommand)[1]?.args[0].input.startTime, t0 + 50_000);
  });

  it('reads every page of a poll and passes the filter pattern', async () => {
    serve(
      Array.from({ length: 25 }, (_, i) => event(i, t0 + i)),
      10,
    );
    const follower = new LogFollower(client, { logGroupName: 'g', filterPattern: 'ERROR', startTime: t0 });
    assert.equal((await follower.poll()).length, 25);
    const calls = logs.commandCalls(FilterLogEventsCommand);
    assert.equal(calls.length, 3);
    assert.ok(calls.every((c) => c.args[0].input.filterPattern === 'ERROR' && c.args[0].input.logGroupName === 'g'));
  });

  it('remembers a bounded number of ids', async () => {
    const store = Array.from({ length: 5_000 }, (_, i) => event(i, t0 + i * 1_000));
    serve(store, 10_000);
    const follower = new LogFollower(client, {
      logGroupName: 'g',
      startTime: t0,
      overlapMs: 30_000,
      maxRemembered: 100,
    });
    assert.equal((await follower.poll()).length, 5_000);
    assert.ok(follower.rememberedCount <= 100, `remembers ${follower.rememberedCount}`);
    // Only ids inside the overlap can come back, and those are still remembered.
    assert.deepEqual(await follower.poll(), []);
  });

  it('skips what the initial load already showed', async () => {
    serve([event(1, t0), event(2, t0 + 10)]);
    const follower = new LogFollower(client, { logGroupName: 'g', startTime: t0 });
    follower.markSeen([{ id: 'e1', timestamp: t0, stream: 's', message: 'line 1' }]);
    assert.deepEqual(
      (await follower.poll()).map((e) => e.id),
      ['e2'],
    );
  });

  it('start() delivers new events and stops when disposed', async () => {
    const store = [event(1, t0)];
    serve(store);
    const follower = new LogFollower(client, { logGroupName: 'g', startTime: t0 });
    const got: string[] = [];
    const errors: unknown[] = [];
    const handle = follower.start(
      5,
      (events) => got.push(...events.map((e) => e.id)),
      (e) => errors.push(e),
    );
    await new Promise((r) => setTimeout(r, 30));
    store.push(event(2, t0 + 5));
    await new Promise((r) => setTimeout(r, 40));
    handle.dispose();
    const calls = logs.commandCalls(FilterLogEventsCommand).length;
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(got, ['e1', 'e2']);
    assert.deepEqual(errors, []);
    assert.equal(logs.commandCalls(FilterLogEventsCommand).length, calls, 'no polls after dispose');
  });
});
