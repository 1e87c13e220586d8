// Metric alarms evaluated live against the metric store, the way CloudWatch does: the
// last EvaluationPeriods complete periods, M of N breaching → ALARM, no data →
// INSUFFICIENT_DATA. The state's timestamp is found by replaying the evaluations backwards.

import { Accumulator, parseStatistic, type ParsedStatistic } from './metricsStats';
import { accumulate, createReadSpec, type Dimension, type MetricStore } from './metricsStore';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type ComparisonOperator =
  'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export interface AlarmDefinition {
  name: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  /** A basic statistic or a percentile (then reported as ExtendedStatistic). */
  statistic: string;
  /** Seconds. */
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData: 'missing' | 'notBreaching' | 'breaching';
  unit?: string;
  alarmActions: string[];
  /** Epoch ms of the alarm's last configuration change. */
  configuredAt: number;
}

export interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  reasonData: string;
  /** Epoch ms when the alarm entered this state. */
  updatedAt: number;
}

const replayMs = 8 * 24 * 3_600_000;

const operatorText: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/** One value per period over [from, to), NaN where the period has no data. */
function periodValues(
  store: MetricStore,
  def: AlarmDefinition,
  stat: ParsedStatistic,
  from: number,
  count: number,
  now: number,
): Float64Array {
  const out = new Float64Array(count).fill(NaN);
  const series = store.get({ namespace: def.namespace, metricName: def.metricName, dimensions: def.dimensions });
  if (!series) return out;
  const spec = createReadSpec(stat, def.unit);
  const acc = new Accumulator(stat.kind === 'percentile');
  const periodMs = def.period * 1000;
  for (let k = 0; k < count; k += 1) {
    acc.reset();
    accumulate(series, from + k * periodMs, from + (k + 1) * periodMs, now, spec, acc);
    const v = acc.result(stat);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The state given the window's values (oldest first). */
function judge(def: AlarmDefinition, window: Float64Array): AlarmStateValue {
  let present = 0;
  let breaching = 0;
  for (const v of window) {
    if (Number.isNaN(v)) {
      if (def.treatMissingData === 'missing') continue;
      present += 1;
      if (def.treatMissingData === 'breaching') breaching += 1;
      continue;
    }
    present += 1;
    if (breaches(def.comparisonOperator, v, def.threshold)) breaching += 1;
  }
  if (present === 0) return 'INSUFFICIENT_DATA';
  return breaching >= def.datapointsToAlarm ? 'ALARM' : 'OK';
}

/** The alarm's state at `now`, with the time and reason of its last transition. */
export function evaluateAlarm(store: MetricStore, def: AlarmDefinition, now: number): AlarmState {
  const stat = parseStatistic(def.statistic);
  if (!stat) throw new Error(`alarm ${def.name}: unknown statistic ${def.statistic}`);
  const periodMs = def.period * 1000;
  const n = def.evaluationPeriods;
  const lastEnd = Math.floor(now / periodMs) * periodMs;
  const firstEnd = Math.max(
    Math.ceil(def.configuredAt / periodMs) * periodMs,
    lastEnd - Math.ceil(replayMs / periodMs) * periodMs,
  );
  const steps = Math.max(1, (lastEnd - firstEnd) / periodMs + 1);
  const from = firstEnd - n * periodMs;
  const values = periodValues(store, def, stat, from, steps - 1 + n, now);
  let state = judge(def, values.subarray(0, n));
  // With no transition in the replayed window, the state is taken to date from the configuration.
  let since = def.configuredAt;
  let sinceStep = 0;
  for (let s = 1; s < steps; s += 1) {
    const next = judge(def, values.subarray(s, s + n));
    if (next !== state) {
      state = next;
      since = firstEnd + s * periodMs;
      sinceStep = s;
    }
  }
  const window = values.subarray(sinceStep, sinceStep + n);
  const windowStart = from + sinceStep * periodMs;
  return {
    value: state,
    reason: describeReason(def, state, window, windowStart),
    reasonData: describeReasonData(def, window, windowStart, since),
    updatedAt: since,
  };
}

function formatDate(ms: number): string {
  const d = new Date(ms);
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(Math.round(v * 1e6) / 1e6);
}

/** A StateReason in CloudWatch's wording, newest datapoints first. */
function describeReason(
  def: AlarmDefinition,
  state: AlarmStateValue,
  window: Float64Array,
  windowStart: number,
): string {
  const periodMs = def.period * 1000;
  const points: string[] = [];
  let breaching = 0;
  for (let k = window.length - 1; k >= 0; k -= 1) {
    const v = window[k]!;
    if (Number.isNaN(v)) continue;
    const hit = breaches(def.comparisonOperator, v, def.threshold);
    if (hit) breaching += 1;
    if ((state === 'ALARM') === hit && points.length < 5)
      points.push(`${formatNumber(v)} (${formatDate(windowStart + k * periodMs)})`);
  }
  const n = window.length;
  const op = operatorText[def.comparisonOperator];
  const threshold = formatNumber(def.threshold);
  if (state === 'INSUFFICIENT_DATA') return `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
  if (state === 'ALARM') {
    return `Threshold Crossed: ${breaching} out of the last ${n} datapoints [${points.join(', ')}] were ${op} the threshold (${threshold}) (minimum ${def.datapointsToAlarm} datapoint${def.datapointsToAlarm === 1 ? '' : 's'} for OK -> ALARM transition).`;
  }
  return `Threshold Crossed: ${n - breaching} out of the last ${n} datapoints [${points.join(', ')}] were not ${op} the threshold (${threshold}) (minimum ${n - def.datapointsToAlarm + 1} datapoint${n - def.datapointsToAlarm + 1 === 1 ? '' : 's'} for ALARM -> OK transition).`;
}

function describeReasonData(
  def: AlarmDefinition,
  window: Float64Array,
  windowStart: number,
  queryDate: number,
): string {
  const periodMs = def.period * 1000;
  const recent: number[] = [];
  for (let k = window.length - 1; k >= 0 && recent.length < 5; k -= 1)
    if (!Number.isNaN(window[k]!)) recent.push(window[k]!);
  return JSON.stringify({
    version: '1.0',
    queryDate: new Date(queryDate).toISOString(),
    startDate: new Date(windowStart + (window.length - 1) * periodMs).toISOString(),
    statistic: def.statistic,
    period: def.period,
    recentDatapoints: recent,
    threshold: def.threshold,
  });
}
