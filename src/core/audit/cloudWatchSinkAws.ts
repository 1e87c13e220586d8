// The CloudWatch Logs calls the audit sink makes, and how it reads their failures:
// which are worth retrying soon (throttling, 5xx, the network) and which need a person.
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { type RejectedInfo } from './cloudWatchSinkBatch';
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
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException',
  'ServiceUnavailableException', 'ServiceUnavailable', 'InternalFailure', 'InternalServerError', 'RequestTimeout',
  'RequestTimeoutException', 'TimeoutError', 'AbortError',
]);
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);

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

/** Creates the group and the stream; either may exist already (another machine, an earlier run). */
export async function ensureAuditDestination(destination: AuditDestination): Promise<void> {
  const { logs, logGroup, streamName } = destination;
  await createIgnoringExisting(() => logs.send(new CreateLogGroupCommand({ logGroupName: logGroup })));
  await createIgnoringExisting(() => logs.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: streamName })));
}

export async function putAuditEvents(destination: AuditDestination, events: { timestamp: number; message: string }[]): Promise<RejectedInfo | undefined> {
  const output = await destination.logs.send(new PutLogEventsCommand({
    logGroupName: destination.logGroup,
    logStreamName: destination.streamName,
    logEvents: events,
  }));
  return output.rejectedLogEventsInfo;
}

/** The record's identity in the stream: seq alone repeats if the local trail was ever reset. */
export function getRecordKey(seq: number, hash: string): string {
  return `${seq}:${hash}`;
}

/**
 * Which of `pending` the stream already holds: what a crash between a successful
 * PutLogEvents and saving the cursor (or a reply lost to the network) leaves behind.
 * Reads only the stream's events in the pending records' time span.
 */
export async function fetchDeliveredKeys(destination: AuditDestination, pending: readonly OutboxEntry[]): Promise<Set<string>> {
  const times = pending.filter((entry) => !Number.isNaN(entry.seq)).map((entry) => entry.time);
  const delivered = new Set<string>();
  if (times.length === 0) return delivered;
  const startTime = Math.min(...times);
  // Timestamps sent are never earlier than a record's time nor later than the latest one.
  const endTime = Math.max(...times) + 1;
  let nextToken: string | undefined;
  do {
    let output;
    try {
      output = await destination.logs.send(new FilterLogEventsCommand({
        logGroupName: destination.logGroup,
        logStreamNames: [destination.streamName],
        startTime,
        endTime,
        ...(nextToken ? { nextToken } : {}),
      }));
    } catch (error) {
      // No group or stream yet: nothing was ever delivered.
      if (isFailureNamed(error, 'ResourceNotFoundException')) return delivered;
      throw error;
    }
    for (const event of output.events ?? []) {
      const key = getDeliveredKey(event.message);
      if (key !== undefined) delivered.add(key);
    }
    nextToken = output.nextToken;
  } while (nextToken);
  return delivered;
}

function getDeliveredKey(message: string | undefined): string | undefined {
  try {
    const value = JSON.parse(message ?? '') as { seq?: unknown; hash?: unknown };
    return typeof value.seq === 'number' && typeof value.hash === 'string' ? getRecordKey(value.seq, value.hash) : undefined;
  } catch {
    return undefined;
  }
}
