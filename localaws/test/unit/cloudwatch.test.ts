// The CloudWatch handler called directly in both wire protocols: ListMetrics and
// GetMetricData on the demo world, paging, error shapes, authorization.

import assert from 'node:assert/strict';
import { cloudWatchJson, cloudWatchQuery, fakeContext, jsonBody, xmlBody } from '../../testing/cloudwatchKit';
import { createDemoServices } from '../../demo/services';
import type { ServiceHandler, ServiceResponse } from '../../server/types';

const start = Date.UTC(2025, 2, 10, 14, 7, 0);
const rdsCpu = {
  Namespace: 'AWS/RDS',
  MetricName: 'CPUUtilization',
  Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }],
};

async function call(
  handler: ServiceHandler,
  req: Parameters<ServiceHandler>[0],
  now = start,
): Promise<ServiceResponse> {
  return handler(req, fakeContext(now));
}

describe('local CloudWatch handler: ListMetrics', () => {
  const { handlers } = createDemoServices({ startTime: start });

  it('lists a namespace over JSON with dimensions', async () => {
    const res = await call(handlers.monitoring, cloudWatchJson('ListMetrics', { Namespace: 'AWS/RDS' }));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
    const out = jsonBody(res);
    assert.equal(out.Metrics.length, 12, '2 instances × 6 metrics');
    assert.ok(out.Metrics.every((m: { Namespace: string }) => m.Namespace === 'AWS/RDS'));
    assert.deepEqual(
      new Set(out.Metrics.map((m: { Dimensions: { Value: string }[] }) => m.Dimensions[0]!.Value)),
      new Set(['orders-db', 'users-db']),
    );
    assert.equal(out.NextToken, undefined);
  });

  it('answers the same over awsQuery, as XML with member lists', async () => {
    const res = await call(
      handlers.monitoring,
      cloudWatchQuery('ListMetrics', {
        Namespace: 'AWS/RDS',
        'Dimensions.member.1.Name': 'DBInstanceIdentifier',
        'Dimensions.member.1.Value': 'orders-db',
      }),
    );
    assert.equal(res.status, 200);
    const body = String(res.body);
    assert.match(
      body,
      /^<ListMetricsResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><ListMetricsResult>/,
    );
    const metrics = xmlBody(res).ListMetricsResponse.ListMetricsResult.Metrics.member;
    assert.equal(metrics.length, 6);
    assert.deepEqual(metrics[0].Dimensions.member, [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }]);
  });

  it('filters by dimension name alone and by metric name', async () => {
    const out = jsonBody(
      await call(
        handlers.monitoring,
        cloudWatchJson('ListMetrics', { MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId' }] }),
      ),
    );
    assert.deepEqual(out.Metrics.map((m: { Dimensions: { Value: string }[] }) => m.Dimensions[0]!.Value).sort(), [
      'i-0a1b2c3d4e5f60001',
      'i-0a1b2c3d4e5f60002',
      'i-0a1b2c3d4e5f60003',
    ]);
  });

  it('pages 500 metrics at a time and rejects a token from another request', async () => {
    const { handlers: h } = createDemoServices({ startTime: start, demo: false });
    for (let batch = 0; batch < 2; batch += 1) {
      const data = Array.from({ length: 600 }, (_, i) => ({
        MetricName: 'Load',
        Dimensions: [{ Name: 'Host', Value: `h${batch * 600 + i}` }],
        Value: i,
      }));
      assert.equal(
        (await call(h.monitoring, cloudWatchJson('PutMetricData', { Namespace: 'Bench', MetricData: data }))).status,
        200,
      );
    }
    const sizes: number[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const out = jsonBody(
        await call(h.monitoring, cloudWatchJson('ListMetrics', { Namespace: 'Bench', NextToken: token })),
      );
      sizes.push(out.Metrics.length);
      for (const m of out.Metrics) seen.add(m.Dimensions[0].Value);
      token = out.NextToken;
    } while (token);
    assert.deepEqual(sizes, [500, 500, 200]);
    assert.equal(seen.size, 1200);
    const first = jsonBody(await call(h.monitoring, cloudWatchJson('ListMetrics', { Namespace: 'Bench' })));
    const wrong = await call(
      h.monitoring,
      cloudWatchJson('ListMetrics', { Namespace: 'Other', NextToken: first.NextToken }),
    );
    assert.equal(wrong.status, 400);
    assert.equal(wrong.headers['x-amzn-query-error'], 'InvalidNextToken;Sender');
  });
});

describe('local CloudWatch handler: GetMetricData', () => {
  const { handlers } = createDemoServices({ startTime: start });
  const hourAgo = start - 3_600_000;

  it('returns epoch-second timestamps over JSON and ISO 8601 over awsQuery, with the same values', async () => {
    const json = jsonBody(
      await call(
        handlers.monitoring,
        cloudWatchJson('GetMetricData', {
          MetricDataQueries: [
            { Id: 'cpu', MetricStat: { Metric: rdsCpu, Period: 300, Stat: 'Average' }, Label: 'orders-db CPU' },
          ],
          StartTime: hourAgo / 1000,
          EndTime: start / 1000,
          ScanBy: 'TimestampAscending',
        }),
      ),
    );
    const r = json.MetricDataResults[0];
    assert.equal(r.Id, 'cpu');
    assert.equal(r.Label, 'orders-db CPU');
    assert.equal(r.StatusCode, 'Complete');
    assert.equal(
      r.Timestamps.length,
      13,
      '13:05 … 14:05: the first bucket starts before StartTime, the last is partial',
    );
    assert.equal(r.Timestamps[0], hourAgo / 1000 - ((hourAgo / 1000) % 300));
    assert.ok(r.Values.every((v: number) => typeof v === 'number' && v >= 0 && v <= 100));

    const xml = xmlBody(
      await call(
        handlers.monitoring,
        cloudWatchQuery('GetMetricData', {
          'MetricDataQueries.member.1.Id': 'cpu',
          'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'AWS/RDS',
          'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'CPUUtilization',
          'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'DBInstanceIdentifier',
          'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'orders-db',
          'MetricDataQueries.member.1.MetricStat.Period': '300',
          'MetricDataQueries.member.1.MetricStat.Stat': 'Average',
          StartTime: new Date(hourAgo).toISOString(),
          EndTime: new Date(start).toISOString(),
          ScanBy: 'TimestampAscending',
        }),
      ),
    );
    const x = xml.GetMetricDataResponse.GetMetricDataResult.MetricDataResults.member[0];
    assert.deepEqual(
      x.Timestamps.member,
      r.Timestamps.map((t: number) => new Date(t * 1000).toISOString()),
    );
    assert.deepEqual(x.Values.member.map(Number), r.Values);
  });

  it('pages points through MaxDatapoints and NextToken, and checks the token belongs to the request', async () => {
    const input = {
      MetricDataQueries: ['CPUUtilization', 'DatabaseConnections'].map((name, i) => ({
        Id: `m${i}`,
        MetricStat: { Metric: { ...rdsCpu, MetricName: name }, Period: 60, Stat: 'Maximum' },
      })),
      StartTime: hourAgo / 1000,
      EndTime: start / 1000,
      MaxDatapoints: 100,
    };
    const first = jsonBody(await call(handlers.monitoring, cloudWatchJson('GetMetricData', input)));
    assert.deepEqual(
      first.MetricDataResults.map((r: { Values: unknown[]; StatusCode: string }) => [r.Values.length, r.StatusCode]),
      [
        [60, 'Complete'],
        [40, 'PartialData'],
      ],
    );
    assert.ok(first.NextToken);
    const second = jsonBody(
      await call(handlers.monitoring, cloudWatchJson('GetMetricData', { ...input, NextToken: first.NextToken })),
    );
    assert.deepEqual(
      second.MetricDataResults.map((r: { Id: string; Values: unknown[]; StatusCode: string }) => [
        r.Id,
        r.Values.length,
        r.StatusCode,
      ]),
      [['m1', 20, 'Complete']],
    );
    assert.equal(second.NextToken, undefined);
    const wrong = await call(
      handlers.monitoring,
      cloudWatchJson('GetMetricData', { ...input, StartTime: hourAgo / 1000 - 60, NextToken: first.NextToken }),
    );
    assert.equal(jsonBody(wrong).__type, 'InvalidNextToken');
  });

  it('rejects more than 500 queries with ValidationError in both protocols', async () => {
    const queries = Array.from({ length: 501 }, (_, i) => ({
      Id: `q${i}`,
      MetricStat: { Metric: rdsCpu, Period: 60, Stat: 'Average' },
    }));
    const json = await call(
      handlers.monitoring,
      cloudWatchJson('GetMetricData', { MetricDataQueries: queries, StartTime: hourAgo / 1000, EndTime: start / 1000 }),
    );
    assert.equal(json.status, 400);
    assert.equal(json.headers['x-amzn-query-error'], 'ValidationError;Sender');
    assert.match(jsonBody(json).message, /less than or equal to 500/);
    const params: Record<string, string> = {
      StartTime: new Date(hourAgo).toISOString(),
      EndTime: new Date(start).toISOString(),
    };
    for (let i = 1; i <= 501; i += 1)
      Object.assign(params, {
        [`MetricDataQueries.member.${i}.Id`]: `q${i}`,
        [`MetricDataQueries.member.${i}.MetricStat.Metric.MetricName`]: 'CPUUtilization',
      });
    const xml = await call(handlers.monitoring, cloudWatchQuery('GetMetricData', params));
    assert.equal(xmlBody(xml).ErrorResponse.Error.Code, 'ValidationError');
  });

  it('rejects bad periods, statistics, ids and time ranges with specific messages', async () => {
    const ask = async (q: object, extra: object = {}): Promise<{ __type: string; message: string }> =>
      jsonBody(
        await call(
          handlers.monitoring,
          cloudWatchJson('GetMetricData', {
            MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: rdsCpu, Period: 60, Stat: 'Average' }, ...q }],
            StartTime: hourAgo / 1000,
            EndTime: start / 1000,
            ...extra,
          }),
        ),
      );
    assert.match(
      (await ask({ MetricStat: { Metric: rdsCpu, Period: 45, Stat: 'Average' } })).message,
      /multiple of 60/,
    );
    assert.match((await ask({ MetricStat: { Metric: rdsCpu, Period: 60, Stat: 'Median' } })).message, /percentile/);
    assert.equal((await ask({ Id: 'Upper' })).__type, 'InvalidParameterValue');
    assert.match((await ask({}, { StartTime: start / 1000 })).message, /StartTime must be less than/);
    assert.match(
      (await ask({ MetricStat: undefined, Expression: 'SUM(METRICS())' })).message,
      /Metric math is not supported/,
    );
  });

  it('answers 500 queries × 1,440 points quickly (budget: well under a second)', async () => {
    const names = ['CPUUtilization', 'DatabaseConnections', 'ReadLatency', 'WriteLatency', 'FreeableMemory'];
    const queries = Array.from({ length: 500 }, (_, i) => ({
      Id: `q${i}`,
      MetricStat: {
        Metric: { ...rdsCpu, MetricName: names[i % names.length]! },
        Period: 60,
        Stat: i % 4 === 0 ? 'p95' : 'Average',
      },
    }));
    const began = performance.now();
    const out = jsonBody(
      await call(
        handlers.monitoring,
        cloudWatchJson('GetMetricData', {
          MetricDataQueries: queries,
          StartTime: (start - 86_400_000) / 1000,
          EndTime: start / 1000,
        }),
      ),
    );
    const elapsed = performance.now() - began;
    assert.equal(out.MetricDataResults.length, 500);
    assert.equal(
      out.MetricDataResults.reduce((n: number, r: { Values: unknown[] }) => n + r.Values.length, 0),
      100_800,
      'first page holds MaxDatapoints points',
    );
    assert.ok(elapsed < 3000, `took ${elapsed.toFixed(0)} ms`);
  });
});

