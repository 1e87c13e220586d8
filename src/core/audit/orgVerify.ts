// Verifying the organisation's log group per writer, as the admin panel reads it. A record
// counts as verified only when its event sits in a stream named for a principal, links to
// the previous event of that stream (orgChain.ts), and its actor is that principal (or a
// just-in-time session the principal started). Anything else is still shown, marked
// unverified with the reason, never as a normal record.
//
// What this cannot catch: the owner of a stream (anyone holding that principal's
// credentials) can write a well-linked event to it; and where IAM does not pin writers to
// their streams (role sessions, see orgStreams.ts) a writer can start a stream named for
// another session. Events CloudWatch Logs expired (retention) or refused leave a gap: the
// first event after it is flagged, the rest of the stream verifies from there.
import { genesisHash, getRecordHash } from './chain';
import { auditRecordSchema, type AuditRecord } from './events';
import { readLink, getLinkHash, type StreamLink } from './orgChain';
import { describeStreamOwner, isActorOfOwner, parseAuditStreamName } from './orgStreams';

export type OrgVerification = { ok: true; stream: string } | { ok: false; stream: string; reason: string };

export type VerifiedOrgRecord = AuditRecord & { verification: OrgVerification };

export interface OrgEvent {
  eventId?: string;
  timestamp?: number;
  /** The stream the event was read from (FilterLogEvents' logStreamName). */
  stream?: string;
  message?: string;
}

export interface OrgRead {
  records: VerifiedOrgRecord[];
  notes: { where: string; message: string }[];
}

interface Linked {
  record: AuditRecord;
  link?: StreamLink;
}

type Parsed = Linked | { problem: string };

function parseRecord(value: unknown): AuditRecord | string {
  const parsed = auditRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `not an audit record (${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'})`;
  }
  if (getRecordHash(parsed.data) !== parsed.data.hash)
    return `seq ${parsed.data.seq} does not match its hash (altered?)`;
  return parsed.data;
}

function parseEvent(message: string): Parsed {
  const linked = readLink(message);
  let value: unknown = linked?.record;
  if (!linked) {
    try {
      value = JSON.parse(message);
    } catch {
      return { problem: 'not JSON' };
    }
  }
  const record = parseRecord(value);
  if (typeof record === 'string') return { problem: record };
  return linked ? { record, link: linked.link } : { record };
}

/** Why the events of one stream do or do not verify, in stream order. */
function verifyStream(stream: string, events: Linked[]): VerifiedOrgRecord[] {
  const owner = parseAuditStreamName(stream);
  const fail = (record: AuditRecord, reason: string): VerifiedOrgRecord => ({
    ...record,
    verification: { ok: false, stream, reason },
  });
  if (!owner)
    return events.map((e) =>
      fail(e.record, `stream "${stream}" is not named for a principal (<account>/user/<name>/<machine> or the like)`),
    );
  const linked = events.filter((e): e is Required<Linked> => e.link !== undefined);
  const bySeq = new Map<number, Set<string>>();
  for (const { link } of linked) bySeq.set(link.seq, (bySeq.get(link.seq) ?? new Set()).add(link.hash));
  const seen = new Set<string>();
  const out: VerifiedOrgRecord[] = [];
  for (const { record, link } of events) {
    if (link === undefined) {
      out.push(fail(record, 'no stream link: not written by this version of InfraWatch (or written by hand)'));
      continue;
    }
    // The same event sent twice (a reply lost after AWS stored it) is one record.
    if (seen.has(link.hash)) continue;
    seen.add(link.hash);
    const reason =
      getLinkProblem(stream, record, link, bySeq) ??
      (isActorOfOwner(record.actor, owner)
        ? undefined
        : `actor ${record.actor} is not the stream's owner (${describeStreamOwner(owner)})`);
    out.push(reason === undefined ? { ...record, verification: { ok: true, stream } } : fail(record, reason));
  }
  return out;
}

function getLinkProblem(
  stream: string,
  record: AuditRecord,
  link: StreamLink,
  bySeq: Map<number, Set<string>>,
): string | undefined {
  if (link.name !== stream) return `its link names stream "${link.name}": copied from another stream`;
  if (getLinkHash(record, link) !== link.hash) return `stream link ${link.seq} does not match its hash (altered?)`;
  if ((bySeq.get(link.seq)?.size ?? 0) > 1)
    return `stream link ${link.seq} is claimed by more than one record (a fork)`;
  if (link.seq === 1)
    return link.prevHash === genesisHash ? undefined : 'stream link 1 does not start from the genesis hash';
  const previous = bySeq.get(link.seq - 1);
  if (previous === undefined)
    return `stream link ${link.seq - 1} before it is missing (expired, refused, not read, or never written by the owner)`;
  return previous.has(link.prevHash) ? undefined : `broken link: it does not follow stream link ${link.seq - 1}`;
}

/** The group's events, each readable record once, with its verification; unreadable events become notes. */
export function verifyOrgEvents(events: readonly OrgEvent[]): OrgRead {
  const out: OrgRead = { records: [], notes: [] };
  const streams = new Map<string, Linked[]>();
  events.forEach((event, index) => {
    const where = `event ${event.eventId ?? `#${index + 1}`}`;
    const message = event.message?.trim();
    if (!message) {
      out.notes.push({ where, message: 'empty message' });
      return;
    }
    const parsed = parseEvent(message);
    if ('problem' in parsed) {
      out.notes.push({ where, message: parsed.problem });
      return;
    }
    const stream = event.stream ?? '';
    const list = streams.get(stream);
    if (list) list.push(parsed);
    else streams.set(stream, [parsed]);
  });
  for (const [stream, list] of streams) out.records.push(...verifyStream(stream, list));
  return out;
}
