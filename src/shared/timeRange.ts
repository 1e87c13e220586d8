// Time ranges as both sides speak them: a preset relative to "now" (re-evaluated on every
// refresh, so auto-refresh moves the window) or a fixed custom window.

export const rangePresets = ['1h', '3h', '12h', '1d', '1w'] as const;
export type RangePreset = (typeof rangePresets)[number];

export type TimeRange = { kind: 'preset'; preset: RangePreset } | { kind: 'custom'; start: number; end: number };

const hourMs = 3_600_000;

export const presetDurationsMs: Readonly<Record<RangePreset, number>> = {
  '1h': hourMs,
  '3h': 3 * hourMs,
  '12h': 12 * hourMs,
  '1d': 24 * hourMs,
  '1w': 7 * 24 * hourMs,
};

export const defaultRange: TimeRange = { kind: 'preset', preset: '3h' };

/** The window a range covers at `now`, in epoch milliseconds. */
export function resolveRange(range: TimeRange, now: number): { start: number; end: number } {
  if (range.kind === 'custom') return { start: range.start, end: Math.min(range.end, now) };
  return { start: now - presetDurationsMs[range.preset], end: now };
}

/** A window of `spanMs` centred on `time`, never reaching past `now`. */
export function getRangeAround(time: number, spanMs: number, now: number): TimeRange {
  const end = Math.min(now, time + spanMs / 2);
  return { kind: 'custom', start: end - spanMs, end };
}
