// Rate limit for failed token attempts at the credential endpoint: more than `limit`
// failures within `windowMs` blocks the endpoint for `blockMs`. Only failures are
// counted, so a working client is never slowed down; during a block nothing is
// evaluated, so guessing stops rather than merely being hidden.
import { type Clock } from '../ports';

export interface FailureLimiterOptions {
  clock: Clock;
  /** Failures tolerated within the window; one more starts a block. Default 10. */
  limit?: number;
  /** Default one minute. */
  windowMs?: number;
  /** Default one minute. */
  blockMs?: number;
}

export class FailureLimiter {
  private readonly clock: Clock;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly blockMs: number;
  /** Ring of the last `limit + 1` failure times. */
  private readonly failures: number[];
  private next = 0;
  private blockedUntil = 0;

  constructor(options: FailureLimiterOptions) {
    this.clock = options.clock;
    this.limit = options.limit ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.blockMs = options.blockMs ?? 60_000;
    this.failures = new Array<number>(this.limit + 1).fill(Number.NEGATIVE_INFINITY);
  }

  /** Epoch ms until which requests are refused, or 0 when not blocked. */
  getBlockedUntil(): number {
    return this.clock.now() < this.blockedUntil ? this.blockedUntil : 0;
  }

  /** Records one failure; returns true when this failure started a block. */
  recordFailure(): boolean {
    const now = this.clock.now();
    this.failures[this.next] = now;
    this.next = (this.next + 1) % this.failures.length;
    // After the write, `next` points at the oldest of the last limit + 1 failures.
    const oldest = this.failures[this.next] ?? Number.NEGATIVE_INFINITY;
    if (now - oldest > this.windowMs) return false;
    this.blockedUntil = now + this.blockMs;
    this.failures.fill(Number.NEGATIVE_INFINITY);
    return true;
  }
}
