// Turns a log profile (how often a group logs, what a normal line and an incident line
// look like) into a LogGenerator: events are a pure function of their time slot.

import { hash32, seedOf } from './model';
import { makeEventId, type LogEvent, type LogGenerator } from '../logs/store';

export interface LineContext {
  /** Epoch ms of the (first) line. */
  t: number;
  /** Deterministic pseudo-random integer for the k-th choice of this slot. */
  pick(k: number): number;
  /** A deterministic lower-case hex id of `length` chars for the k-th choice. */
  hex(k: number, length: number): string;
}

export interface LogProfile {
  /** Names of the group's streams on the UTC day with index `day` (epoch days). */
  streams(day: number): string[];
  /** Minutes between ordinary lines (one slot each). */
  everyMinutes: number;
  /** The ordinary lines of a slot (several lines share the slot, 1 ms apart). */
  normal(c: LineContext): string[];
  /** Seconds between incident lines, and the incident lines. */
  incidentEverySeconds?: number;
  incident?(c: LineContext): string[];
  /** Minutes of the UTC day the group logs in [from, to), e.g. a nightly job. */
  activeMinutes?: [number, number];
}

export interface GeneratorWindow {
  /** No events before this (the demo's history begins here). */
  dataFrom: number;
  incidentStart: number;
  incidentEnd: number;
}

const dayMs = 86_400_000;
const minuteMs = 60_000;

function makeContext(seed: number, slot: number, t: number): LineContext {
  const pick = (k: number): number => hash32(seed ^ hash32(k, 0x51ed), slot);
  const hex = (k: number, length: number): string => {
    let s = '';
    for (let i = 0; s.length < length; i += 1)
      s += pick(k * 97 + i)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, length);
  };
  return { t, pick, hex };
}

function isActive(profile: LogProfile, t: number): boolean {
  if (!profile.activeMinutes) return true;
  const minuteOfDay = Math.floor((t % dayMs) / minuteMs);
  return minuteOfDay >= profile.activeMinutes[0] && minuteOfDay < profile.activeMinutes[1];
}

/** Emits the lines of one slot as events (kind 1: ordinary, 2: incident). */
function emitSlot(
  profile: LogProfile,
  seed: number,
  kind: 1 | 2,
  slot: number,
  t: number,
  out: LogEvent[],
  from: number,
  to: number,
): void {
  const c = makeContext(seed ^ kind, slot, t);
  const lines = kind === 1 ? profile.normal(c) : (profile.incident?.(c) ?? []);
  const day = Math.floor(t / dayMs);
  const streams = profile.streams(day);
  const stream = streams[c.pick(999) % streams.length]!;
  lines.forEach((message, i) => {
    const timestamp = t + i;
    if (timestamp < from || timestamp >= to) return;
    const sequence = `${kind}${String(slot).padStart(20, '0')}${String(i).padStart(9, '0')}`;
    out.push({
      logStreamName: stream,
      timestamp,
      ingestionTime: timestamp + 150 + (c.pick(998) % 850),
      message,
      eventId: makeEventId(timestamp, stream, sequence),
    });
  });
}

export function createLogGenerator(name: string, profile: LogProfile, w: GeneratorWindow): LogGenerator {
  const seed = seedOf(name);
  const slotMs = profile.everyMinutes * minuteMs;
  const incidentMs = (profile.incidentEverySeconds ?? 0) * 1000;
  const events = (fromArg: number, to: number): LogEvent[] => {
    const from = Math.max(fromArg, w.dataFrom);
    const out: LogEvent[] = [];
    if (from >= to) return out;
    // A slot's lines start up to one slot after the slot boundary, so begin one slot early.
    for (let slot = Math.floor(from / slotMs) - 1; slot * slotMs < to; slot += 1) {
      const t = slot * slotMs + (hash32(seed, slot) % slotMs);
      if (t >= w.dataFrom && isActive(profile, t)) emitSlot(profile, seed, 1, slot, t, out, from, to);
    }
    if (incidentMs > 0 && profile.incident) {
      const first = Math.max(0, Math.floor((from - w.incidentStart) / incidentMs) - 1);
      for (let k = first; w.incidentStart + k * incidentMs < Math.min(to, w.incidentEnd); k += 1) {
        const t = w.incidentStart + k * incidentMs + (hash32(seed ^ 7, k) % Math.max(1, incidentMs >> 1));
        if (t < w.incidentEnd) emitSlot(profile, seed, 2, k, t, out, from, to);
      }
    }
    return out.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  };
  const streams = (from: number, to: number): string[] => {
    const names = new Set<string>();
    const first = Math.floor(Math.max(from, w.dataFrom) / dayMs);
    for (let day = first; day * dayMs < to && day - first < 400; day += 1)
      for (const s of profile.streams(day)) names.add(s);
    return [...names].sort();
  };
  // About 180 bytes per slot line is close enough for DescribeLogGroups' storedBytes.
  const storedBytes = (now: number): number => Math.max(0, Math.round(((now - w.dataFrom) / slotMs) * 180));
  return { events, streams, storedBytes };
}
