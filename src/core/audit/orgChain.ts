// The hash chain of one organisation stream. The local trail's own chain cannot serve: a
// machine's trail holds records that never reach the group (before sign-in, another
// profile's), so consecutive records of one stream would not link. Each log event is
//
//   {"record": <the local record, unchanged>, "stream": {"name", "seq", "prevHash", "hash"}}
//
// where stream.seq counts the stream's events from 1, prevHash is the previous event's
// stream hash (64 zeros for the first) and hash = sha256(prevHash + canonical JSON of the
// event without stream.hash). The stream name is inside the hash, so a link copied into
// another stream does not verify there.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { lazySchema, once } from '../../shared/lazySchema';
import { genesisHash, getCanonicalJson } from './chain';

export interface StreamHead {
  /** seq of the stream's last event; 0 before the first. */
  seq: number;
  hash: string;
}

export interface StreamLink {
  name: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export const emptyStreamHead: StreamHead = { seq: 0, hash: genesisHash };

const getHashText = once(() => z.string().regex(/^[0-9a-f]{64}$/));
const getStreamLinkSchema = once(() =>
  z.strictObject({
    name: z.string().min(1).max(512),
    seq: z.number().int().min(1),
    prevHash: getHashText(),
    hash: getHashText(),
  }),
);
export const streamLinkSchema = lazySchema(getStreamLinkSchema);

/** An event as sent: the record unparsed, so its own checks (schema, self-hash) stay the reader's. */
const getLinkedEventSchema = once(() => z.strictObject({ record: z.unknown(), stream: getStreamLinkSchema() }));
export const linkedEventSchema = lazySchema(getLinkedEventSchema);

export function getLinkHash(record: unknown, link: Omit<StreamLink, 'hash'>): string {
  const unhashed = { record, stream: { name: link.name, seq: link.seq, prevHash: link.prevHash } };
  return createHash('sha256')
    .update(link.prevHash + getCanonicalJson(unhashed), 'utf8')
    .digest('hex');
}

/**
 * The log event message for `recordLine` (a record's canonical JSON) as the event after `head`
 * in `stream`, and the head it leaves. The record goes in as it is, byte for byte.
 */
export function linkRecordLine(
  recordLine: string,
  stream: string,
  head: StreamHead,
): { message: string; head: StreamHead } {
  const record: unknown = JSON.parse(recordLine);
  const link = { name: stream, seq: head.seq + 1, prevHash: head.hash };
  const hash = getLinkHash(record, link);
  return { message: getCanonicalJson({ record, stream: { ...link, hash } }), head: { seq: link.seq, hash } };
}

/** The link of a log event message, if it carries a well-formed one. */
export function readLink(message: string | undefined): { record: unknown; link: StreamLink } | undefined {
  try {
    const parsed = getLinkedEventSchema().safeParse(JSON.parse(message ?? ''));
    return parsed.success ? { record: parsed.data.record, link: parsed.data.stream } : undefined;
  } catch {
    return undefined;
  }
}
