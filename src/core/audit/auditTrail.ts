// The one way into the audit trail: the guard (values InfraWatch issued), the log (any
// AuditPort: the local JSONL file, or memory in tests), the forwarder (the organisation's
// log group), and a small queue of records waiting to be written again. Two promises:
// - require(): for a record that must exist before its action (access.requested). It throws,
//   and the caller does not act: no AssumeRole without its record.
// - record(): for a record of something that already happened (granted, fetched, revoked,
//   expired…). It never throws; a record that cannot be written is reported at once and
//   kept, in order, for the next append or a timer. Never dropped silently.
import { InfraWatchError } from '../errors';
import { silentLog, type Log } from '../ports';
import { auditEventInputSchema, type AuditEventInput, type AuditPort, type AuditRecord } from './events';
import { SecretGuard } from './secretGuard';

export interface AuditTrailDeps {
  /** Opens the log; called again after a failed open (the next attempt may succeed). */
  open: () => Promise<AuditPort>;
  /** Shared with whoever registers the secrets InfraWatch issues. */
  guard?: SecretGuard;
  log?: Log;
  /** Each record once written (e.g. on to the organisation's log group). */
  forward?: (record: AuditRecord) => void;
  /** Tells the user, at once, that a record could not be written. */
  onProblem: (message: string) => void;
  /** Tells the user that records that waited have now been written. */
  onRecovered?: (message: string) => void;
  /** How long before a waiting record is tried again without a new append; default 10 s. */
  retryMs?: number;
  /** Records kept for a retry; beyond it the oldest are given up, loudly. Default 1000. */
  maxPending?: number;
  /** A problem shown to the user is not shown again for this long while it lasts; default 60 s. */
  quietMs?: number;
}

/** An error's own words, without a stack, for a message. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

export class AuditTrail {
  readonly guard: SecretGuard;
  private port: Promise<AuditPort> | undefined;
  private readonly pending: AuditEventInput[] = [];
  /** Appends run one at a time, so the queue and the chain keep the order of the calls. */
  private turn: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastShown = -Infinity;
  /** Set while records wait because the log failed; cleared when they are written. */
  private failing = false;
  private disposed = false;

  constructor(private readonly deps: AuditTrailDeps) {
    this.guard = deps.guard ?? new SecretGuard();
  }

  /** Records waiting to be written again. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Writes the record (after any that wait) or throws saying why, with nothing queued: the
   * caller must not do what the record announces.
   */
  require(event: AuditEventInput): Promise<AuditRecord> {
    return this.exclusive(async () => {
      const valid = this.check(event);
      try {
        await this.drain();
        return await this.write(valid);
      } catch (error) {
        this.report(`Writing the audit record ${event.event} failed`, error);
        throw new InfraWatchError(
          'Unknown',
          `Writing the audit record ${event.event} failed: ${describe(error)}; nothing was written`,
          { cause: error },
        );
      }
    });
  }

  /** Writes the record, or reports at once and keeps it for a retry. Never throws. */
  record(event: AuditEventInput): Promise<void> {
    return this.exclusive(async () => {
      let valid: AuditEventInput;
      try {
        valid = this.check(event);
      } catch (error) {
        // Retrying cannot help a record the vocabulary or the guard refuses: a bug to show.
        this.show(
          `InfraWatch could not write the audit record ${event.event}: ${describe(error)}. This is a bug; please report it.`,
          error,
          true,
        );
        return;
      }
      this.enqueue(valid);
      try {
        await this.drain();
      } catch (error) {
        this.failing = true;
        this.show(
          `InfraWatch could not write the audit record ${event.event} (${describe(error)}). It is kept and will be retried; ${this.pending.length} record(s) are waiting.`,
          error,
        );
        this.schedule();
      }
    });
  }

  /** Tries the waiting records now; resolves when done (or failed again). */
  flush(): Promise<void> {
    return this.exclusive(async () => {
      try {
        await this.drain();
      } catch (error) {
        this.deps.log?.warn(`Retrying ${this.pending.length} waiting audit record(s) failed: ${describe(error)}`);
        this.schedule();
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) {
      (this.deps.log ?? silentLog).error(
        `${this.pending.length} audit record(s) could not be written before InfraWatch stopped: ${this.pending.map((e) => e.event).join(', ')}`,
      );
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** The vocabulary and the guard: refuses for good (a Validation error naming the field). */
  private check(event: AuditEventInput): AuditEventInput {
    const parsed = auditEventInputSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InfraWatchError(
        'Validation',
        `Writing the audit record failed: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    this.guard.assertClean(parsed.data);
    return parsed.data;
  }

  private enqueue(event: AuditEventInput): void {
    this.pending.push(event);
    const max = this.deps.maxPending ?? 1000;
    if (this.pending.length <= max) return;
    const lost = this.pending.splice(0, this.pending.length - max);
    this.show(
      `InfraWatch gave up ${lost.length} audit record(s) (${lost.map((e) => e.event).join(', ')}) after the audit trail could not be written for too long.`,
      undefined,
      true,
    );
  }

  /** Writes the waiting records in order; throws at the first that fails (it stays first). */
  private async drain(): Promise<void> {
    let written = 0;
    while (this.pending.length > 0) {
      await this.write(this.pending[0]!);
      this.pending.shift();
      written += 1;
    }
    if (this.failing) this.recovered(written);
  }

  private async write(event: AuditEventInput): Promise<AuditRecord> {
    this.port ??= this.deps.open().catch((error: unknown) => {
      this.port = undefined;
      throw error;
    });
    const record = await (await this.port).append(event);
    this.deps.forward?.(record);
    return record;
  }

  private recovered(written: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.failing = false;
    this.lastShown = -Infinity;
    const message = `The audit trail is writable again: ${written} waiting record(s) were written.`;
    this.deps.log?.info(message);
    this.deps.onRecovered?.(message);
  }

  /** Logs every problem; shows it unless one was shown moments ago (a failing disk fails every record). */
  private show(message: string, error: unknown, always = false): void {
    this.report(message, error);
    const now = Date.now();
    if (!always && now - this.lastShown < (this.deps.quietMs ?? 60_000)) return;
    this.lastShown = now;
    this.deps.onProblem(message);
  }

  private report(message: string, error: unknown): void {
    const log = this.deps.log ?? silentLog;
    if (error === undefined) log.error(message);
    else log.error(message, error instanceof Error ? error : String(error));
  }

  private schedule(): void {
    if (this.disposed || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.deps.retryMs ?? 10_000);
    this.timer.unref?.();
  }
}
