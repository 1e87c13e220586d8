// The CloudWatch handler's PutMetricData (stored points served back by ListMetrics and
// GetMetricData) and DescribeAlarms (filters, paging, both protocols).

import assert from 'node:assert/strict';
import { cloudWatchJson, cloudWatchQuery, fakeContext, jsonBody, xmlBody } from '../../testing/cloudwatchKit';
import { createDemoServices } from '../../demo/services';

const now = Date.UTC(2025, 5, 2, 9, 30, 0);
const minute = 60_000;

describe('local CloudWatch handler: PutMetricData', () => {
  const { handlers } = createDemoServices({ startTime: now, demo: false });
  const put = (input: object) => handlers.monitoring(cloudWatchJson('PutMetricData', input), fakeContext(now));
  const read = async (metricName: string, stat: string, unit?: string): Promise<number[]> =>
    jsonBody(
      await handlers.monitoring(
        cloudWatchJson('GetMetricData', {
          MetricDataQueries: [
            {
              Id: 'a',
              MetricStat: {
                Metric: { Namespace: 'App', MetricName: metricName, Dimensions: [{ Name: 'Service', Value: 'api' }] },
                Period: 300,
                Stat: stat,
                Unit: unit,
              },
            },
          ],
          StartTime: (now - 3_600_000) / 1000,
          EndTime: now / 1000,
          ScanBy: 'TimestampAscending',
        }),
        fakeContext(now),
      ),
    ).MetricDataResults[0].Values;

  it('stores Value, Values with Counts and StatisticValues and serves them back', async () => {
    const t = (now - 10 * minute) / 1000;
    const dims = [{ Name: 'Service', Value: 'api' }];
    const res = await put({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'Latency', Dimensions: dims, Timestamp: t, Value: 100, Unit: 'Milliseconds' },
        {
          MetricName: 'Latency',
          Dimensions: dims,
          Timestamp: t + 30,
          Values: [10, 1000],
          Counts: [3, 1],
          Unit: 'Milliseconds',
        },
        {
          MetricName: 'Requests',
          Dimensions: dims,
          Timestamp: t,
          StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 15 },
        },
      ],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(jsonBody(res), {});
    assert.deepEqual(await read('Latency', 'SampleCount'), [5]);
    assert.deepEqual(await read('Latency', 'Sum'), [1130]);
    assert.deepEqual(await read('Latency', 'p50'), [10]);
    assert.deepEqual(await read('Latency', 'Maximum', 'Milliseconds'), [1000]);
    assert.deepEqual(await read('Latency', 'Maximum', 'Seconds'), [], 'a Unit filter only sees data in that unit');
    assert.deepEqual(await read('Requests', 'Average'), [10]);
    assert.deepEqual(await read('Requests', 'p50'), [], 'no percentiles from a statistic set with a spread');
    const listed = jsonBody(
      await handlers.monitoring(cloudWatchJson('ListMetrics', { Namespace: 'App' }), fakeContext(now)),
    );
    assert.deepEqual(listed.Metrics.map((m: { MetricName: string }) => m.MetricName).sort(), ['Latency', 'Requests']);
  });

  it('accepts the awsQuery form the AWS CLI sends', async () => {
    const res = await handlers.monitoring(
      cloudWatchQuery('PutMetricData', {
        Namespace: 'App',
        'MetricData.member.1.MetricName': 'Queue',
        'MetricData.member.1.Dimensions.member.1.Name': 'Service',
        'MetricData.member.1.Dimensions.member.1.Value': 'api',
        'MetricData.member.1.Value': '7',
        'MetricData.member.1.Timestamp': new Date(now - 5 * minute).toISOString(),
      }),
      fakeContext(now),
    );
    assert.equal(res.status, 200);
    assert.match(String(res.body), /<PutMetricDataResponse/);
    assert.deepEqual(await read('Queue', 'Sum'), [7]);
  });

  it('rejects what AWS rejects, storing nothing from a failed batch', async () => {
    const code = async (input: object): Promise<string> => jsonBody(await put(input)).__type;
    const ok = { MetricName: 'Partial', Dimensions: [{ Name: 'Service', Value: 'api' }], Value: 1 };
    assert.equal(await code({ Namespace: 'AWS/EC2', MetricData: [ok] }), 'InvalidParameterValue');
    assert.equal(
      await code({
        Namespace: 'App',
        MetricData: [
          ok,
          { MetricName: 'X', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } },
        ],
      }),
      'InvalidParameterCombination',
    );
    assert.equal(
      await code({ Namespace: 'App', MetricData: [ok, { MetricName: 'X', Values: [1, 2], Counts: [1] }] }),
      'InvalidParameterValue',
    );
    assert.equal(
      await code({
        Namespace: 'App',
        MetricData: [ok, { MetricName: 'X', Value: 1, Timestamp: (now - 15 * 86_400_000) / 1000 }],
      }),
      'InvalidParameterValue',
    );
    assert.equal(
      await code({ Namespace: 'App', MetricData: [ok, { MetricName: 'X', Value: 1, Unit: 'Parsecs' }] }),
      'InvalidParameterValue',
    );
    assert.equal(
      await code({ Namespace: 'App', MetricData: Array.from({ length: 1001 }, () => ok) }),
      'ValidationError',
    );
    assert.deepEqual(await read('Partial', 'Sum'), []);
  });
});

