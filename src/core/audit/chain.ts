// The hash chain: each record's hash covers the previous record's hash and its own
// canonical JSON (keys sorted, no whitespace), so editing, removing or reordering any
// record breaks the chain at that record.
import { createHash } from 'node:crypto';
import { type AuditEventInput, type AuditRecord } from './events';

/** prevHash of the first record ever written. */
export const genesisHash = '0'.repeat(64);

export interface ChainHead {
  /** seq of the last record; 0 before the first. */
  seq: number;
  hash: string;
}

export const emptyChainHead: ChainHead = { seq: 0, hash: genesisHash };

/** JSON with object keys sorted at every level and undefined members left out. */
export function getCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : getCanonicalJson(item))).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${getCanonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** sha256(prevHash + canonical(record without hash)), hex. */
export function getRecordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const unhashed: Record<string, unknown> = { ...record };
  delete unhashed.hash;
  return createHash('sha256')
    .update(record.prevHash + getCanonicalJson(unhashed), 'utf8')
    .digest('hex');
}

/** The next record after `head`. */
export function createAuditRecord(head: ChainHead, input: AuditEventInput, time: string): AuditRecord {
  const unhashed = { ...input, seq: head.seq + 1, time, prevHash: head.hash };
  return { ...unhashed, hash: getRecordHash(unhashed) };
}

/** One JSONL line, newline included. */
export function getRecordLine(record: AuditRecord): string {
  return `${getCanonicalJson(record)}\n`;
}
