// The log groups of one account and region. A group holds streams with events written
// by PutLogEvents and, for the demo's groups, a generator: a pure function of time that
// yields the same events for the same window, so the demo's week costs nothing to keep.

export interface LogEvent {
  logStreamName: string;
  /** Epoch ms. */
  timestamp: number;
  ingestionTime: number;
  message: string;
  /** 56 digits, sortable: timestamp, stream, sequence. */
  eventId: string;
}

export interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
  storedBytes: number;
}

export interface LogGenerator {
  /** Events with from ≤ timestamp < to, sorted by eventId. */
  events(from: number, to: number): LogEvent[];
  /** Names of the streams that have events in [from, to). */
  streams(from: number, to: number): string[];
  /** A rough size of everything generated up to `now`, for storedBytes. */
  storedBytes(now: number): number;
}

export interface LogGroup {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  streams: Map<string, LogStream>;
  generator?: LogGenerator;
}

/** The 10-digit stream part of an eventId. */
export function streamDigits(streamName: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < streamName.length; i += 1) h = Math.imul(h ^ streamName.charCodeAt(i), 0x01000193);
  return String(h >>> 0).padStart(10, '0');
}

/** An eventId that sorts by (timestamp, stream, sequence); `sequence` is up to 30 digits. */
export function makeEventId(timestamp: number, streamName: string, sequence: string): string {
  return String(timestamp).padStart(16, '0') + streamDigits(streamName) + sequence.padStart(30, '0');
}

export function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();
  private sequence = 0;

  getGroup(name: string): LogGroup | undefined {
    return this.groups.get(name);
  }

  /** Every group sorted by name (DescribeLogGroups' order). */
  listGroups(): LogGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  addGroup(group: LogGroup): void {
    this.groups.set(group.name, group);
  }

  addStream(group: LogGroup, name: string, creationTime: number): LogStream {
    const stream: LogStream = { name, creationTime, events: [], storedBytes: 0 };
    group.streams.set(name, stream);
    return stream;
  }

  /** Appends events (already validated and in chronological order) to a stream. */
  append(stream: LogStream, events: readonly { timestamp: number; message: string }[], ingestionTime: number): void {
    for (const e of events) {
      this.sequence += 1;
      const event: LogEvent = {
        logStreamName: stream.name,
        timestamp: e.timestamp,
        ingestionTime,
        message: e.message,
        eventId: makeEventId(e.timestamp, stream.name, `9${String(this.sequence).padStart(20, '0')}`),
      };
      const list = stream.events;
      if (list.length === 0 || list[list.length - 1]!.eventId <= event.eventId) list.push(event);
      else list.splice(upperBound(list, event.eventId), 0, event);
      stream.storedBytes += Buffer.byteLength(e.message, 'utf8');
    }
  }

  /**
   * The group's events visible at `now` (ingested by then) with from ≤ timestamp < to,
   * from the streams `streamFilter` accepts, sorted by eventId.
   */
  readEvents(
    group: LogGroup,
    from: number,
    to: number,
    now: number,
    streamFilter: (name: string) => boolean,
  ): LogEvent[] {
    const out: LogEvent[] = [];
    if (group.generator) {
      for (const e of group.generator.events(from, to))
        if (e.ingestionTime <= now && streamFilter(e.logStreamName)) out.push(e);
    }
    for (const stream of group.streams.values()) {
      if (!streamFilter(stream.name)) continue;
      for (const e of stream.events) if (e.timestamp >= from && e.timestamp < to && e.ingestionTime <= now) out.push(e);
    }
    return out.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  }

  /** Names of the streams with events in [from, to). */
  streamNames(group: LogGroup, from: number, to: number): string[] {
    const names = new Set(group.generator ? group.generator.streams(from, to) : []);
    for (const s of group.streams.values()) names.add(s.name);
    return [...names].sort();
  }

  storedBytes(group: LogGroup, now: number): number {
    let total = group.generator ? group.generator.storedBytes(now) : 0;
    for (const s of group.streams.values()) total += s.storedBytes;
    return total;
  }
}

function upperBound(list: readonly LogEvent[], eventId: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.eventId <= eventId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