describe('local CloudWatch handler: DescribeAlarms', () => {
  const { handlers } = createDemoServices({ startTime: now });
  const describe_ = async (input: object) =>
    jsonBody(await handlers.monitoring(cloudWatchJson('DescribeAlarms', input), fakeContext(now)));

  it('returns metric alarms sorted by name with their configuration and state', async () => {
    const out = await describe_({});
    const names = out.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName);
    assert.deepEqual(names, [...names].sort());
    const cpu = out.MetricAlarms.find((a: { AlarmName: string }) => a.AlarmName === 'orders-db-cpu-high');
    assert.equal(cpu.AlarmArn, 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:orders-db-cpu-high');
    assert.equal(cpu.Namespace, 'AWS/RDS');
    assert.deepEqual(cpu.Dimensions, [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }]);
    assert.equal(cpu.Threshold, 80);
    assert.equal(cpu.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(cpu.Statistic, 'Average');
    assert.equal(cpu.StateValue, 'ALARM');
    assert.match(cpu.StateReason, /^Threshold Crossed: \d+ out of the last 36 datapoints \[/);
    assert.equal(typeof cpu.StateUpdatedTimestamp, 'number');
    const p95 = out.MetricAlarms.find((a: { AlarmName: string }) => a.AlarmName === 'image-resizer-duration-p95');
    assert.equal(p95.ExtendedStatistic, 'p95');
    assert.equal(p95.Statistic, undefined);
    assert.deepEqual(out.CompositeAlarms, []);
  });

  it('filters by state, names and prefix', async () => {
    const alarming = await describe_({ StateValue: 'ALARM' });
    assert.ok(alarming.MetricAlarms.length >= 1);
    assert.ok(alarming.MetricAlarms.every((a: { StateValue: string }) => a.StateValue === 'ALARM'));
    const byName = await describe_({ AlarmNames: ['legacy-batch-cpu', 'no-such-alarm'] });
    assert.deepEqual(
      byName.MetricAlarms.map((a: { StateValue: string }) => a.StateValue),
      ['INSUFFICIENT_DATA'],
    );
    const prefixed = await describe_({ AlarmNamePrefix: 'orders-' });
    assert.ok(
      prefixed.MetricAlarms.length >= 3 &&
        prefixed.MetricAlarms.every((a: { AlarmName: string }) => a.AlarmName.startsWith('orders-')),
    );
    const both = await describe_({ AlarmNames: ['x'], AlarmNamePrefix: 'o' });
    assert.equal(both.__type, 'InvalidParameterCombination');
    assert.deepEqual((await describe_({ AlarmTypes: ['CompositeAlarm'] })).MetricAlarms, []);
  });

  it('pages with MaxRecords', async () => {
    const all = (await describe_({})).MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await describe_({ MaxRecords: 4, NextToken: token });
      assert.ok(out.MetricAlarms.length <= 4);
      seen.push(...out.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName));
      token = out.NextToken;
    } while (token);
    assert.deepEqual(seen, all);
    assert.equal((await describe_({ MaxRecords: 101 })).__type, 'InvalidParameterValue');
  });

  it('serves the CLI’s awsQuery form with ISO timestamps', async () => {
    const res = await handlers.monitoring(
      cloudWatchQuery('DescribeAlarms', { 'AlarmNames.member.1': 'orders-db-cpu-high' }),
      fakeContext(now),
    );
    const alarm = xmlBody(res).DescribeAlarmsResponse.DescribeAlarmsResult.MetricAlarms.member[0];
    assert.equal(alarm.StateValue, 'ALARM');
    assert.match(alarm.StateUpdatedTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(alarm.AlarmActions.member, ['arn:aws:sns:us-east-1:111122223333:ops-alerts']);
  });
});
