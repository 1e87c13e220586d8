// FilterLogEvents: one group's events in a time range, from chosen streams, matching a
// filter pattern, oldest first, `limit` (≤ 10,000) a page. The token remembers the last
// eventId returned, so events that arrive later still show up on the next page.

import type { CallContext } from '../server/types';
import { decodeToken, encodeToken, type Loose } from '../cloudwatch/input';
import { seedOf } from '../demo/model';
import type { World } from '../demo/world';
import { compileFilterPattern } from './filter';
import { authorizeLogs } from './groups';
import { invalidParameter, notFound, optInteger, optString, optStringList, readGroupName } from './input';

export const maxFilterLimit = 10_000;

interface FilterInput {
  groupName: string;
  streamNames?: string[];
  streamPrefix?: string;
  start: number;
  end: number;
  pattern?: string;
  limit: number;
  nextToken?: string;
}

function parse(raw: Loose): FilterInput {
  const groupName = readGroupName(raw);
  const streamNames = optStringList(raw, 'logStreamNames');
  const streamPrefix = optString(raw, 'logStreamNamePrefix');
  if (streamNames !== undefined && streamPrefix !== undefined) {
    throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  if (streamNames !== undefined && (streamNames.length < 1 || streamNames.length > 100)) {
    throw invalidParameter('logStreamNames must name between 1 and 100 streams.');
  }
  const input: FilterInput = {
    groupName,
    start: optInteger(raw, 'startTime', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    end: optInteger(raw, 'endTime', 0, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER,
    limit: optInteger(raw, 'limit', 1, maxFilterLimit) ?? maxFilterLimit,
  };
  if (input.start > input.end) throw invalidParameter('startTime must be less than or equal to endTime.');
  const pattern = optString(raw, 'filterPattern');
  const nextToken = optString(raw, 'nextToken');
  if (streamNames) input.streamNames = streamNames;
  if (streamPrefix !== undefined) input.streamPrefix = streamPrefix;
  if (pattern !== undefined) input.pattern = pattern;
  if (nextToken) input.nextToken = nextToken;
  return input;
}

function streamFilter(input: FilterInput): (name: string) => boolean {
  if (input.streamNames) {
    const names = new Set(input.streamNames);
    return (name) => names.has(name);
  }
  const prefix = input.streamPrefix;
  return prefix === undefined ? () => true : (name) => name.startsWith(prefix);
}

export function filterLogEvents(world: World, raw: Loose, ctx: CallContext): Loose {
  const input = parse(raw);
  authorizeLogs(ctx, world, 'FilterLogEvents', input.groupName);
  const group = world.logs.getGroup(input.groupName);
  if (!group) throw notFound('log group');
  const matches = compileFilterPattern(input.pattern);
  const hash = seedOf(
    JSON.stringify([
      input.groupName,
      input.streamNames,
      input.streamPrefix,
      input.start,
      input.end,
      input.pattern ?? '',
    ]),
  );
  const after =
    input.nextToken === undefined
      ? ''
      : decodeToken<{ a: string; h: number }>(
          input.nextToken,
          (t) => typeof t.a === 'string' && t.h === hash,
          () =>
            invalidParameter(
              'The specified nextToken is invalid: repeat the same group, streams, times and pattern with it.',
            ),
        ).a;
  const accept = streamFilter(input);
  const end = Math.min(input.end, ctx.now);
  const events: Loose[] = [];
  let more = false;
  for (const e of world.logs.readEvents(group, input.start, end + 1, ctx.now, accept)) {
    if (e.eventId <= after || !matches(e.message)) continue;
    if (events.length === input.limit) {
      more = true;
      break;
    }
    events.push({
      logStreamName: e.logStreamName,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: e.eventId,
    });
  }
  const searched = world.logs.streamNames(group, input.start, end + 1).filter(accept);
  const out: Loose = {
    events,
    searchedLogStreams: searched.map((logStreamName) => ({ logStreamName, searchedCompletely: !more })),
  };
  if (more) out['nextToken'] = encodeToken({ a: events[events.length - 1]!['eventId'], h: hash });
  return out;
}
