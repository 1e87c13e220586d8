// GetMetricData calls per panel load (budget: N metrics in ⌈N/500⌉ calls): the
// panel's fetchMetricData against the local endpoint (its own process), every HTTP
// attempt counted by an SDK middleware. The queries cycle over the demo's real series,
// so each returns data (a query for nothing would flatter the paging).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { catalog, type MetricSpec, type ServiceSpec } from '../../src/core/catalog';
import { type Resource } from '../../src/core/discovery';
import { fetchMetricData, getCallCount } from '../../src/core/metrics/fetchMetrics';
import { choosePeriod } from '../../src/core/metrics/period';
import { getQueryId, toQuery } from '../../src/core/metrics/queries';
import { getDemoResources } from '../../localaws/demo/resources';
import { startLocalAwsProcess } from './localAwsProcess';

export interface MetricCallsRun {
  metrics: number;
  rangeHours: number;
  calls: number;
  /** Queries that came back with at least one point (a check that the data was real). */
  withData: number;
  points: number;
  ms: number;
}

const hourMs = 3_600_000;

function getDemoSeries(): { spec: ServiceSpec; resource: Resource; metric: MetricSpec }[] {
  return getDemoResources().flatMap((demo) => {
    const spec = catalog[demo.service];
    const id = demo.dimensions.map((d) => d.Value).join('/');
    const resource: Resource = { id, label: id, dimensions: demo.dimensions };
    // Daily (S3 storage) metrics have one point a day: leave them out of a 1-minute grid.
    return spec.metrics.filter((m) => demo.metrics[m.name] && !m.daily).map((metric) => ({ spec, resource, metric }));
  });
}

type DemoSeries = ReturnType<typeof getDemoSeries>[number];

function getQueries(
  series: readonly DemoSeries[],
  count: number,
  range: { startMs: number; endMs: number },
  now: number,
) {
  return Array.from({ length: count }, (_, i) => {
    const { spec, resource, metric } = series[i % series.length]!;
    const period = choosePeriod(range.startMs, range.endMs, now, metric);
    return toQuery(spec, { id: getQueryId(i), resource, metric, period });
  });
}

/** The demo series that have data in the last `rangeHours` (some only run at night). */
async function getLiveSeries(client: CloudWatchClient, rangeHours: number): Promise<DemoSeries[]> {
  const series = getDemoSeries();
  const now = Date.now();
  const range = { startMs: now - rangeHours * hourMs, endMs: now };
  const result = await fetchMetricData(client, getQueries(series, series.length, range, now), range);
  return series.filter((_, i) => result.get(getQueryId(i))?.values.some((v) => v !== null));
}

async function run(
  client: CloudWatchClient,
  counter: { calls: number },
  metrics: number,
  rangeHours: number,
): Promise<MetricCallsRun> {
  const series = await getLiveSeries(client, rangeHours);
  const now = Date.now();
  const range = { startMs: now - rangeHours * hourMs, endMs: now };
  const queries = getQueries(series, metrics, range, now);
  counter.calls = 0;
  const started = performance.now();
  const result = await fetchMetricData(client, queries, range);
  const ms = performance.now() - started;
  const values = [...result.values()].map((s) => s.values.filter((v) => v !== null).length);
  return {
    metrics,
    rangeHours,
    calls: counter.calls,
    withData: values.filter((n) => n > 0).length,
    points: values.reduce((a, b) => a + b, 0),
    ms,
  };
}

export async function measureMetricCalls(): Promise<MetricCallsRun[]> {
  const aws = await startLocalAwsProcess();
  const identity = aws.identities.find((i) => i.name === 'employee') ?? aws.identities[0]!;
  const client = new CloudWatchClient({
    endpoint: aws.url,
    region: aws.region,
    maxAttempts: 1,
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      sessionToken: identity.sessionToken,
    },
  });
  const counter = { calls: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetMetricDataCommand') counter.calls += 1;
      return next(args);
    },
    { step: 'deserialize', name: 'benchCountGetMetricData' },
  );
  try {
    const runs: MetricCallsRun[] = [];
    for (const metrics of [10, 500, 1_200]) runs.push(await run(client, counter, metrics, 3));
    runs.push(await run(client, counter, 1_200, 24));
    for (const r of runs) {
      if (r.withData !== r.metrics)
        throw new Error(`the metric-calls bench got data for ${r.withData} of ${r.metrics} queries`);
    }
    return runs;
  } finally {
    client.destroy();
    aws.stop();
  }
}

export function getMetricCallRows(
  runs: readonly MetricCallsRun[],
): { measure: string; result: string; budget: string }[] {
  const short = runs.filter((r) => r.rangeHours === 3);
  const day = runs.find((r) => r.rangeHours === 24);
  const list = (pick: (r: MetricCallsRun) => number): string => short.map(pick).join(' / ');
  const rows = [
    {
      measure: `GetMetricData calls for ${short.map((r) => r.metrics.toLocaleString('en')).join(' / ')} metrics, 3 h at 1 min (the panel's fetchMetricData, local endpoint)`,
      result: `${list((r) => r.calls)} (${short.map((r) => `${Math.round(r.ms)} ms`).join(' / ')})`,
      budget: `⌈N/500⌉ = ${list((r) => getCallCount(r.metrics))}`,
    },
  ];
  if (day) {
    const floor = Math.max(getCallCount(day.metrics), Math.ceil(day.points / 100_800));
    rows.push({
      measure: `Same, ${day.metrics.toLocaleString('en')} metrics over 1 d (${day.points.toLocaleString('en')} points: NextToken pages of ≤ 100,800)`,
      result: `${day.calls} calls (${Math.round(day.ms)} ms)`,
      budget: `≥ ${floor} (points ÷ 100,800)`,
    });
  }
  return rows;
}
