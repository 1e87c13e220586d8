// GetMetricData in as few calls as the API allows (⌈N/500⌉ for N metrics): at most 500 queries
// per call, each call returning at most 100,800 points and paging the rest through
// NextToken. Results are merged per query id and laid on the query's period grid, so a
// missing point is a gap (null), never a zero, and timestamps ascend.
import { type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { loadAwsSdk } from '../loadAwsSdk';
import { fromAwsError } from '../errors';

export const maxQueriesPerCall = 500;
export const maxDatapointsPerCall = 100_800;
/** A hostile or broken endpoint must not page forever. */
const maxPagesPerBatch = 1_000;

export interface MetricSeries {
  id: string;
  period: number;
  /** Epoch ms of each bucket's start, ascending, one per period over the range. */
  timestamps: number[];
  values: (number | null)[];
  /** CloudWatch's status for the query (`Complete`, `PartialData`, `Forbidden`, …). */
  status: string;
  messages: string[];
}

/** How many GetMetricData calls `n` queries take when nothing pages. */
export function getCallCount(n: number): number {
  return Math.ceil(n / maxQueriesPerCall);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A start time that is a multiple of every period in the batch, so buckets line up. */
function getAlignedStart(startMs: number, periods: readonly number[]): number {
  let lcm = 1;
  for (const p of periods) lcm = (lcm * p) / gcd(lcm, p);
  // Catalog periods divide one another; an odd mix must not push the start back by weeks.
  const stepS = lcm <= 7 * 86_400 ? lcm : Math.max(...periods);
  return Math.floor(startMs / (stepS * 1_000)) * stepS * 1_000;
}

interface RawSeries {
  timestamps: number[];
  values: number[];
  status: string;
  messages: string[];
}

async function fetchBatch(
  client: CloudWatchClient,
  queries: readonly MetricDataQuery[],
  range: { startMs: number; endMs: number },
  signal: AbortSignal | undefined,
  into: Map<string, RawSeries>,
): Promise<void> {
  const { GetMetricDataCommand } = await loadAwsSdk();
  let nextToken: string | undefined;
  for (let page = 0; page < maxPagesPerBatch; page += 1) {
    const command = new GetMetricDataCommand({
      MetricDataQueries: [...queries],
      StartTime: new Date(range.startMs),
      EndTime: new Date(range.endMs),
      ScanBy: 'TimestampAscending',
      MaxDatapoints: maxDatapointsPerCall,
      NextToken: nextToken,
    });
    const output = await client.send(command, { abortSignal: signal });
    for (const result of output.MetricDataResults ?? []) {
      if (!result.Id) continue;
      const raw = into.get(result.Id) ?? { timestamps: [], values: [], status: 'Complete', messages: [] };
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      for (let i = 0; i < Math.min(timestamps.length, values.length); i += 1) {
        raw.timestamps.push(timestamps[i]!.getTime());
        raw.values.push(values[i]!);
      }
      // The last page's status is the query's final word (PartialData until then).
      if (result.StatusCode) raw.status = result.StatusCode;
      for (const m of result.Messages ?? []) if (m.Value) raw.messages.push(`${m.Code ?? ''}: ${m.Value}`);
      into.set(result.Id, raw);
    }
    nextToken = output.NextToken;
    if (!nextToken) return;
  }
  throw new Error(`GetMetricData kept returning NextToken after ${maxPagesPerBatch} pages`);
}

function toGrid(id: string, period: number, raw: RawSeries | undefined, startMs: number, endMs: number): MetricSeries {
  const periodMs = period * 1_000;
  const count = Math.max(0, Math.ceil((endMs - startMs) / periodMs));
  const timestamps = Array.from({ length: count }, (_, i) => startMs + i * periodMs);
  const values: (number | null)[] = new Array<number | null>(count).fill(null);
  for (let i = 0; raw && i < raw.timestamps.length; i += 1) {
    const bucket = Math.floor((raw.timestamps[i]! - startMs) / periodMs);
    const value = raw.values[i]!;
    if (bucket >= 0 && bucket < count && Number.isFinite(value)) values[bucket] = value;
  }
  return { id, period, timestamps, values, status: raw?.status ?? 'Complete', messages: raw?.messages ?? [] };
}

/**
 * Every query's data over [startMs, endMs), in ⌈queries/500⌉ calls plus any NextToken
 * pages. Queries need an Id and a MetricStat with a Period.
 */
export async function fetchMetricData(
  client: CloudWatchClient,
  queries: readonly MetricDataQuery[],
  range: { startMs: number; endMs: number },
  signal?: AbortSignal,
): Promise<Map<string, MetricSeries>> {
  const periods = queries.map((q) => q.MetricStat?.Period ?? 60);
  const startMs = getAlignedStart(range.startMs, periods);
  const raw = new Map<string, RawSeries>();
  try {
    for (let i = 0; i < queries.length; i += maxQueriesPerCall) {
      await fetchBatch(client, queries.slice(i, i + maxQueriesPerCall), { startMs, endMs: range.endMs }, signal, raw);
    }
  } catch (error) {
    throw fromAwsError(error, 'Fetching metrics');
  }
  const series = new Map<string, MetricSeries>();
  queries.forEach((q, i) => {
    const id = q.Id ?? '';
    series.set(id, toGrid(id, periods[i]!, raw.get(id), startMs, range.endMs));
  });
  return series;
}
