// The local endpoint's demo data: resources for all nine catalog services, the incident
// 90 minutes before start (whatever the time of day), alarm states, logs, determinism.

import assert from 'node:assert/strict';
import { evaluateAlarm, type AlarmStateValue } from '../../cloudwatch/alarms';
import { cloudWatchJson, fakeContext, jsonBody, logsJson } from '../../testing/cloudwatchKit';
import { createWorld, type World } from '../../demo/world';
import { createDemoServices } from '../../demo/services';
import { computeSeries } from '../../cloudwatch/metricsQuery';
import { parseStatistic } from '../../cloudwatch/metricsStats';
import type { Dimension } from '../../cloudwatch/metricsStore';
import { catalog, serviceIds } from '../../../src/core/catalog';

const minute = 60_000;
// Starts at different times of day, so the incident falls on busy and quiet traffic alike.
const starts = [
  Date.UTC(2025, 10, 24, 0, 0),
  Date.UTC(2025, 10, 24, 3, 41),
  Date.UTC(2025, 10, 25, 10, 17),
  Date.UTC(2025, 10, 26, 15, 0),
  Date.UTC(2025, 10, 27, 23, 59),
];
const world = (start: number): World =>
  createWorld({ startTime: start, accountId: '111122223333', region: 'us-east-1' });

/** Per-minute values of one series between two offsets (minutes relative to start). */
function minutes(
  w: World,
  namespace: string,
  metricName: string,
  dimensions: Dimension[],
  stat: string,
  from: number,
  to: number,
  now = w.startTime,
): number[] {
  return computeSeries(
    w.metrics,
    {
      id: 'q',
      metric: { namespace, metricName, dimensions },
      period: 60,
      stat: parseStatistic(stat)!,
      returnData: true,
    },
    w.startTime + from * minute,
    w.startTime + to * minute,
    now,
    'TimestampAscending',
  ).values;
}
const max = (xs: number[]): number => Math.max(...xs);
const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const db = [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }];

describe('local demo data: resources', () => {
  const { handlers } = createDemoServices({ startTime: starts[2] });

  it('lists resources with every catalog metric for all nine services', async () => {
    for (const id of serviceIds) {
      const spec = catalog[id];
      const out = jsonBody(
        await handlers.monitoring(
          cloudWatchJson('ListMetrics', { Namespace: spec.namespace }),
          fakeContext(starts[2]!),
        ),
      );
      const byResource = new Map<string, Set<string>>();
      for (const m of out.Metrics as { MetricName: string; Dimensions: Dimension[] }[]) {
        const key = spec.resourceDimensions.map((d) => m.Dimensions.find((x) => x.Name === d)?.Value).join('/');
        assert.ok(!key.includes('undefined'), `${id}: ${m.MetricName} lacks a resource dimension`);
        byResource.set(key, (byResource.get(key) ?? new Set()).add(m.MetricName));
      }
      assert.ok(byResource.size >= 1, `${id} has resources`);
      for (const [resource, names] of byResource)
        assert.deepEqual([...names].sort(), spec.metrics.map((m) => m.name).sort(), `${id} ${resource}`);
    }
  });

  it('names the resources of the brief', async () => {
    const values = async (namespace: string): Promise<string[]> =>
      [
        ...new Set(
          jsonBody(
            await handlers.monitoring(cloudWatchJson('ListMetrics', { Namespace: namespace }), fakeContext(starts[2]!)),
          ).Metrics.flatMap((m: { Dimensions: Dimension[] }) => m.Dimensions.map((d) => d.Value)) as string[],
        ),
      ].sort();
    assert.deepEqual(await values('AWS/RDS'), ['orders-db', 'users-db']);
    assert.deepEqual(await values('AWS/Lambda'), ['checkout-handler', 'image-resizer', 'nightly-report']);
    assert.deepEqual(await values('AWS/ECS'), ['prod', 'web', 'worker']);
    assert.deepEqual(await values('AWS/ApplicationELB'), ['app/prod-web/50dc6c495c0c9188']);
    assert.deepEqual(await values('AWS/ApiGateway'), ['orders-api', 'prod']);
    assert.ok((await values('AWS/S3')).includes('StandardStorage'));
  });

  it('keeps the demo in its region: another region starts empty', async () => {
    const ctx = { ...fakeContext(starts[2]!), region: 'eu-west-1' };
    assert.deepEqual(jsonBody(await handlers.monitoring(cloudWatchJson('ListMetrics', {}), ctx)).Metrics, []);
    assert.deepEqual(jsonBody(await handlers.logs(logsJson('DescribeLogGroups', {}), ctx)).logGroups, []);
  });
});

