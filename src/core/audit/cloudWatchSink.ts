// The organisation-wide audit sink: every record written to the local trail is also
// sent to the policy's CloudWatch Logs group. The local JSONL stays the source of truth;
// this only forwards. Records go to the on-disk outbox first, a sender drains it in
// order, and a durable cursor says what was sent. After a crash, a restart or any failed
// send, the sender first reads the stream itself, so a batch AWS took but we never
// recorded as sent is not sent twice. The client should be created with maxAttempts 1:
// retrying (with backoff and jitter) is done here, across restarts.
// Each event links to the one before it in the stream (orgChain.ts), so an admin can tell
// the stream owner's records from anything else put into the group; the stream's head is
// kept beside the cursor and checked against the stream whenever the tail is read.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeCauses, fromAwsError } from '../errors';
import { type Clock, type Log } from '../ports';
import { acquireFileLock } from './auditLock';
import { awsBatchLimits, getRejectedEvents, takeLogEventBatch, type LogEventBatch } from './cloudWatchSinkBatch';
import {
  type AuditDestination,
  ensureAuditDestination,
  fetchDeliveredKeys,
  fetchStreamHead,
  getBackoffMs,
  getRecordKey,
  isFailureNamed,
  isTransientFailure,
  putAuditEvents,
} from './cloudWatchSinkAws';
import { getCanonicalJson } from './chain';
import { type AuditRecord } from './events';
import { type StreamHead } from './orgChain';
import { Outbox, type OutboxCursor, type OutboxEntry } from './outbox';
import { readSavedStreamHead, saveStreamHead } from './streamHeadFile';

export interface SinkTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CloudWatchAuditSinkOptions extends AuditDestination {
  /** The extension's global storage: the outbox and its cursor live here. */
  dir: string;
  clock: Clock;
  log: Log;
  timers?: SinkTimers;
  random?: () => number;
  /** Wait this long after an enqueue so close records share a batch; default 1 s. */
  batchDelayMs?: number;
  /** First retry delay; default 1 s. */
  retryBaseMs?: number;
  /** Longest retry delay, also used for failures a person must fix; default 5 min. */
  retryMaxMs?: number;
  /** Compact the outbox once this many sent bytes lead it; default 64 KiB. */
  compactBytes?: number;
}

export interface AuditSinkStatus {
  /** Records in the outbox not yet delivered, as of the last look. */
  pending: number;
  /** seq of the last record delivered or skipped. */
  lastSentSeq: number;
  /** Records CloudWatch Logs refused (too old, too new) or that could not be read; they stay local only. */
  skipped: number;
  lastError?: string;
  /** When the next try is due (epoch ms), if one is waiting. */
  nextAttemptAt?: number;
}

