// LookupEvents over the recorded events, by the rules of
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html and
// the shapes of botocore's cloudtrail 2013-11-01 model (LookupEventsRequest/Response, Event):
// - at most one lookup attribute, its key one of the eight the API names, its value
//   1–2,000 characters (InvalidLookupAttributesException);
// - StartTime/EndTime bound the events inclusively, a start after the end is
//   InvalidTimeRangeException, and only the last 90 days can be looked up;
// - MaxResults 1–50, default 50 (InvalidMaxResultsException);
// - newest first; NextToken only while more remain, and it must come back with the same
//   parameters (InvalidNextTokenException);
// - EventCategory "insight" asks for Insights events (this endpoint has none); any other
//   value is InvalidEventCategoryException.
// Timestamps travel as epoch seconds (awsJson).

import { createHash } from 'node:crypto';
import type { TrailEvent } from './store';
import { AwsError } from '../server/types';

const attributeKeys = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type AttributeKey = (typeof attributeKeys)[number];
const historyMs = 90 * 24 * 3600 * 1000;

interface LookupInput {
  attribute?: { key: AttributeKey; value: string };
  start?: number;
  end?: number;
  insight: boolean;
  maxResults: number;
  nextToken?: string;
  /** The parameters a NextToken is bound to. */
  key: string;
}

function epochSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AwsError('SerializationException', `${name} must be a timestamp in epoch seconds`);
  return value * 1000;
}

function readAttribute(raw: unknown): LookupInput['attribute'] {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new AwsError('SerializationException', 'LookupAttributes must be a list');
  if (raw.length === 0) return undefined;
  if (raw.length > 1)
    throw new AwsError('InvalidLookupAttributesException', 'You cannot have more than 1 lookup attribute.');
  const { AttributeKey: key, AttributeValue: value } = (raw[0] ?? {}) as {
    AttributeKey?: unknown;
    AttributeValue?: unknown;
  };
  if (typeof key !== 'string' || !(attributeKeys as readonly string[]).includes(key)) {
    throw new AwsError(
      'InvalidLookupAttributesException',
      `Invalid attribute key: ${String(key)}. Valid keys are ${attributeKeys.join(', ')}.`,
    );
  }
  if (typeof value !== 'string' || value.length < 1 || value.length > 2000) {
    throw new AwsError(
      'InvalidLookupAttributesException',
      'The attribute value must be between 1 and 2000 characters.',
    );
  }
  return { key: key as AttributeKey, value };
}

export function readLookupInput(input: Record<string, unknown>): LookupInput {
  const attribute = readAttribute(input.LookupAttributes);
  const start = epochSeconds(input.StartTime, 'StartTime');
  const end = epochSeconds(input.EndTime, 'EndTime');
  if (start !== undefined && end !== undefined && start > end)
    throw new AwsError('InvalidTimeRangeException', 'Start time must be before end time.');
  const category = input.EventCategory;
  if (category !== undefined && category !== 'insight')
    throw new AwsError('InvalidEventCategoryException', `Invalid event category: ${String(category)}`);
  const max = input.MaxResults ?? 50;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50)
    throw new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  const nextToken = input.NextToken;
  if (nextToken !== undefined && typeof nextToken !== 'string')
    throw new AwsError('SerializationException', 'NextToken must be a string');
  const key = createHash('sha256')
    .update(JSON.stringify([attribute ?? null, start ?? null, end ?? null, category ?? null]))
    .digest('hex')
    .slice(0, 16);
  return { attribute, start, end, insight: category === 'insight', maxResults: max, nextToken, key };
}

function matches(event: TrailEvent, attribute: LookupInput['attribute']): boolean {
  if (!attribute) return true;
  const { value } = attribute;
  switch (attribute.key) {
    case 'EventId':
      return event.eventId === value;
    case 'EventName':
      return event.eventName === value;
    case 'ReadOnly':
      return String(event.readOnly) === value;
    case 'Username':
      return event.username === value;
    case 'EventSource':
      return event.eventSource === value;
    case 'AccessKeyId':
      return event.accessKeyId === value;
    case 'ResourceType':
      return event.resources.some((r) => r.ResourceType === value);
    case 'ResourceName':
      return event.resources.some((r) => r.ResourceName === value);
  }
}

interface Cursor {
  k: string;
  t: number;
  s: number;
}

function encodeToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeToken(token: string, key: string): Cursor {
  let cursor: Partial<Cursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    cursor = undefined;
  }
  if (!cursor || cursor.k !== key || typeof cursor.t !== 'number' || typeof cursor.s !== 'number') {
    throw new AwsError(
      'InvalidNextTokenException',
      'Invalid NextToken: it is not valid or was used with different parameters.',
    );
  }
  return cursor as Cursor;
}

/** Newest first: later time, then later insertion. */
function newerFirst(a: TrailEvent, b: TrailEvent): number {
  return b.time - a.time || b.seq - a.seq;
}

export function lookupEvents(
  events: readonly TrailEvent[],
  input: LookupInput,
  scope: { accountId: string; region: string; now: number },
): Record<string, unknown> {
  const cursor = input.nextToken === undefined ? undefined : decodeToken(input.nextToken, input.key);
  const from = Math.max(input.start ?? 0, scope.now - historyMs);
  const to = input.end ?? scope.now;
  const selected = input.insight
    ? []
    : events
        .filter(
          (e) =>
            e.accountId === scope.accountId &&
            e.region === scope.region &&
            e.time >= from &&
            e.time <= to &&
            matches(e, input.attribute),
        )
        .filter((e) => !cursor || e.time < cursor.t || (e.time === cursor.t && e.seq < cursor.s))
        .sort(newerFirst);
  const page = selected.slice(0, input.maxResults);
  const last = page[page.length - 1];
  return {
    Events: page.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      AccessKeyId: e.accessKeyId,
      EventTime: e.time / 1000,
      EventSource: e.eventSource,
      Username: e.username,
      Resources: e.resources,
      CloudTrailEvent: e.cloudTrailEvent,
    })),
    ...(selected.length > page.length && last
      ? { NextToken: encodeToken({ k: input.key, t: last.time, s: last.seq }) }
      : {}),
  };
}
