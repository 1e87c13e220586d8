// PutLogEvents with AWS's limits: ≤ 10,000 events, ≤ 1,048,576 bytes counting 26 bytes
// per event, chronological order, a span of ≤ 24 hours; events more than 14 days old (or
// older than the retention) or more than 2 hours ahead are rejected, not stored. The
// sequence token is accepted and ignored, as AWS has done since January 2023.

import type { CallContext } from '../server/types';
import type { Loose } from '../cloudwatch/input';
import type { World } from '../demo/world';
import { authorizeLogs } from './groups';
import { checkGroupName, checkStreamName, invalidParameter, notFound, reqString } from './input';

export const maxEventsPerBatch = 10_000;
export const maxBatchBytes = 1_048_576;
export const perEventOverheadBytes = 26;
const dayMs = 86_400_000;
const twoHoursMs = 2 * 3_600_000;

interface InputEvent {
  timestamp: number;
  message: string;
}

function parseEvents(raw: Loose): InputEvent[] {
  const list = raw['logEvents'];
  if (!Array.isArray(list) || list.length === 0) throw invalidParameter('logEvents must contain at least one event.');
  if (list.length > maxEventsPerBatch)
    throw invalidParameter(`A batch may hold at most ${maxEventsPerBatch} log events; got ${list.length}.`);
  let bytes = 0;
  const events = list.map((item, i) => {
    const e = (item ?? {}) as Loose;
    const timestamp = e['timestamp'];
    const message = e['message'];
    if (typeof timestamp !== 'number' || !Number.isInteger(timestamp))
      throw invalidParameter(`logEvents.${i + 1}.member.timestamp must be epoch milliseconds.`);
    if (typeof message !== 'string' || message.length === 0)
      throw invalidParameter(`logEvents.${i + 1}.member.message must be a non-empty string.`);
    bytes += Buffer.byteLength(message, 'utf8') + perEventOverheadBytes;
    return { timestamp, message };
  });
  if (bytes > maxBatchBytes)
    throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${maxBatchBytes}`);
  for (let i = 1; i < events.length; i += 1) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  if (events[events.length - 1]!.timestamp - events[0]!.timestamp > dayMs) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  return events;
}

/** Which events are rejected, as rejectedLogEventsInfo indexes (events are in time order). */
export function classifyEvents(
  events: readonly InputEvent[],
  now: number,
  retentionInDays?: number,
): {
  accepted: InputEvent[];
  info?: { tooNewLogEventStartIndex?: number; tooOldLogEventEndIndex?: number; expiredLogEventEndIndex?: number };
} {
  const tooOld = now - 14 * dayMs;
  const expired = retentionInDays === undefined ? -Infinity : now - retentionInDays * dayMs;
  const tooNew = now + twoHoursMs;
  const info: { tooNewLogEventStartIndex?: number; tooOldLogEventEndIndex?: number; expiredLogEventEndIndex?: number } =
    {};
  const accepted: InputEvent[] = [];
  events.forEach((e, i) => {
    if (e.timestamp < expired) info.expiredLogEventEndIndex = i;
    if (e.timestamp < tooOld) info.tooOldLogEventEndIndex = i;
    if (e.timestamp > tooNew && info.tooNewLogEventStartIndex === undefined) info.tooNewLogEventStartIndex = i;
    if (e.timestamp >= tooOld && e.timestamp >= expired && e.timestamp <= tooNew) accepted.push(e);
  });
  return Object.keys(info).length > 0 ? { accepted, info } : { accepted };
}

export function putLogEvents(world: World, raw: Loose, ctx: CallContext): Loose {
  const groupName = checkGroupName(reqString(raw, 'logGroupName'));
  const streamName = checkStreamName(reqString(raw, 'logStreamName'));
  authorizeLogs(ctx, world, 'PutLogEvents', groupName);
  const events = parseEvents(raw);
  const group = world.logs.getGroup(groupName);
  if (!group) throw notFound('log group');
  const stream = group.streams.get(streamName);
  if (!stream) throw notFound('log stream');
  const { accepted, info } = classifyEvents(events, ctx.now, group.retentionInDays);
  world.logs.append(stream, accepted, ctx.now);
  const out: Loose = { nextSequenceToken: String(ctx.now).padStart(56, '0') };
  if (info) out['rejectedLogEventsInfo'] = info;
  return out;
}
