// Cutting the outbox into PutLogEvents batches within AWS's limits: at most 10,000
// events and 1,048,576 bytes (each message's UTF-8 bytes plus 26), timestamps in
// chronological order, spanning less than 24 hours. With a stream chain, each message is
// the record linked to the one before it in the stream (orgChain.ts), sized as sent.
import { linkRecordLine, type StreamHead } from './orgChain';
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

export const awsBatchLimits: BatchLimits = {
  maxEvents: maxBatchEvents,
  maxBytes: maxBatchBytes,
  maxSpanMs: maxBatchSpanMs,
};

export interface LogEventBatch {
  /** What PutLogEvents gets, in order. */
  events: { timestamp: number; message: string }[];
  /** The outbox entries behind `events`, same order. */
  entries: OutboxEntry[];
  /** Entries passed over without sending: unreadable, oversized or already delivered. */
  passed: { entry: OutboxEntry; why: 'unreadable' | 'oversized' | 'delivered' }[];
  /** Index of the first entry not consumed. */
  next: number;
  /** With a chain: the stream's head after each event of `events`, same order. */
  links?: StreamHead[];
}

/** The stream the batch goes to and its head before the batch: messages are linked into it. */
export interface BatchChain {
  stream: string;
  head: StreamHead;
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
  chain?: BatchChain,
): LogEventBatch {
  const batch: LogEventBatch = { events: [], entries: [], passed: [], next: start, ...(chain ? { links: [] } : {}) };
  let bytes = 0;
  for (let i = start; i < entries.length; i += 1) {
    const entry = entries[i]!;
    const linked =
      chain && !Number.isNaN(entry.seq)
        ? linkRecordLine(entry.line, chain.stream, batch.links?.at(-1) ?? chain.head)
        : undefined;
    const message = linked?.message ?? entry.line;
    const size = getEventBytes(message);
    const why = Number.isNaN(entry.seq)
      ? 'unreadable'
      : size > limits.maxBytes
        ? 'oversized'
        : isDelivered(entry)
          ? 'delivered'
          : undefined;
    if (why !== undefined) {
      batch.passed.push({ entry, why });
      batch.next = i + 1;
      continue;
    }
    const previous = batch.events.at(-1)?.timestamp;
    const timestamp = previous === undefined ? entry.time : Math.max(previous, entry.time);
    const first = batch.events[0]?.timestamp ?? timestamp;
    if (
      batch.events.length >= limits.maxEvents ||
      bytes + size > limits.maxBytes ||
      timestamp - first >= limits.maxSpanMs
    )
      break;
    batch.events.push({ timestamp, message });
    batch.entries.push(entry);
    if (linked) batch.links?.push(linked.head);
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
export function getRejectedEvents(
  count: number,
  info: RejectedInfo | undefined,
): { index: number; why: 'too old' | 'expired' | 'too new' }[] {
  if (info === undefined) return [];
  const out: { index: number; why: 'too old' | 'expired' | 'too new' }[] = [];
  for (let index = 0; index < count; index += 1) {
    if (info.tooNewLogEventStartIndex !== undefined && index >= info.tooNewLogEventStartIndex)
      out.push({ index, why: 'too new' });
    else if (info.expiredLogEventEndIndex !== undefined && index <= info.expiredLogEventEndIndex)
      out.push({ index, why: 'expired' });
    else if (info.tooOldLogEventEndIndex !== undefined && index <= info.tooOldLogEventEndIndex)
      out.push({ index, why: 'too old' });
  }
  return out;
}