const realTimers: SinkTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class CloudWatchAuditSink {
  private readonly outbox: Outbox;
  private readonly timers: SinkTimers;
  private readonly senderLockPath: string;
  private writeQueue: { line: string; resolve(): void; reject(error: unknown): void }[] = [];
  /** An enqueue landed while a pass was running: look again when it ends. */
  private drainAgain = false;
  private writing: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private timer: { handle: unknown; at: number } | undefined;
  private attempt = 0;
  private destinationReady = false;
  /** Read the stream before sending: true at start and after any send that may have half-worked. */
  private verifyTail = true;
  private closed = false;
  /** The stream's last link, as of the current pass. */
  private head: StreamHead | undefined;
  private readonly state: AuditSinkStatus = { pending: 0, lastSentSeq: 0, skipped: 0 };

  private constructor(private readonly options: CloudWatchAuditSinkOptions) {
    this.outbox = new Outbox(options.dir, options.log);
    this.timers = options.timers ?? realTimers;
    this.senderLockPath = join(options.dir, 'audit-sender.lock');
  }

  /** Opens the outbox and starts sending whatever an earlier run left in it. */
  static async open(options: CloudWatchAuditSinkOptions): Promise<CloudWatchAuditSink> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const sink = new CloudWatchAuditSink(options);
    const cursor = await sink.outbox.readCursor();
    sink.state.lastSentSeq = cursor.seq;
    sink.state.pending = (await sink.outbox.readPending(cursor)).length;
    if (sink.state.pending > 0) sink.schedule(0);
    return sink;
  }

  /** Resolves once the record is durably in the outbox; sending happens later. */
  enqueue(record: AuditRecord): Promise<void> {
    if (this.closed)
      return Promise.reject(new Error('Queueing an audit record failed: the CloudWatch Logs sink is closed'));
    return new Promise<void>((resolve, reject) => {
      this.writeQueue.push({ line: getCanonicalJson(record), resolve, reject });
      this.state.pending += 1;
      this.writing ??= this.writeOutbox();
    });
  }

  /** Writes what is queued and tries to send everything now, ignoring any backoff. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    this.cancelTimer();
    while (this.draining !== undefined) await this.draining;
    await this.startDrain();
  }

  status(): AuditSinkStatus {
    return { ...this.state, ...(this.timer ? { nextAttemptAt: this.timer.at } : {}) };
  }

  /** Stops sending; what is unsent stays in the outbox for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    while (this.writing !== undefined) await this.writing;
    while (this.draining !== undefined) await this.draining;
  }

  private async writeOutbox(): Promise<void> {
    while (this.writeQueue.length > 0) {
      const items = this.writeQueue.splice(0);
      try {
        await this.outbox.append(items.map((item) => item.line));
        items.forEach((item) => item.resolve());
        this.schedule(this.options.batchDelayMs ?? 1_000);
      } catch (error) {
        this.state.pending -= items.length;
        this.options.log.error(
          `Audit sink: writing ${items.length} records to the outbox failed; they are in the local audit trail only: ${(error as Error).message}`,
        );
        items.forEach((item) => item.reject(error));
      }
    }
    this.writing = undefined;
  }

  private schedule(ms: number): void {
    if (this.draining !== undefined) this.drainAgain = true;
    if (this.closed || this.timer !== undefined || this.draining !== undefined) return;
    const handle = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.startDrain();
    }, ms);
    this.timer = { handle, at: this.options.clock.now() + ms };
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private startDrain(): Promise<void> {
    if (this.draining !== undefined) return this.draining;
    this.drainAgain = false;
    this.draining = this.drain()
      .finally(() => {
        this.draining = undefined;
      })
      .then((next) => {
        const delay = next ?? (this.drainAgain ? (this.options.batchDelayMs ?? 1_000) : undefined);
        if (delay !== undefined) this.schedule(delay);
      });
    return this.draining;
  }

  /** One pass under the sender lock; returns the delay before the next pass, if one is needed. */
  private async drain(): Promise<number | undefined> {
    let release: (() => Promise<void>) | undefined;
    try {
      // Another window is sending the same outbox: let it, and look again later.
      release = await acquireFileLock(this.senderLockPath, { timeoutMs: 100, staleMs: 300_000 }).catch(() => undefined);
      if (release === undefined) return this.options.retryBaseMs ?? 1_000;
      const more = await this.sendPending();
      this.attempt = 0;
      delete this.state.lastError;
      return more ? (this.options.batchDelayMs ?? 1_000) : undefined;
    } catch (error) {
      return this.onFailure(error);
    } finally {
      await release?.();
    }
  }

  /** Sends everything pending at the start of the pass; true if more arrived meanwhile. */
  private async sendPending(): Promise<boolean> {
    let cursor = await this.outbox.readCursor();
    const entries = await this.outbox.readPending(cursor);
    this.state.pending = entries.length;
    this.state.lastSentSeq = cursor.seq;
    if (entries.length > 0) {
      if (!this.destinationReady) await ensureAuditDestination(this.options);
      this.destinationReady = true;
      const tail = this.verifyTail ? await fetchDeliveredKeys(this.options, entries) : { delivered: new Set<string>() };
      this.head = await this.readHead(tail.head);
      this.verifyTail = false;
      const isDelivered = (entry: OutboxEntry): boolean => tail.delivered.has(getRecordKey(entry.seq, entry.hash));
      for (let start = 0; start < entries.length;) {
        const batch = takeLogEventBatch(entries, start, isDelivered, awsBatchLimits, {
          stream: this.options.streamName,
          head: this.head,
        });
        cursor = await this.sendBatch(batch, entries[batch.next - 1], cursor, entries.length - batch.next);
        start = batch.next;
      }
    }
    if (cursor.offset >= (this.options.compactBytes ?? 64 * 1024)) await this.outbox.compact();
    const after = await this.outbox.readPending(await this.outbox.readCursor());
    this.state.pending = after.length;
    return after.length > 0;
  }

  /**
   * The head to link from: the saved one (another window may have sent since), or the
   * stream's own when none was saved here; a later link seen in the stream (a batch AWS
   * stored before a crash) wins.
   */
  private async readHead(seen: StreamHead | undefined): Promise<StreamHead> {
    const saved =
      (await readSavedStreamHead(this.options.dir, this.options.streamName)) ?? (await fetchStreamHead(this.options));
    return seen !== undefined && seen.seq > saved.seq ? seen : saved;
  }

  private async sendBatch(
    batch: LogEventBatch,
    endEntry: OutboxEntry | undefined,
    cursor: OutboxCursor,
    remaining: number,
  ): Promise<OutboxCursor> {
    for (const { entry, why } of batch.passed) {
      if (why !== 'delivered')
        this.noteSkipped(
          [entry],
          why === 'unreadable' ? 'it is not a readable record' : 'it is larger than a PutLogEvents batch',
        );
    }
    if (batch.events.length > 0) {
      try {
        const rejected = getRejectedEvents(batch.events.length, await putAuditEvents(this.options, batch.events));
        await this.saveHead(batch, new Set(rejected.map((r) => r.index)));
        for (const why of ['too old', 'expired', 'too new'] as const) {
          const refused = rejected.filter((r) => r.why === why).map((r) => batch.entries[r.index]!);
          if (refused.length > 0)
            this.noteSkipped(
              refused,
              `CloudWatch Logs refused it as ${why} (records older than 14 days or the group's retention, or more than 2 hours ahead, are not accepted)`,
            );
        }
      } catch (error) {
        // The reply may be lost after AWS stored the batch: check the stream before resending.
        this.verifyTail = true;
        if (isFailureNamed(error, 'ResourceNotFoundException')) this.destinationReady = false;
        throw error;
      }
    }
    if (endEntry === undefined) return cursor;
    const next: OutboxCursor = {
      gen: cursor.gen,
      offset: endEntry.end,
      seq: Number.isNaN(endEntry.seq) ? cursor.seq : endEntry.seq,
    };
    await this.outbox.saveCursor(next);
    this.state.lastSentSeq = next.seq;
    this.state.pending = remaining;
    return next;
  }

  /** The link of the last event AWS kept becomes the head; refused events are not in the stream. */
  private async saveHead(batch: LogEventBatch, refused: Set<number>): Promise<void> {
    const links = batch.links ?? [];
    for (let index = links.length - 1; index >= 0; index -= 1) {
      if (refused.has(index)) continue;
      this.head = links[index]!;
      await saveStreamHead(this.options.dir, this.options.streamName, this.head);
      return;
    }
  }

  private noteSkipped(entries: readonly OutboxEntry[], why: string): void {
    this.state.skipped += entries.length;
    const seqs = entries.map((entry) => (Number.isNaN(entry.seq) ? '?' : String(entry.seq)));
    const range = seqs.length === 1 ? `seq ${seqs[0]}` : `seq ${seqs[0]}–${seqs.at(-1)} (${seqs.length} records)`;
    this.options.log.warn(
      `Audit sink: not sending ${range} to ${this.options.logGroup}: ${why}; the local audit trail still has it.`,
    );
  }

  private onFailure(error: unknown): number {
    const failure = fromAwsError(error, `Sending audit records to CloudWatch Logs group ${this.options.logGroup}`);
    this.state.lastError = failure.message;
    this.attempt += 1;
    const transient = isTransientFailure(error) || isFailureNamed(error, 'ResourceNotFoundException');
    const maxMs = this.options.retryMaxMs ?? 300_000;
    const delay = transient
      ? getBackoffMs(this.attempt, this.options.retryBaseMs ?? 1_000, maxMs, this.options.random ?? Math.random)
      : maxMs;
    this.options.log.warn(
      `Audit sink: ${failure.message}; ${this.state.pending} records wait in the outbox, next try in ${Math.round(delay / 1000)} s.\n  ${describeCauses(error)}`,
    );
    return delay;
  }
}
