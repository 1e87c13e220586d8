// Cutting the outbox into PutLogEvents batches within AWS's limits: at most 10,000
// events and 1,048,576 bytes (each message's UTF-8 bytes plus 26), timestamps in
// chronological order, spanning less than 24 hours.
import { type OutboxEntry } from './outbox';

export const maxBatchEvents = 10_000;
export const maxBatchBytes = 1_048_576;
export const eventOverheadBytes = 26;
export const maxBatchSpanMs = 24 * 3_600_000;

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  maxSpanMs: number;
}

export const awsBatchLimits: BatchLimits = { maxEvents: maxBatchEvents, maxBytes: maxBatchBytes, maxSpanMs: maxBatchSpanMs };

export interface LogEventBatch {
  /** What PutLogEvents gets, in order. */
  events: { timestamp: number; message: string }[];
  /** The outbox entries behind `events`, same order. */
  entries: OutboxEntry[];
  /** Entries passed over without sending: unreadable, oversized or already delivered. */
  passed: { entry: OutboxEntry; why: 'unreadable' | 'oversized' | 'delivered' }[];
  /** Index of the first entry not consumed. */
  next: number;
}

export function getEventBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8') + eventOverheadBytes;
}

/**
 * The longest run from `start` that fits the limits. A record's timestamp is its time,
 * held back-to-back with the one before if the clock stepped back (two windows, NTP), so
 * the run stays chronological in outbox order; the message keeps the true time.
 */
export function takeLogEventBatch(
  entries: readonly OutboxEntry[],
  start: number,
  isDelivered: (entry: OutboxEntry) => boolean,
  limits: BatchLimits = awsBatchLimits,
): LogEventBatch {
  const batch: LogEventBatch = { events: [], entries: [], passed: [], next: start };
  let bytes = 0;
  for (let i = start; i < entries.length; i += 1) {
    const entry = entries[i]!;
    const size = getEventBytes(entry.line);
    const why = Number.isNaN(entry.seq) ? 'unreadable' : size > limits.maxBytes ? 'oversized' : isDelivered(entry) ? 'delivered' : undefined;
    if (why !== undefined) {
      batch.passed.push({ entry, why });
      batch.next = i + 1;
      continue;
    }
    const previous = batch.events.at(-1)?.timestamp;
    const timestamp = previous === undefined ? entry.time : Math.max(previous, entry.time);
    const first = batch.events[0]?.timestamp ?? timestamp;
    if (batch.events.length >= limits.maxEvents || bytes + size > limits.maxBytes || timestamp - first >= limits.maxSpanMs) break;
    batch.events.push({ timestamp, message: entry.line });
    batch.entries.push(entry);
    bytes += size;
    batch.next = i + 1;
  }
  return batch;
}

export interface RejectedInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

/** Which events of a sent batch CloudWatch Logs refused, and why (indexes as AWS gives them). */
export function getRejectedEvents(count: number, info: RejectedInfo | undefined): { index: number; why: 'too old' | 'expired' | 'too new' }[] {
  if (info === undefined) return [];
  const out: { index: number; why: 'too old' | 'expired' | 'too new' }[] = [];
  for (let index = 0; index < count; index += 1) {
    if (info.tooNewLogEventStartIndex !== undefined && index >= info.tooNewLogEventStartIndex) out.push({ index, why: 'too new' });
    else if (info.expiredLogEventEndIndex !== undefined && index <= info.expiredLogEventEndIndex) out.push({ index, why: 'expired' });
    else if (info.tooOldLogEventEndIndex !== undefined && index <= info.tooOldLogEventEndIndex) out.push({ index, why: 'too old' });
  }
  return out;
}
