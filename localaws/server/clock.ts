// The endpoint's own clock. It keeps running like the wall clock but can be moved, so a
// test (or the demo) can make issued credentials expire without waiting for them.

import type { Clock } from '../../src/core/ports';

export interface MovableClock extends Clock {
  /** Moves the clock forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  /** Puts the clock at epoch `ms`; it keeps running from there. */
  set(ms: number): void;
}

export function createMovableClock(startTime?: number): MovableClock {
  let offset = startTime === undefined ? 0 : startTime - Date.now();
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
    set: (ms: number) => {
      offset = ms - Date.now();
    },
  };
}