describe('local demo data: the incident', () => {
  for (const start of starts) {
    it(`puts it 90 to 55 minutes before a start at ${new Date(start).toISOString().slice(0, 16)}`, () => {
      const w = world(start);
      const cpuDuring = minutes(w, 'AWS/RDS', 'CPUUtilization', db, 'Average', -87, -56);
      assert.ok(cpuDuring.length === 31 && cpuDuring.every((v) => v > 85), `orders-db CPU during: ${max(cpuDuring)}`);
      assert.ok(max(minutes(w, 'AWS/RDS', 'CPUUtilization', db, 'Average', -150, -91)) < 50, 'calm before');
      assert.ok(max(minutes(w, 'AWS/RDS', 'CPUUtilization', db, 'Average', -45, 0)) < 50, 'calm after');
      assert.ok(avg(minutes(w, 'AWS/RDS', 'DatabaseConnections', db, 'Maximum', -85, -60)) > 400);
      assert.ok(
        avg(minutes(w, 'AWS/RDS', 'ReadLatency', db, 'Average', -85, -60)) >
          10 * avg(minutes(w, 'AWS/RDS', 'ReadLatency', db, 'Average', -300, -120)),
      );
      const fn = [{ Name: 'FunctionName', Value: 'checkout-handler' }];
      assert.ok(avg(minutes(w, 'AWS/Lambda', 'Errors', fn, 'Sum', -85, -60)) > 20);
      assert.ok(avg(minutes(w, 'AWS/Lambda', 'Errors', fn, 'Sum', -300, -120)) < 1);
      assert.ok(avg(minutes(w, 'AWS/Lambda', 'Duration', fn, 'p95', -85, -60)) > 3000);
      const lb = [{ Name: 'LoadBalancer', Value: 'app/prod-web/50dc6c495c0c9188' }];
      assert.ok(avg(minutes(w, 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', lb, 'Sum', -85, -60)) > 100);
      const queue = minutes(
        w,
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        [{ Name: 'QueueName', Value: 'orders-queue' }],
        'Maximum',
        -90,
        -50,
      );
      assert.ok(queue[30]! > queue[10]! && max(queue) > 3000, 'the backlog grows during the incident');
    });
  }

  it('keeps following the model when the clock moves on', () => {
    const w = world(starts[1]!);
    const later = starts[1]! + 2 * 86_400_000;
    const after = minutes(w, 'AWS/RDS', 'CPUUtilization', db, 'Average', 2 * 1440 - 60, 2 * 1440, later);
    assert.equal(after.length, 60);
    assert.ok(after.every((v) => v > 0 && v < 60));
    assert.deepEqual(minutes(w, 'AWS/RDS', 'CPUUtilization', db, 'Average', 1, 10), [], 'nothing after the clock');
  });

  it('is deterministic, and has no data before the seven days of history', () => {
    const a = minutes(
      world(starts[0]!),
      'AWS/EC2',
      'CPUUtilization',
      [{ Name: 'InstanceId', Value: 'i-0a1b2c3d4e5f60001' }],
      'Average',
      -600,
      0,
    );
    const b = minutes(
      world(starts[0]!),
      'AWS/EC2',
      'CPUUtilization',
      [{ Name: 'InstanceId', Value: 'i-0a1b2c3d4e5f60001' }],
      'Average',
      -600,
      0,
    );
    assert.deepEqual(a, b);
    assert.equal(
      minutes(
        world(starts[0]!),
        'AWS/EC2',
        'CPUUtilization',
        [{ Name: 'InstanceId', Value: 'i-0a1b2c3d4e5f60001' }],
        'Average',
        -7 * 1440 - 30,
        -7 * 1440 + 30,
      ).length,
      30,
    );
  });

  it('publishes S3 storage once a day and the nightly job only at night', () => {
    const w = world(starts[2]!);
    const s3 = computeSeries(
      w.metrics,
      {
        id: 'q',
        metric: {
          namespace: 'AWS/S3',
          metricName: 'BucketSizeBytes',
          dimensions: [
            { Name: 'BucketName', Value: 'demo-web-assets' },
            { Name: 'StorageType', Value: 'StandardStorage' },
          ],
        },
        period: 86_400,
        stat: parseStatistic('Average')!,
        returnData: true,
      },
      w.startTime - 7 * 86_400_000,
      w.startTime,
      w.startTime,
      'TimestampAscending',
    );
    assert.equal(s3.values.length, 7);
    assert.ok(s3.values[6]! > s3.values[0]!, 'buckets grow');
    const nightly = minutes(
      w,
      'AWS/Lambda',
      'Invocations',
      [{ Name: 'FunctionName', Value: 'nightly-report' }],
      'Sum',
      -1440,
      0,
    );
    assert.equal(nightly.length, 10);
  });
});

describe('local demo data: alarms', () => {
  for (const start of starts) {
    it(`has OK, ALARM and INSUFFICIENT_DATA alarms at a start at ${new Date(start).toISOString().slice(11, 16)}`, () => {
      const w = world(start);
      const states = new Map<string, AlarmStateValue>(
        w.alarms.map((a) => [a.name, evaluateAlarm(w.metrics, a, start).value]),
      );
      assert.ok(w.alarms.length >= 6);
      assert.ok(new Set(w.alarms.map((a) => a.namespace)).size >= 5);
      assert.equal(states.get('orders-db-cpu-high'), 'ALARM');
      assert.equal(states.get('legacy-batch-cpu'), 'INSUFFICIENT_DATA');
      const others = [...states].filter(([name]) => name !== 'orders-db-cpu-high' && name !== 'legacy-batch-cpu');
      assert.deepEqual(
        others.filter(([, s]) => s !== 'OK'),
        [],
        'every other alarm is OK',
      );
    });
  }

  it('dates the ALARM to the incident and clears it a few hours later', () => {
    const start = starts[3]!;
    const w = world(start);
    const cpu = w.alarms.find((a) => a.name === 'orders-db-cpu-high')!;
    const state = evaluateAlarm(w.metrics, cpu, start);
    assert.ok(
      state.updatedAt >= start - 90 * minute && state.updatedAt <= start - 70 * minute,
      new Date(state.updatedAt).toISOString(),
    );
    assert.match(state.reason, /were greater than the threshold \(80\.0\)/);
    const later = evaluateAlarm(w.metrics, cpu, start + 4 * 3_600_000);
    assert.equal(later.value, 'OK');
    assert.ok(later.updatedAt > start && later.updatedAt < start + 3 * 3_600_000);
  });
});

describe('local demo data: logs', () => {
  const start = starts[2]!;
  const { handlers } = createDemoServices({ startTime: start });
  const filter = async (input: object) =>
    jsonBody(await handlers.logs(logsJson('FilterLogEvents', input), fakeContext(start))).events as {
      message: string;
      timestamp: number;
      logStreamName: string;
    }[];

  it('has a log group per catalog logGroupPattern resource', async () => {
    const groups = jsonBody(await handlers.logs(logsJson('DescribeLogGroups', {}), fakeContext(start))).logGroups.map(
      (g: { logGroupName: string }) => g.logGroupName,
    );
    for (const name of [
      '/aws/lambda/checkout-handler',
      '/aws/rds/instance/orders-db/postgresql',
      '/ec2/i-0a1b2c3d4e5f60001',
      '/ecs/prod',
      'API-Gateway-Execution-Logs_orders-api',
    ]) {
      assert.ok(groups.includes(name), name);
    }
  });

  it('logs JSON ERROR lines only during the incident and INFO lines all week', async () => {
    const errors = await filter({
      logGroupName: '/aws/lambda/checkout-handler',
      filterPattern: '{ $.level = "ERROR" }',
    });
    assert.ok(errors.length >= 30);
    for (const e of errors) {
      assert.ok(
        e.timestamp >= start - 90 * minute && e.timestamp < start - 55 * minute,
        new Date(e.timestamp).toISOString(),
      );
      assert.equal(JSON.parse(e.message).db, 'orders-db');
    }
    const info = await filter({ logGroupName: '/aws/lambda/checkout-handler', filterPattern: '{ $.level = "INFO" }' });
    assert.ok(info.length > 500 && info[0]!.timestamp < start - 6 * 86_400_000, 'a week of INFO lines');
    assert.ok(new Set(info.map((e) => e.logStreamName)).size >= 3, 'several streams');
    const fatal = await filter({ logGroupName: '/aws/rds/instance/orders-db/postgresql', filterPattern: 'FATAL' });
    assert.ok(
      fatal.length > 10 && fatal.every((e) => e.timestamp >= start - 90 * minute && e.timestamp < start - 55 * minute),
    );
  });

  it('starts fast', async () => {
    const began = performance.now();
    const fresh = createDemoServices({ startTime: start });
    await fresh.handlers.monitoring(cloudWatchJson('ListMetrics', { Namespace: 'AWS/RDS' }), fakeContext(start));
    await fresh.handlers.logs(logsJson('DescribeLogGroups', {}), fakeContext(start));
    const elapsed = performance.now() - began;
    assert.ok(elapsed < 300, `took ${elapsed.toFixed(0)} ms`);
  });
});
