// CloudWatch on the local endpoint over HTTP, with the REAL clients: SDK v3
// (awsJson1_0, query-compatible; gzip for large PutMetricData) and Debian's AWS CLI 2.9
// (awsQuery). The demo is anchored to the server's start, so the incident is where the
// tests expect it.

import assert from 'node:assert/strict';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  paginateGetMetricData,
  paginateListMetrics,
} from '@aws-sdk/client-cloudwatch';
import { startLocalAws, type LocalAws } from '../../server/server';
import { cliErrorCode, cloudWatchClient, credentialsOf, runAwsCli } from '../../testing/clients';

const minute = 60_000;
const ordersDbCpu = {
  Namespace: 'AWS/RDS',
  MetricName: 'CPUUtilization',
  Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }],
};

describe('local AWS endpoint: CloudWatch with SDK v3 and the AWS CLI', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let start: number;

  before(async () => {
    start = Date.now();
    // The endpoint's default CloudWatch and Logs handlers anchor the demo to its clock's start.
    aws = await startLocalAws({ startTime: start });
  });
  after(async () => aws.close());

  const client = () => cloudWatchClient(aws, credentialsOf(aws, 'employee'));

  it('SDK: ListMetrics finds the demo resources of a namespace', async () => {
    const out = await client().send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors' }));
    assert.deepEqual(out.Metrics?.map((m) => m.Dimensions?.[0]?.Value).sort(), [
      'checkout-handler',
      'image-resizer',
      'nightly-report',
    ]);
  });

  it('SDK: GetMetricData shows the incident 90 minutes before start, timestamps as Dates', async () => {
    const out = await client().send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { Id: 'cpu', MetricStat: { Metric: ordersDbCpu, Period: 300, Stat: 'Average' } },
          {
            Id: 'p95',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Lambda',
                MetricName: 'Duration',
                Dimensions: [{ Name: 'FunctionName', Value: 'checkout-handler' }],
              },
              Period: 300,
              Stat: 'p95',
            },
          },
        ],
        StartTime: new Date(start - 3 * 3_600_000),
        EndTime: new Date(start),
        ScanBy: 'TimestampAscending',
      }),
    );
    const cpu = out.MetricDataResults?.find((r) => r.Id === 'cpu');
    assert.equal(cpu?.StatusCode, 'Complete');
    assert.ok(cpu?.Timestamps?.[0] instanceof Date);
    const during = cpu!.Values!.filter((_, i) => {
      const t = cpu!.Timestamps![i]!.getTime();
      return t >= start - 85 * minute && t < start - 60 * minute;
    });
    assert.ok(during.length >= 4 && during.every((v) => v > 85), `CPU during the incident: ${during.join(', ')}`);
    assert.ok(cpu!.Values![0]! < 60, 'calm three hours before');
    assert.ok(Math.max(...out.MetricDataResults!.find((r) => r.Id === 'p95')!.Values!) > 3000);
  });

  it('SDK: pages GetMetricData through MaxDatapoints with the paginator', async () => {
    const pages = paginateGetMetricData(
      { client: client() },
      {
        MetricDataQueries: [{ Id: 'cpu', MetricStat: { Metric: ordersDbCpu, Period: 60, Stat: 'Maximum' } }],
        StartTime: new Date(start - 6 * 3_600_000),
        EndTime: new Date(start),
        MaxDatapoints: 100,
      },
    );
    let points = 0;
    let count = 0;
    for await (const page of pages) {
      count += 1;
      points += page.MetricDataResults?.reduce((n, r) => n + (r.Values?.length ?? 0), 0) ?? 0;
    }
    assert.ok(points >= 360 && points <= 361, `${points} points`);
    assert.equal(count, Math.ceil(points / 100));
  });

  it('SDK: PutMetricData (1,000 datums, sent gzipped) is listed and read back', async () => {
    const at = new Date(start - 2 * minute);
    const data = Array.from({ length: 1000 }, (_, i) => ({
      MetricName: 'QueueDepth',
      Dimensions: [{ Name: 'Worker', Value: `w${i}` }],
      Value: i,
      Timestamp: at,
      Unit: 'Count' as const,
    }));
    const sender = client();
    const encodings: string[] = [];
    sender.middlewareStack.add(
      (next) => async (args) => {
        encodings.push(String((args.request as { headers?: Record<string, string> }).headers?.['content-encoding']));
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    await sender.send(new PutMetricDataCommand({ Namespace: 'InfraWatch/Test', MetricData: data }));
    assert.deepEqual(encodings, ['gzip'], 'the SDK compressed the body and the endpoint took it');
    const names = new Set<string>();
    for await (const page of paginateListMetrics({ client: client() }, { Namespace: 'InfraWatch/Test' })) {
      for (const m of page.Metrics ?? []) names.add(m.Dimensions![0]!.Value!);
    }
    assert.equal(names.size, 1000);
    const out = await client().send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: 'w',
            MetricStat: {
              Metric: {
                Namespace: 'InfraWatch/Test',
                MetricName: 'QueueDepth',
                Dimensions: [{ Name: 'Worker', Value: 'w742' }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
        StartTime: new Date(start - 10 * minute),
        EndTime: new Date(start + minute),
      }),
    );
    assert.deepEqual(out.MetricDataResults?.[0]?.Values, [742]);
  });

  it('SDK: DescribeAlarms reports the incident alarm in ALARM', async () => {
    const out = await client().send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    const names = out.MetricAlarms?.map((a) => a.AlarmName) ?? [];
    assert.ok(names.includes('orders-db-cpu-high'), names.join(', '));
    const alarm = out.MetricAlarms!.find((a) => a.AlarmName === 'orders-db-cpu-high')!;
    assert.ok(alarm.StateUpdatedTimestamp instanceof Date);
    assert.equal(alarm.Threshold, 80);
    const all = await client().send(new DescribeAlarmsCommand({}));
    assert.deepEqual(
      new Set(all.MetricAlarms?.map((a) => a.StateValue)),
      new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
    );
  });

  it('SDK: errors carry the query-compatible code', async () => {
    const queries = Array.from({ length: 501 }, (_, i) => ({
      Id: `q${i}`,
      MetricStat: { Metric: ordersDbCpu, Period: 60, Stat: 'Average' },
    }));
    await assert.rejects(
      client().send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(start - 3_600_000),
          EndTime: new Date(start),
        }),
      ),
      (e: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.Code ?? e.name, 'ValidationError');
        assert.match(e.message, /less than or equal to 500/);
        return true;
      },
    );
    await assert.rejects(
      client().send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'b' })),
      (e: Error & { Code?: string }) => (e.Code ?? e.name).startsWith('InvalidParameterCombination'),
    );
  });

  it('CLI (awsQuery): list-metrics and describe-alarms', async () => {
    const list = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      'cloudwatch',
      'list-metrics',
      '--namespace',
      'AWS/RDS',
      '--region',
      'us-east-1',
    ]);
    assert.equal(list.code, 0, list.stderr);
    const metrics = JSON.parse(list.stdout).Metrics as { MetricName: string; Dimensions: { Value: string }[] }[];
    assert.equal(metrics.length, 12);
    assert.ok(metrics.some((m) => m.MetricName === 'DatabaseConnections' && m.Dimensions[0]!.Value === 'orders-db'));
    const alarms = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      'cloudwatch',
      'describe-alarms',
      '--alarm-names',
      'orders-db-cpu-high',
      'legacy-batch-cpu',
      '--region',
      'us-east-1',
    ]);
    assert.equal(alarms.code, 0, alarms.stderr);
    const states = Object.fromEntries(
      (JSON.parse(alarms.stdout).MetricAlarms as { AlarmName: string; StateValue: string }[]).map((a) => [
        a.AlarmName,
        a.StateValue,
      ]),
    );
    assert.deepEqual(states, { 'legacy-batch-cpu': 'INSUFFICIENT_DATA', 'orders-db-cpu-high': 'ALARM' });
  });

  it('CLI (awsQuery): get-metric-data and put-metric-data round trip', async () => {
    const creds = credentialsOf(aws, 'manager');
    const put = await runAwsCli(aws, creds, [
      'cloudwatch',
      'put-metric-data',
      '--namespace',
      'InfraWatch/Cli',
      '--metric-name',
      'Deploys',
      '--value',
      '3',
      '--dimensions',
      'App=web',
      '--region',
      'us-east-1',
    ]);
    assert.equal(put.code, 0, put.stderr);
    const queries = JSON.stringify([
      {
        Id: 'deploys',
        MetricStat: {
          Metric: { Namespace: 'InfraWatch/Cli', MetricName: 'Deploys', Dimensions: [{ Name: 'App', Value: 'web' }] },
          Period: 60,
          Stat: 'Sum',
        },
      },
      { Id: 'cpu', MetricStat: { Metric: ordersDbCpu, Period: 300, Stat: 'Maximum' } },
    ]);
    const got = await runAwsCli(aws, creds, [
      'cloudwatch',
      'get-metric-data',
      '--metric-data-queries',
      queries,
      '--start-time',
      new Date(start - 2 * 3_600_000).toISOString(),
      '--end-time',
      new Date(aws.clock.now() + minute).toISOString(),
      '--region',
      'us-east-1',
    ]);
    assert.equal(got.code, 0, got.stderr);
    const results = JSON.parse(got.stdout).MetricDataResults as {
      Id: string;
      Values: number[];
      Timestamps: string[];
    }[];
    assert.deepEqual(results.find((r) => r.Id === 'deploys')?.Values, [3]);
    const cpu = results.find((r) => r.Id === 'cpu')!;
    assert.ok(Math.max(...cpu.Values) > 85, 'the incident is visible from the CLI too');
    assert.match(cpu.Timestamps[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  it('CLI (awsQuery): errors come back as the CLI names them', async () => {
    const out = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      'cloudwatch',
      'put-metric-data',
      '--namespace',
      'AWS/EC2',
      '--metric-name',
      'X',
      '--value',
      '1',
      '--region',
      'us-east-1',
    ]);
    assert.notEqual(out.code, 0);
    assert.equal(cliErrorCode(out), 'InvalidParameterValue');
  });
});
