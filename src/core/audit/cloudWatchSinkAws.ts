// The CloudWatch Logs calls the audit sink makes, and how it reads their failures:
// which are worth retrying soon (throttling, 5xx, the network) and which need a person.
import { type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { loadAwsSdk } from '../loadAwsSdk';
import { type RejectedInfo } from './cloudWatchSinkBatch';
import { emptyStreamHead, readLink, type StreamHead } from './orgChain';
import { type OutboxEntry } from './outbox';

export interface AuditDestination {
  logs: CloudWatchLogsClient;
  logGroup: string;
  streamName: string;
}

interface AwsFailure {
  name?: string;
  code?: string;
  $fault?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const retryableNames = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);

/** Throttling, a 5xx or a network failure: AWS may well take the same request shortly. */
export function isTransientFailure(error: unknown): boolean {
  const e = (error ?? {}) as AwsFailure;
  if (retryableNames.has(e.name ?? '') || networkCodes.has(e.code ?? '')) return true;
  if (e.$retryable !== undefined || e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

export function isFailureNamed(error: unknown, name: string): boolean {
  return ((error ?? {}) as AwsFailure).name === name;
}

/** Exponential with equal jitter: half the step is fixed, half random, capped at maxMs. */
export function getBackoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  return Math.round(step / 2 + random() * (step / 2));
}

async function createIgnoringExisting(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!isFailureNamed(error, 'ResourceAlreadyExistsException')) throw error;
  }
}

/**
 * Creates the group and the stream; either may exist already (another machine, an earlier
 * run). Writers usually may not create groups (the IAM kit grants only their streams): a
 * refused CreateLogGroup is left to CreateLogStream, which says if the group is missing.
 */
export async function ensureAuditDestination(destination: AuditDestination): Promise<void> {
  const { CreateLogGroupCommand, CreateLogStreamCommand } = await loadAwsSdk();
  const { logs, logGroup, streamName } = destination;
  await createIgnoringExisting(() => logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }))).catch(
    (error: unknown) => {
      if (!isFailureNamed(error, 'AccessDeniedException')) throw error;
    },
  );
  await createIgnoringExisting(() =>
    logs.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: streamName })),
  );
}

export async function putAuditEvents(
  destination: AuditDestination,
  events: { timestamp: number; message: string }[],
): Promise<RejectedInfo | undefined> {
  const { PutLogEventsCommand } = await loadAwsSdk();
  const output = await destination.logs.send(
    new PutLogEventsCommand({
      logGroupName: destination.logGroup,
      logStreamName: destination.streamName,
      logEvents: events,
    }),
  );
  return output.rejectedLogEventsInfo;
}

/** The record's identity in the stream: seq alone repeats if the local trail was ever reset. */
export function getRecordKey(seq: number, hash: string): string {
  return `${seq}:${hash}`;
}

/** What a read of our stream found: records already there, and the latest link of our chain. */
export interface StreamTail {
  delivered: Set<string>;
  head?: StreamHead;
}

/** Pages through our stream's events in [startTime, endTime); a stream or group not there yet is empty. */
async function readStream(
  destination: AuditDestination,
  range: { startTime?: number; endTime?: number },
): Promise<StreamTail> {
  const { FilterLogEventsCommand } = await loadAwsSdk();
  const tail: StreamTail = { delivered: new Set<string>() };
  let nextToken: string | undefined;
  do {
    let output;
    try {
      output = await destination.logs.send(
        new FilterLogEventsCommand({
          logGroupName: destination.logGroup,
          logStreamNames: [destination.streamName],
          ...range,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
    } catch (error) {
      // No group or stream yet: nothing was ever delivered.
      if (isFailureNamed(error, 'ResourceNotFoundException')) return tail;
      throw error;
    }
    for (const event of output.events ?? []) noteEvent(tail, destination.streamName, event.message);
    nextToken = output.nextToken;
  } while (nextToken);
  return tail;
}

/**
 * Which of `pending` the stream already holds: what a crash between a successful
 * PutLogEvents and saving the cursor (or a reply lost to the network) leaves behind, and
 * the stream's latest link among them. Reads only the stream's events in the pending
 * records' time span.
 */
export async function fetchDeliveredKeys(
  destination: AuditDestination,
  pending: readonly OutboxEntry[],
): Promise<StreamTail> {
  const times = pending.filter((entry) => !Number.isNaN(entry.seq)).map((entry) => entry.time);
  if (times.length === 0) return { delivered: new Set<string>() };
  // Timestamps sent are never earlier than a record's time nor later than the latest one.
  return readStream(destination, { startTime: Math.min(...times), endTime: Math.max(...times) + 1 });
}

/** The stream's latest link, read from the whole stream: only when no head was saved here. */
export async function fetchStreamHead(destination: AuditDestination): Promise<StreamHead> {
  return (await readStream(destination, {})).head ?? emptyStreamHead;
}

function noteEvent(tail: StreamTail, stream: string, message: string | undefined): void {
  const linked = readLink(message);
  const value = (linked ? linked.record : parseJson(message)) as { seq?: unknown; hash?: unknown } | undefined;
  if (typeof value?.seq === 'number' && typeof value.hash === 'string')
    tail.delivered.add(getRecordKey(value.seq, value.hash));
  const link = linked?.link;
  if (link && link.name === stream && link.seq > (tail.head?.seq ?? 0)) tail.head = { seq: link.seq, hash: link.hash };
}

function parseJson(message: string | undefined): unknown {
  try {
    return JSON.parse(message ?? '') as unknown;
  } catch {
    return undefined;
  }
}
