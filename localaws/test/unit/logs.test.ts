// The CloudWatch Logs handler called directly: groups and streams, PutLogEvents' limits,
// FilterLogEvents' ranges, streams and paging, authorization on the log-group ARN.

import assert from 'node:assert/strict';
import { fakeContext, jsonBody, logsJson } from '../../testing/cloudwatchKit';
import { createDemoServices } from '../../demo/services';
import { classifyEvents } from '../../logs/putLogEvents';

const now = Date.UTC(2025, 5, 2, 9, 30, 0);
const day = 86_400_000;

function setup(demo = false) {
  const { handlers } = createDemoServices({ startTime: now, demo });
  const ask = async (op: string, input: object, at = now) => {
    const res = await handlers.logs(logsJson(op, input), fakeContext(at));
    return { status: res.status, headers: res.headers, body: jsonBody(res) };
  };
  return ask;
}

describe('local Logs handler: groups and streams', () => {
  it('creates groups and streams once, and lists groups by prefix with paging', async () => {
    const ask = setup();
    for (let i = 0; i < 7; i += 1)
      assert.equal((await ask('CreateLogGroup', { logGroupName: `/app/svc-${i}` })).status, 200);
    const again = await ask('CreateLogGroup', { logGroupName: '/app/svc-0' });
    assert.equal(again.body.__type, 'ResourceAlreadyExistsException');
    assert.equal(again.headers['content-type'], 'application/x-amz-json-1.1');
    assert.equal((await ask('CreateLogGroup', { logGroupName: 'bad name!' })).body.__type, 'InvalidParameterException');
    assert.equal((await ask('CreateLogStream', { logGroupName: '/app/svc-0', logStreamName: 's1' })).status, 200);
    assert.equal(
      (await ask('CreateLogStream', { logGroupName: '/app/svc-0', logStreamName: 's1' })).body.__type,
      'ResourceAlreadyExistsException',
    );
    assert.equal(
      (await ask('CreateLogStream', { logGroupName: '/nope', logStreamName: 's1' })).body.__type,
      'ResourceNotFoundException',
    );

    const first = await ask('DescribeLogGroups', { logGroupNamePrefix: '/app/', limit: 5 });
    assert.equal(first.body.logGroups.length, 5);
    assert.equal(first.body.logGroups[0].arn, 'arn:aws:logs:us-east-1:111122223333:log-group:/app/svc-0:*');
    assert.equal(first.body.logGroups[0].logGroupArn, 'arn:aws:logs:us-east-1:111122223333:log-group:/app/svc-0');
    assert.equal(first.body.logGroups[0].creationTime, now);
    const second = await ask('DescribeLogGroups', {
      logGroupNamePrefix: '/app/',
      limit: 5,
      nextToken: first.body.nextToken,
    });
    assert.deepEqual(
      second.body.logGroups.map((g: { logGroupName: string }) => g.logGroupName),
      ['/app/svc-5', '/app/svc-6'],
    );
    assert.equal(second.body.nextToken, undefined);
    assert.equal((await ask('DescribeLogGroups', { limit: 51 })).body.__type, 'InvalidParameterException');
  });
});

