// The arithmetic of the virtualised log list, DOM-free so it is unit-tested in Node.

export const rowHeight = 20;
export const overscan = 10;
/** Bounded memory: beyond this the oldest lines are dropped. */
export const maxRows = 200_000;
/** A row shows this much of a line; the full text is copied. */
export const maxShownChars = 2_000;

/** The slice of rows to render for a scroll position, with a few extra either side. */
export function getVisibleRange(
  scrollTop: number,
  viewportHeight: number,
  count: number,
  height = rowHeight,
  extra = overscan,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / height) - extra);
  const last = Math.min(count, Math.ceil((scrollTop + viewportHeight) / height) + extra);
  return { first, last: Math.max(first, last) };
}

/** The first row at or after `time` (rows are in time order), for jumping to a moment. */
export function findRowAt(events: readonly { timestamp: number }[], time: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.timestamp < time) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, events.length - 1));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local wall time to the millisecond, like the charts' axes (which are local too). */
export function formatLogTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
