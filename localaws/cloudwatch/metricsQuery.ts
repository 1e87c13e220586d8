// GetMetricData's arithmetic: period buckets aligned to the period, CloudWatch's
// retention rules (a period finer than the data's age allows returns nothing), and
// paging of all series' points through MaxDatapoints.

import { Accumulator, type ParsedStatistic } from './metricsStats';
import { accumulate, createReadSpec, type MetricStore } from './metricsStore';
import type { MetricId } from './metricsStore';

export interface StatQuery {
  id: string;
  label?: string;
  metric: MetricId;
  /** Seconds. */
  period: number;
  stat: ParsedStatistic;
  unit?: string;
  returnData: boolean;
}

export interface SeriesValues {
  /** Epoch ms, in the order asked for by ScanBy. */
  timestamps: number[];
  values: number[];
}

export type ScanBy = 'TimestampDescending' | 'TimestampAscending';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * The period (seconds) must be a multiple of this for data starting at `bucketStart` to be
 * returned (CloudWatch keeps 1-minute data 15 days, 5-minute 63 days, 1-hour 455 days).
 */
export function requiredPeriodMultiple(bucketStart: number, now: number): number {
  const age = now - bucketStart;
  if (age > 63 * dayMs) return 3600;
  if (age > 15 * dayMs) return 300;
  if (age > 3 * hourMs) return 60;
  return 1;
}

/** Periods CloudWatch accepts: 1, 5, 10, 20, 30, 60 or any multiple of 60 seconds. */
export function isValidPeriod(period: number): boolean {
  if (!Number.isInteger(period) || period <= 0) return false;
  return period % 60 === 0 || [1, 5, 10, 20, 30].includes(period);
}

/** One query's datapoints: buckets [k·period, (k+1)·period) overlapping [start, end). */
export function computeSeries(
  store: MetricStore,
  q: StatQuery,
  start: number,
  end: number,
  now: number,
  scanBy: ScanBy,
): SeriesValues {
  const timestamps: number[] = [];
  const values: number[] = [];
  const series = store.get(q.metric);
  if (!series) return { timestamps, values };
  const periodMs = q.period * 1000;
  const spec = createReadSpec(q.stat, q.unit);
  const acc = new Accumulator(q.stat.kind === 'percentile');
  const last = Math.min(end, now + 1);
  for (let b = Math.floor(start / periodMs) * periodMs; b < last; b += periodMs) {
    if (q.period % requiredPeriodMultiple(b, now) !== 0) continue;
    acc.reset();
    accumulate(series, b, b + periodMs, now, spec, acc);
    const v = acc.result(q.stat);
    if (v === undefined) continue;
    timestamps.push(b);
    values.push(v);
  }
  if (scanBy === 'TimestampDescending') {
    timestamps.reverse();
    values.reverse();
  }
  return { timestamps, values };
}

export interface ResultPage {
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
  statusCode: 'Complete' | 'PartialData';
}

/**
 * Cuts the queries' points into one page of at most `maxPoints`, starting `offset` points
 * into the request's flattened stream (queries in request order). A query appears on the
 * first page, and on later pages only where it has points.
 */
export function pageResults(
  queries: readonly StatQuery[],
  series: readonly SeriesValues[],
  offset: number,
  maxPoints: number,
): { results: ResultPage[]; nextOffset: number | undefined } {
  const results: ResultPage[] = [];
  let position = 0;
  const pageEnd = offset + maxPoints;
  queries.forEach((q, i) => {
    const s = series[i]!;
    const from = Math.max(0, offset - position);
    const to = Math.min(s.values.length, pageEnd - position);
    const hasPoints = to > from;
    if (hasPoints || offset === 0) {
      results.push({
        id: q.id,
        label: q.label ?? q.metric.metricName,
        timestamps: hasPoints ? s.timestamps.slice(from, to) : [],
        values: hasPoints ? s.values.slice(from, to) : [],
        statusCode: position + s.values.length > pageEnd ? 'PartialData' : 'Complete',
      });
    }
    position += s.values.length;
  });
  return { results, nextOffset: position > pageEnd ? pageEnd : undefined };
}