describe('local Logs handler: PutLogEvents', () => {
  it('stores events that FilterLogEvents then returns with ids and ingestion times', async () => {
    const ask = setup();
    await ask('CreateLogGroup', { logGroupName: '/infrawatch/audit' });
    await ask('CreateLogStream', { logGroupName: '/infrawatch/audit', logStreamName: 'erin' });
    const put = await ask('PutLogEvents', {
      logGroupName: '/infrawatch/audit',
      logStreamName: 'erin',
      sequenceToken: 'ignored',
      logEvents: [
        { timestamp: now - 2000, message: '{"event":"requested"}' },
        { timestamp: now - 1000, message: '{"event":"granted"}' },
      ],
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.rejectedLogEventsInfo, undefined);
    assert.ok(put.body.nextSequenceToken);
    const out = (await ask('FilterLogEvents', { logGroupName: '/infrawatch/audit' })).body;
    assert.deepEqual(
      out.events.map((e: { message: string }) => e.message),
      ['{"event":"requested"}', '{"event":"granted"}'],
    );
    assert.match(out.events[0].eventId, /^\d{56}$/);
    assert.equal(out.events[0].ingestionTime, now);
    assert.deepEqual(out.searchedLogStreams, [{ logStreamName: 'erin', searchedCompletely: true }]);
  });

  it('enforces the batch limits: count, bytes (26 per event), order, span', async () => {
    const ask = setup();
    await ask('CreateLogGroup', { logGroupName: 'g' });
    await ask('CreateLogStream', { logGroupName: 'g', logStreamName: 's' });
    const put = (logEvents: object[]) => ask('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents });
    const tooMany = await put(Array.from({ length: 10_001 }, () => ({ timestamp: now, message: 'x' })));
    assert.match(tooMany.body.message, /at most 10000/);
    const bytesOk = Array.from({ length: 1024 }, () => ({ timestamp: now, message: 'x'.repeat(1024 - 26) }));
    assert.equal((await put(bytesOk)).status, 200, 'exactly 1,048,576 bytes with the 26-byte overhead');
    const tooBig = await put([...bytesOk, { timestamp: now, message: 'x' }]);
    assert.match(tooBig.body.message, /Upload too large: 1048603 bytes exceeds limit of 1048576/);
    assert.match(
      (
        await put([
          { timestamp: now, message: 'b' },
          { timestamp: now - 1, message: 'a' },
        ])
      ).body.message,
      /chronological order/,
    );
    assert.match(
      (
        await put([
          { timestamp: now - day - 1, message: 'a' },
          { timestamp: now, message: 'b' },
        ])
      ).body.message,
      /24 hours/,
    );
    assert.equal((await put([])).body.__type, 'InvalidParameterException');
    assert.equal(
      (
        await ask('PutLogEvents', {
          logGroupName: 'g',
          logStreamName: 'nope',
          logEvents: [{ timestamp: now, message: 'a' }],
        })
      ).body.__type,
      'ResourceNotFoundException',
    );
  });

  it('rejects events too old, expired or too new, storing the rest', () => {
    const events = [
      { timestamp: now - 15 * day, message: 'old' },
      { timestamp: now - 8 * day, message: 'expired' },
      { timestamp: now, message: 'ok' },
      { timestamp: now + 3 * 3_600_000, message: 'new' },
    ];
    const { accepted, info } = classifyEvents(events, now, 7);
    assert.deepEqual(
      accepted.map((e) => e.message),
      ['ok'],
    );
    assert.deepEqual(info, { tooOldLogEventEndIndex: 0, expiredLogEventEndIndex: 1, tooNewLogEventStartIndex: 3 });
    assert.deepEqual(classifyEvents(events.slice(2, 3), now).info, undefined);
  });
});

describe('local Logs handler: FilterLogEvents on the demo', () => {
  const ask = setup(true);
  const group = '/aws/lambda/checkout-handler';

  it('returns events in time order within the range, from the chosen streams only', async () => {
    const out = (await ask('FilterLogEvents', { logGroupName: group, startTime: now - 6 * 3_600_000, endTime: now }))
      .body;
    assert.ok(out.events.length > 100);
    const times = out.events.map((e: { timestamp: number }) => e.timestamp);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.ok(times[0] >= now - 6 * 3_600_000 && times[times.length - 1] <= now);
    const stream = out.events[0].logStreamName;
    const one = (
      await ask('FilterLogEvents', {
        logGroupName: group,
        startTime: now - 6 * 3_600_000,
        endTime: now,
        logStreamNames: [stream],
      })
    ).body;
    assert.ok(one.events.length > 0 && one.events.every((e: { logStreamName: string }) => e.logStreamName === stream));
  });

  it('pages through a limit with nextToken without losing or repeating events', async () => {
    const input = {
      logGroupIdentifier: `arn:aws:logs:us-east-1:111122223333:log-group:${group}`,
      startTime: now - 12 * 3_600_000,
      filterPattern: 'START',
    };
    const all = (await ask('FilterLogEvents', input)).body.events.map((e: { eventId: string }) => e.eventId);
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const out = (await ask('FilterLogEvents', { ...input, limit: 13, nextToken: token })).body;
      assert.ok(out.events.length <= 13);
      paged.push(...out.events.map((e: { eventId: string }) => e.eventId));
      token = out.nextToken;
    } while (token);
    assert.ok(all.length > 13);
    assert.deepEqual(paged, all);
    const foreign = await ask('FilterLogEvents', {
      ...input,
      filterPattern: 'END',
      nextToken: (await ask('FilterLogEvents', { ...input, limit: 1 })).body.nextToken,
    });
    assert.equal(foreign.body.__type, 'InvalidParameterException');
  });

  it('checks its parameters', async () => {
    assert.equal((await ask('FilterLogEvents', {})).body.__type, 'InvalidParameterException');
    assert.equal(
      (await ask('FilterLogEvents', { logGroupName: group, logStreamNames: ['a'], logStreamNamePrefix: 'a' })).body
        .__type,
      'InvalidParameterException',
    );
    assert.equal(
      (await ask('FilterLogEvents', { logGroupName: group, limit: 10_001 })).body.__type,
      'InvalidParameterException',
    );
    assert.equal(
      (await ask('FilterLogEvents', { logGroupName: '/aws/lambda/nope' })).body.__type,
      'ResourceNotFoundException',
    );
    assert.equal(
      (await ask('FilterLogEvents', { logGroupName: group, filterPattern: '{ $.x = }' })).body.__type,
      'InvalidParameterException',
    );
  });
});

describe('local Logs handler: authorization', () => {
  const { handlers } = createDemoServices({ startTime: now });

  it('authorizes logs:<Op> on the log group ARN', async () => {
    const ctx = fakeContext(now);
    await handlers.logs(logsJson('FilterLogEvents', { logGroupName: '/ecs/prod', limit: 1 }), ctx);
    await handlers.logs(logsJson('DescribeLogGroups', {}), ctx);
    assert.deepEqual(ctx.authorized, [
      'logs:FilterLogEvents arn:aws:logs:us-east-1:111122223333:log-group:/ecs/prod:*',
      'logs:DescribeLogGroups arn:aws:logs:us-east-1:111122223333:log-group:*',
    ]);
  });

  it('answers a denial with AccessDeniedException', async () => {
    const res = await handlers.logs(
      logsJson('FilterLogEvents', { logGroupName: '/ecs/prod' }),
      fakeContext(now, /FilterLogEvents/),
    );
    assert.equal(res.status, 400);
    const body = jsonBody(res);
    assert.equal(body.__type, 'AccessDeniedException');
    assert.match(
      body.message,
      /not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:us-east-1:111122223333:log-group:\/ecs\/prod:\*/,
    );
  });

  it('rejects an unknown operation', async () => {
    const res = await handlers.logs(logsJson('DeleteLogGroup', { logGroupName: '/ecs/prod' }), fakeContext(now));
    assert.equal(jsonBody(res).__type, 'UnknownOperationException');
  });
});
