// Counts of refused requests at the credential endpoint, per minute and reason. A flood
// of bad requests must reach the audit trail without becoming a flood of records, so a
// minute's counts are handed on once, when the minute is over.
import { type Clock } from '../ports';

/** Why a request or connection was refused (HTTP refusals, plus connections closed unanswered). */
export type RefusalReason =
  | 'no-token'
  | 'bad-token'
  | 'unknown-session'
  | 'revoked'
  | 'expired'
  | 'bad-request'
  /** Sent by a web browser (Origin or Sec-Fetch-* headers): a web page, never an AWS client. */
  | 'browser'
  /** A connection closed without one complete request: too slow, idle, garbled, or a port scan. */
  | 'no-request'
  /** A connection closed to make room for a new one at the connection cap. */
  | 'evicted';

export interface RefusalSummary {
  /** Start of the minute counted, ISO 8601. */
  minute: string;
  counts: Partial<Record<RefusalReason, number>>;
}

const minuteMs = 60_000;

export class RefusalTally {
  private minute = 0;
  private counts: Partial<Record<RefusalReason, number>> = {};
  private empty = true;

  constructor(private readonly clock: Clock) {}

  /** Counts one refusal; returns the previous minute's summary when this one starts a new minute. */
  add(reason: RefusalReason): RefusalSummary | undefined {
    const minute = Math.floor(this.clock.now() / minuteMs);
    const ended = minute !== this.minute ? this.take() : undefined;
    this.minute = minute;
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    this.empty = false;
    return ended;
  }

  /** Epoch ms at which the minute being counted ends, or undefined when nothing is counted. */
  getMinuteEnd(): number | undefined {
    return this.empty ? undefined : (this.minute + 1) * minuteMs;
  }

  /** The minute being counted, if the clock says it is over. */
  takeEnded(): RefusalSummary | undefined {
    return Math.floor(this.clock.now() / minuteMs) !== this.minute ? this.take() : undefined;
  }

  /** Whatever is counted, minute over or not (at shutdown). */
  take(): RefusalSummary | undefined {
    if (this.empty) return undefined;
    const summary = { minute: new Date(this.minute * minuteMs).toISOString(), counts: this.counts };
    this.counts = {};
    this.empty = true;
    return summary;
  }
}
