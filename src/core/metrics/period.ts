// The period of a GetMetricData query. CloudWatch keeps finer data only for a
// while, and a query whose start is older than that returns nothing unless its period is a
// multiple of what is still kept:
//   start older than 3 h  → a multiple of 60 s
//   start older than 15 d → a multiple of 300 s
//   start older than 63 d → a multiple of 3,600 s
// Within that, the period is the smallest "round" one that keeps a series at or under
// 1,440 points, so a chart never holds more points than it has pixels to show them.
import { type MetricSpec } from '../catalog';

export const maxPointsPerSeries = 1_440;

const hourS = 3_600;
const dayS = 86_400;

/** Periods people read easily, ascending; past the last, whole days. */
const roundPeriods = [60, 120, 300, 600, 900, 1_200, 1_800, hourS, 2 * hourS, 3 * hourS, 6 * hourS, 12 * hourS, dayS];

/** The multiple the period must be, given how old the start of the range is. */
export function getRetentionStep(startMs: number, nowMs: number): number {
  const ageS = (nowMs - startMs) / 1_000;
  if (ageS > 63 * dayS) return hourS;
  if (ageS > 15 * dayS) return 300;
  // AWS-vended metrics are standard resolution: one minute is the finest there is.
  return 60;
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

/** The period in seconds for `metric` over [startMs, endMs] seen at nowMs. */
export function choosePeriod(
  startMs: number,
  endMs: number,
  nowMs: number,
  metric?: Pick<MetricSpec, 'daily'>,
): number {
  const spanS = Math.max(0, (endMs - startMs) / 1_000);
  const step = getRetentionStep(startMs, nowMs);
  const floor = metric?.daily ? dayS : step;
  const wanted = Math.max(floor, Math.ceil(spanS / maxPointsPerSeries));
  const round = roundPeriods.find((p) => p >= wanted) ?? roundUp(wanted, dayS);
  return roundUp(round, metric?.daily ? dayS : step);
}

/** How many points a series of that period holds over the range (the bucket count). */
export function getPointCount(startMs: number, endMs: number, periodS: number): number {
  const periodMs = periodS * 1_000;
  const first = Math.floor(startMs / periodMs);
  const last = Math.ceil(endMs / periodMs);
  return Math.max(0, last - first);
}
