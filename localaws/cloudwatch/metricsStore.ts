// The metric series of one account and region: modelled series (the demo's, a pure
// function of time at one-minute resolution, nothing stored) and series fed by
// PutMetricData (points kept sorted by time). Both fill the same Accumulator.

import { Accumulator, normalQuantile, type ParsedStatistic } from './metricsStats';

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions: readonly Dimension[];
}

/** One minute of a modelled series; `spread` is the lognormal sigma (0: one sample). */
export interface MinuteSample {
  count: number;
  sum: number;
  min: number;
  max: number;
  spread: number;
}

/** Fills `out` for epoch minute `minute`; false when the series has no data that minute. */
export type MinuteModel = (minute: number, out: MinuteSample) => boolean;

export interface StoredPoint {
  /** Epoch ms. */
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Raw values (Value, or Values with counts); absent for a statistic set. */
  values?: number[];
  counts?: number[];
  unit?: string;
}

export interface Series {
  key: string;
  id: MetricId;
  unit?: string;
  model?: MinuteModel;
  /** Epoch ms from which the model has data. */
  modelFrom: number;
  points: StoredPoint[];
  /** Epoch ms of the newest stored point (for ListMetrics' two-week window). */
  lastPointAt: number;
}

const minuteMs = 60_000;

/** Dimensions sorted by name, so one metric has one key whatever order a client sends. */
export function normaliseDimensions(dims: readonly Dimension[]): Dimension[] {
  return [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export function seriesKey(id: MetricId): string {
  const dims = normaliseDimensions(id.dimensions)
    .map((d) => `${d.Name}=${d.Value}`)
    .join('\u0001');
  return `${id.namespace}\u0000${id.metricName}\u0000${dims}`;
}

export class MetricStore {
  private readonly series = new Map<string, Series>();
  private sorted: Series[] | undefined;

  addModel(id: MetricId, unit: string, model: MinuteModel, modelFrom: number): Series {
    const s = this.ensure(id);
    s.model = model;
    s.unit = unit;
    s.modelFrom = modelFrom;
    return s;
  }

  /** Stores a point, keeping the series sorted (appends are the common case). */
  put(id: MetricId, point: StoredPoint): void {
    const s = this.ensure(id);
    if (point.unit && !s.unit) s.unit = point.unit;
    const points = s.points;
    if (points.length === 0 || points[points.length - 1]!.t <= point.t) points.push(point);
    else points.splice(lowerBound(points, point.t + 1), 0, point);
    if (point.t > s.lastPointAt) s.lastPointAt = point.t;
  }

  get(id: MetricId): Series | undefined {
    return this.series.get(seriesKey(id));
  }

  /** Every series, in a stable order (namespace, name, dimensions) for paging. */
  list(): readonly Series[] {
    if (!this.sorted) {
      this.sorted = [...this.series.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    return this.sorted;
  }

  private ensure(id: MetricId): Series {
    const key = seriesKey(id);
    let s = this.series.get(key);
    if (!s) {
      const normalised = {
        namespace: id.namespace,
        metricName: id.metricName,
        dimensions: normaliseDimensions(id.dimensions),
      };
      s = { key, id: normalised, modelFrom: Infinity, points: [], lastPointAt: -Infinity };
      this.series.set(key, s);
      this.sorted = undefined;
    }
    return s;
  }
}

/** What one accumulation reads: the statistic (for percentile points) and an optional unit filter. */
export interface ReadSpec {
  stat: ParsedStatistic;
  unit?: string;
  /** Precomputed normal quantile of the percentile, for modelled minutes. */
  z: number;
}

export function createReadSpec(stat: ParsedStatistic, unit?: string): ReadSpec {
  const z = stat.kind === 'percentile' ? normalQuantile(Math.min(stat.percent, 99.99) / 100) : 0;
  return unit === undefined ? { stat, z } : { stat, z, unit };
}

const scratch: MinuteSample = { count: 0, sum: 0, min: 0, max: 0, spread: 0 };

/** Adds the series' samples with from ≤ t < to and t ≤ now to `acc`. */
export function accumulate(
  series: Series,
  from: number,
  to: number,
  now: number,
  spec: ReadSpec,
  acc: Accumulator,
): void {
  const end = Math.min(to, now + 1);
  if (series.model && (spec.unit === undefined || spec.unit === series.unit)) {
    accumulateModel(series.model, Math.max(from, series.modelFrom), end, spec, acc);
  }
  if (series.points.length > 0) accumulateStored(series.points, from, end, spec, acc);
}

function accumulateModel(model: MinuteModel, from: number, to: number, spec: ReadSpec, acc: Accumulator): void {
  const first = Math.ceil(from / minuteMs);
  for (let m = first; m * minuteMs < to; m += 1) {
    if (!model(m, scratch)) continue;
    acc.addSet(scratch.count, scratch.sum, scratch.min, scratch.max);
    if (acc.keepPoints) acc.addPoint(modelQuantile(scratch, spec.z), scratch.count);
  }
}

/** The minute's percentile under a lognormal with the minute's mean and spread. */
function modelQuantile(s: MinuteSample, z: number): number {
  const mean = s.sum / s.count;
  if (s.spread <= 0) return mean;
  const median = mean * Math.exp((-s.spread * s.spread) / 2);
  return Math.min(s.max, Math.max(s.min, median * Math.exp(s.spread * z)));
}

function accumulateStored(
  points: readonly StoredPoint[],
  from: number,
  to: number,
  spec: ReadSpec,
  acc: Accumulator,
): void {
  for (let i = lowerBound(points, from); i < points.length && points[i]!.t < to; i += 1) {
    const p = points[i]!;
    if (spec.unit !== undefined && (p.unit ?? 'None') !== spec.unit) continue;
    if (p.values) {
      for (let k = 0; k < p.values.length; k += 1) acc.addValue(p.values[k]!, p.counts?.[k] ?? 1);
    } else {
      acc.addSet(p.count, p.sum, p.min, p.max);
      // AWS serves percentiles for statistic sets only when they describe a single value.
      if (p.min === p.max || p.count === 1) acc.addPoint(p.min, p.count);
      else acc.percentileBlocked = true;
    }
  }
}

/** Index of the first point with t ≥ time. */
function lowerBound(points: readonly StoredPoint[], time: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.t < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
