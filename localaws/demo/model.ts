// The demo's metric model: each series is a pure function of the epoch minute — a daily
// cycle, seeded noise and the incident's envelope — so seven days (and any time after the
// clock moves) cost nothing to store and always read back the same.

import type { MinuteModel, MinuteSample } from '../cloudwatch/metricsStore';

/** How the incident bends a metric: a step, a backlog that grows then drains, or a level that stays. */
export type IncidentShape = 'step' | 'backlog' | 'persist';

export interface ModelSpec {
  /** gauge: one sample a minute; counter: an integer count a minute; latency: many samples. */
  kind: 'gauge' | 'counter' | 'latency';
  base: number;
  /** Added at the daily peak (15:00 UTC), scaled by the daily shape elsewhere. */
  daily?: number;
  /** Relative noise amplitude (0.1 = ±10 %). */
  noise?: number;
  /** Linear change per day, relative to the model's anchor. */
  trendPerDay?: number;
  min?: number;
  max?: number;
  /** The value the metric moves to during the incident. */
  incidentValue?: number;
  incidentShape?: IncidentShape;
  /** Latency only: requests per minute (base, daily peak addition) and the lognormal sigma. */
  rate?: { base: number; daily?: number };
  spread?: number;
  /** Minutes of the UTC day with data [from, to); elsewhere the series has no data. */
  activeMinutes?: [number, number];
  /** One sample a day at 00:00 UTC (S3 storage metrics). */
  dailyOnly?: boolean;
}

export interface IncidentWindow {
  /** Epoch minutes, [start, end). */
  startMinute: number;
  endMinute: number;
}

const minutesPerDay = 1440;
const drainMinutes = 25;

/** A 32-bit integer mix of two integers (deterministic, well spread). */
export function hash32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seed from a string (FNV-1a). */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Uniform noise in [-1, 1] for (seed, minute). */
export function whiteNoise(seed: number, minute: number): number {
  return (hash32(seed, minute) / 0xffffffff) * 2 - 1;
}

/** Noise in [-1, 1] that wanders smoothly between knots every `knot` minutes. */
export function smoothNoise(seed: number, minute: number, knot = 15): number {
  const k = Math.floor(minute / knot);
  const f = (minute - k * knot) / knot;
  const eased = f * f * (3 - 2 * f);
  const a = whiteNoise(seed ^ 0x5bd1e995, k);
  const b = whiteNoise(seed ^ 0x5bd1e995, k + 1);
  return a + (b - a) * eased;
}

const dailyTable = Float64Array.from(
  { length: minutesPerDay },
  (_, m) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (m - 180)) / minutesPerDay),
);

/** 0 at 03:00 UTC, 1 at 15:00 UTC: a business-day traffic curve. */
export function dailyShape(minute: number): number {
  return dailyTable[((minute % minutesPerDay) + minutesPerDay) % minutesPerDay]!;
}

/** How far into the incident state a metric is at `minute`: 0 (normal) .. 1 (full incident). */
export function incidentLevel(minute: number, w: IncidentWindow, shape: IncidentShape): number {
  if (minute < w.startMinute) return 0;
  const duration = w.endMinute - w.startMinute;
  if (shape === 'backlog') {
    if (minute < w.endMinute) return (minute - w.startMinute + 1) / duration;
    return Math.max(0, 1 - (minute - w.endMinute) / drainMinutes);
  }
  if (minute < w.endMinute) return Math.min(1, (minute - w.startMinute + 1) / 3);
  if (shape === 'persist') return 1;
  return Math.max(0, 1 - (minute - w.endMinute + 1) / 6);
}

/** The metric's central value at `minute` (before counting/latency sampling). */
export function modelValue(
  spec: ModelSpec,
  seed: number,
  minute: number,
  w: IncidentWindow,
  anchorMinute: number,
): number {
  let v = spec.base + (spec.daily ?? 0) * dailyShape(minute);
  if (spec.trendPerDay) v += (spec.trendPerDay * (minute - anchorMinute)) / minutesPerDay;
  const n = spec.noise ?? 0;
  if (n > 0) v *= 1 + n * (0.6 * smoothNoise(seed, minute) + 0.4 * whiteNoise(seed, minute));
  if (spec.incidentValue !== undefined) {
    const level = incidentLevel(minute, w, spec.incidentShape ?? 'step');
    if (level > 0) {
      const jitter = 1 + 0.04 * whiteNoise(seed ^ 0x1234567, minute);
      v = v * (1 - level) + spec.incidentValue * jitter * level;
    }
  }
  return Math.min(spec.max ?? Infinity, Math.max(spec.min ?? 0, v));
}

function isActive(spec: ModelSpec, minute: number): boolean {
  const minuteOfDay = ((minute % minutesPerDay) + minutesPerDay) % minutesPerDay;
  if (spec.dailyOnly) return minuteOfDay === 0;
  if (!spec.activeMinutes) return true;
  return minuteOfDay >= spec.activeMinutes[0] && minuteOfDay < spec.activeMinutes[1];
}

/** Builds the MinuteModel of one series. */
export function createMinuteModel(spec: ModelSpec, seed: number, w: IncidentWindow, anchorMinute: number): MinuteModel {
  return (minute: number, out: MinuteSample): boolean => {
    if (!isActive(spec, minute)) return false;
    const v = modelValue(spec, seed, minute, w, anchorMinute);
    if (spec.kind === 'latency') return fillLatency(spec, seed, minute, v, out);
    const value = spec.kind === 'counter' ? Math.round(v) : v;
    out.count = 1;
    out.sum = value;
    out.min = value;
    out.max = value;
    out.spread = 0;
    return true;
  };
}

function fillLatency(spec: ModelSpec, seed: number, minute: number, mean: number, out: MinuteSample): boolean {
  const rate = spec.rate ?? { base: 1 };
  const requests = Math.max(
    1,
    Math.round((rate.base + (rate.daily ?? 0) * dailyShape(minute)) * (1 + 0.1 * whiteNoise(seed ^ 0xabc, minute))),
  );
  const spread = spec.spread ?? 0.4;
  out.count = requests;
  out.sum = mean * requests;
  out.min = mean * Math.exp(-2 * spread);
  out.max = Math.min(spec.max ?? Infinity, mean * Math.exp(3 * spread));
  out.spread = spread;
  return true;
}
