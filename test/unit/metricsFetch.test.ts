import * as assert from 'node:assert/strict';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { InfraWatchError } from '../../src/core/errors';
import { fetchMetricData, getCallCount } from '../../src/core/metrics/fetchMetrics';

const minute = 60_000;
const start = Date.UTC(2026, 5, 15, 9, 0, 0);
const end = start + 60 * minute;
const client = new CloudWatchClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
});
// Mocked per suite: two live mocks of one client class (another test file) interfere.
let cw: ReturnType<typeof mockClient>;

function queries(n: number, period = 60): MetricDataQuery[] {
  return Array.from({ length: n }, (_, i) => ({
    Id: `m${i}`,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: `i-${i}` }],
      },
      Period: period,
      Stat: 'Average',
    },
  }));
}

/** Answers every query with one point per minute valued by its index. */
function answerAll(input: GetMetricDataCommandInput) {
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
      Id: q.Id,
      StatusCode: 'Complete' as const,
      Timestamps: [new Date(start)],
      Values: [Number(q.Id?.slice(1))],
    })),
  };
}

describe('metrics fetch', () => {
  before(() => {
    cw = mockClient(CloudWatchClient);
  });
  after(() => cw.restore());
  afterEach(() => cw.reset());

  for (const [n, calls] of [
    [10, 1],
    [500, 1],
    [1_200, 3],
  ] as const) {
    it(`fetches ${n} metrics in ${calls} call(s) of at most 500 queries`, async () => {
      cw.on(GetMetricDataCommand).callsFake(answerAll);
      const result = await fetchMetricData(client, queries(n), { startMs: start, endMs: end });
      const sent = cw.commandCalls(GetMetricDataCommand);
      assert.equal(sent.length, calls);
      assert.equal(getCallCount(n), calls);
      assert.ok(sent.every((c) => (c.args[0].input.MetricDataQueries?.length ?? 0) <= 500));
      assert.equal(
        sent.reduce((sum, c) => sum + (c.args[0].input.MetricDataQueries?.length ?? 0), 0),
        n,
      );
      assert.ok(
        sent.every((c) => c.args[0].input.MaxDatapoints === 100_800 && c.args[0].input.ScanBy === 'TimestampAscending'),
      );
      assert.equal(result.size, n);
      assert.equal(result.get(`m${n - 1}`)?.values[0], n - 1);
    });
  }

  it('follows NextToken, merges pages per id, and leaves missing points as gaps', async () => {
    const at = (m: number) => new Date(start + m * minute);
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'm0', StatusCode: 'PartialData', Timestamps: [at(0), at(1)], Values: [1, 2] },
          { Id: 'm1', StatusCode: 'PartialData', Timestamps: [], Values: [] },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          // A later page may come newest-first (ScanBy ignored): the grid orders it anyway.
          { Id: 'm0', StatusCode: 'Complete', Timestamps: [at(5), at(3)], Values: [0, 4] },
          { Id: 'm1', StatusCode: 'Complete', Timestamps: [at(59)], Values: [7] },
        ],
      });
    const result = await fetchMetricData(client, queries(2), { startMs: start, endMs: end });
    const sent = cw.commandCalls(GetMetricDataCommand);
    assert.equal(sent.length, 2);
    assert.equal(sent[1]?.args[0].input.NextToken, 'page-2');
    const m0 = result.get('m0')!;
    assert.equal(m0.timestamps.length, 60);
    assert.deepEqual(m0.values.slice(0, 7), [1, 2, null, 4, null, 0, null]);
    assert.equal(m0.status, 'Complete');
    assert.ok(m0.timestamps.every((t, i) => i === 0 || t > m0.timestamps[i - 1]!));
    const m1 = result.get('m1')!;
    assert.equal(m1.values.filter((v) => v !== null).length, 1);
    assert.equal(m1.values[59], 7);
  });

  it('aligns the start to the period so buckets line up', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'm0', Timestamps: [new Date(start)], Values: [3] }],
    });
    const result = await fetchMetricData(client, queries(1, 300), { startMs: start + 2 * minute, endMs: end });
    assert.equal(cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input.StartTime?.getTime(), start);
    assert.equal(result.get('m0')?.timestamps[0], start);
    assert.equal(result.get('m0')?.values[0], 3);
    assert.equal(result.get('m0')?.values.length, 12);
  });

  it('maps AWS errors to InfraWatchError', async () => {
    cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    await assert.rejects(
      fetchMetricData(client, queries(1), { startMs: start, endMs: end }),
      (e: unknown) => e instanceof InfraWatchError && e.code === 'AccessDenied',
    );
  });
});
