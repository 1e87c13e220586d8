// When SessionStore next compares its sessions with the clock: one timeout for the next due
// warning or expiry, and a periodic tick while any session lives. Both only prompt a check;
// the check itself trusts only the wall clock (a suspended machine fires timers late).
import { type Session } from '../session';
import { systemTimers, type TimerFunctions } from './timers';

/** setTimeout's ceiling (about 24.8 days): a longer delay would fire at once. */
const maxTimerMs = 2 ** 31 - 1;

export interface ExpiryScheduleOptions {
  timers?: TimerFunctions;
  /** Re-check period. */
  tickMs: number;
  /** How long before expiry a session is warned about, once. */
  warningMs: number;
  check(): void;
}

export class ExpirySchedule {
  private readonly timers: TimerFunctions;
  private readonly warned = new Set<string>();
  private timeout: unknown;
  private interval: unknown;

  constructor(private readonly options: ExpiryScheduleOptions) {
    this.timers = options.timers ?? systemTimers;
  }

  /** The sessions whose warning is due now and not yet given; each is returned once. */
  takeWarnings(sessions: Session[], now: number): Session[] {
    const due = sessions.filter(
      (s) => !this.warned.has(s.id) && now >= s.credentials.expiration - this.options.warningMs,
    );
    for (const session of due) this.warned.add(session.id);
    return due;
  }

  /** A session left, or came back renewed: its warning may be given again. */
  forget(id: string): void {
    this.warned.delete(id);
  }

  /** Checks at the next due warning or expiry, ticking meanwhile; with no session, neither. */
  reschedule(sessions: Session[], now: number): void {
    this.timers.clearTimeout(this.timeout);
    this.timeout = undefined;
    if (sessions.length === 0) {
      this.timers.clearInterval(this.interval);
      this.interval = undefined;
      return;
    }
    const dues = sessions.map((s) =>
      this.warned.has(s.id) ? s.credentials.expiration : s.credentials.expiration - this.options.warningMs,
    );
    this.interval ??= this.timers.setInterval(this.options.check, this.options.tickMs);
    this.timeout = this.timers.setTimeout(
      this.options.check,
      Math.min(maxTimerMs, Math.max(0, Math.min(...dues) - now)),
    );
  }

  dispose(): void {
    this.reschedule([], 0);
  }
}