describe('local CloudWatch handler: protocol and authorization', () => {
  const { handlers } = createDemoServices({ startTime: start });

  it('authorizes cloudwatch:<Operation> before doing anything', async () => {
    const ctx = fakeContext(start);
    await handlers.monitoring(cloudWatchJson('DescribeAlarms', {}), ctx);
    assert.deepEqual(ctx.authorized, ['cloudwatch:DescribeAlarms *']);
  });

  it('renders a denial as AccessDenied in each protocol', async () => {
    const json = await handlers.monitoring(cloudWatchJson('ListMetrics', {}), fakeContext(start, /ListMetrics/));
    assert.equal(json.status, 403);
    assert.equal(json.headers['x-amzn-query-error'], 'AccessDenied;Sender');
    assert.match(jsonBody(json).message, /not authorized to perform: cloudwatch:ListMetrics/);
    const xml = await handlers.monitoring(cloudWatchQuery('ListMetrics', {}), fakeContext(start, /ListMetrics/));
    assert.equal(xmlBody(xml).ErrorResponse.Error.Code, 'AccessDenied');
  });

  it('names an unknown operation in the protocol’s own terms, without authorizing it', async () => {
    const ctx = fakeContext(start);
    const json = await handlers.monitoring(cloudWatchJson('DeleteEverything', {}), ctx);
    assert.equal(jsonBody(json).__type, 'UnknownOperationException');
    const xml = await handlers.monitoring(cloudWatchQuery('DeleteEverything', {}), ctx);
    assert.equal(xmlBody(xml).ErrorResponse.Error.Code, 'InvalidAction');
    assert.deepEqual(ctx.authorized, []);
  });

  it('rejects a body that is not JSON with SerializationException', async () => {
    const req = cloudWatchJson('ListMetrics', {});
    const res = await call(handlers.monitoring, { ...req, body: Buffer.from('{not json') });
    assert.equal(jsonBody(res).__type, 'SerializationException');
  });
});
