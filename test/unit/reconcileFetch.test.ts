// Reading CloudTrail for reconciliation: one EventName=AssumeRole lookup over the range,
// every page through NextToken, paced to LookupEvents' two requests a second, capped.
import * as assert from 'node:assert/strict';
import { type CloudTrailClient, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { lookupAssumeRoleEvents, lookupIntervalMs } from '../../src/core/admin/reconcileFetch';

function event(n: number) {
  const record = {
    eventName: 'AssumeRole',
    eventSource: 'sts.amazonaws.com',
    userIdentity: { arn: 'arn:aws:iam::111122223333:user/erin.employee' },
    requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee', roleSessionName: `s${n}` },
  };
  return {
    EventId: `e${n}`,
    EventTime: new Date(1_700_000_000_000 - n * 1000),
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** A CloudTrail client that serves `total` events `perPage` at a time, on a fake clock. */
function fakeCloudTrail(total: number, perPage: number) {
  const inputs: LookupEventsCommandInput[] = [];
  const sentAt: number[] = [];
  let now = 0;
  const client = {
    send: async (command: { input: LookupEventsCommandInput }) => {
      inputs.push(command.input);
      sentAt.push(now);
      const start = command.input.NextToken ? Number(command.input.NextToken) : 0;
      const end = Math.min(total, start + perPage);
      return {
        Events: Array.from({ length: end - start }, (_, i) => event(start + i)),
        ...(end < total ? { NextToken: String(end) } : {}),
      };
    },
  } as unknown as CloudTrailClient;
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  return { client, inputs, sentAt, clock };
}

describe('reading AssumeRole events from CloudTrail', () => {
  const from = new Date(1_699_990_000_000);
  const to = new Date(1_700_000_000_000);

  it('asks for AssumeRole over the range, follows NextToken and paces pages two a second', async () => {
    const fake = fakeCloudTrail(5, 2);
    const result = await lookupAssumeRoleEvents(fake.client, {
      from,
      to,
      pageSize: 2,
      sleep: fake.clock.sleep,
      now: fake.clock.now,
    });
    assert.deepEqual(
      result.events.map((e) => e.sessionName),
      ['s0', 's1', 's2', 's3', 's4'],
    );
    assert.deepEqual([result.pages, result.truncated, result.skipped], [3, false, 0]);
    assert.deepEqual(fake.inputs[0], {
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }],
      StartTime: from,
      EndTime: to,
      MaxResults: 2,
    });
    assert.deepEqual(
      fake.inputs.map((i) => i.NextToken),
      [undefined, '2', '4'],
    );
    assert.deepEqual(fake.sentAt, [0, lookupIntervalMs, 2 * lookupIntervalMs]);
    assert.ok(lookupIntervalMs >= 500, 'never more than two a second');
  });

  it('stops at the page cap and says the result is truncated', async () => {
    const fake = fakeCloudTrail(500, 50);
    const result = await lookupAssumeRoleEvents(fake.client, {
      from,
      to,
      maxPages: 3,
      sleep: fake.clock.sleep,
      now: fake.clock.now,
    });
    assert.deepEqual([result.events.length, result.pages, result.truncated], [150, 3, true]);
    assert.equal(fake.inputs[0]!.MaxResults, 50, 'LookupEvents pages hold at most 50');
  });
});
