// Browsing the trail: merging the local file with the organisation's log group, filtering
// and paging newest first. Generic over the record type so a caller's markers survive.
import { getDisplayName } from '../arn';
import { type ServiceId } from '../catalog';
import { type AuditEventName, type AuditOutcome, type AuditRecord } from './events';
import { type OrgVerification } from './orgVerify';

export type AuditSource = 'local' | 'remote' | 'both';
/** `verification` is set on every record read from the group; local-only records have none. */
export type SourcedAuditRecord = AuditRecord & { source: AuditSource; verification?: OrgVerification };
type RemoteRecord = AuditRecord & { verification?: OrgVerification };

export interface AuditFilter {
  /** Part of the actor ARN or its display name, any case. */
  user?: string;
  service?: ServiceId;
  outcome?: AuditOutcome;
  event?: AuditEventName;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, inclusive. */
  to?: number;
  /** Free text over every field but the hashes, any case. */
  text?: string;
}

export interface AuditPageRequest {
  /** 1–1000. */
  pageSize: number;
  /** 0-based; past the end gives the last page. */
  page: number;
}

export interface AuditPage<T> {
  items: T[];
  page: number;
  pageCount: number;
  total: number;
}

const keyOf = (record: AuditRecord): string => `${record.seq}:${record.hash}`;

/**
 * Both sources, each record once, marked with where it was seen. A record is the same when
 * (seq, hash) match: the hash covers every field, and seq tells chains of different
 * machines apart in the unlikely case two hashes collide across them. A remote copy that
 * did not verify is never folded into another (a forger may copy a real record): it stays
 * its own row, flagged, once per stream.
 */
export function mergeAuditSources(
  local: readonly AuditRecord[],
  remote: readonly RemoteRecord[],
): SourcedAuditRecord[] {
  const merged = new Map<string, SourcedAuditRecord>();
  for (const record of local) if (!merged.has(keyOf(record))) merged.set(keyOf(record), { ...record, source: 'local' });
  for (const record of remote) {
    const verification = record.verification;
    const key = verification?.ok === false ? `${keyOf(record)}:unverified:${verification.stream}` : keyOf(record);
    const seen = merged.get(key);
    if (seen === undefined) merged.set(key, { ...record, source: 'remote' });
    else if (seen.source === 'local') Object.assign(seen, { source: 'both' }, verification ? { verification } : {});
  }
  return [...merged.values()];
}

function includesText(haystack: string | undefined, needle: string): boolean {
  return haystack !== undefined && haystack.toLowerCase().includes(needle);
}

function matchesText(record: AuditRecord, needle: string): boolean {
  // The hashes would match almost any short hex fragment, so they are not searched.
  const values = Object.entries(record)
    .filter(([key]) => key !== 'hash' && key !== 'prevHash' && key !== 'detail')
    .map(([, value]) => String(value));
  values.push(
    ...Object.entries(record.detail ?? {})
      .flat()
      .map(String),
  );
  return values.some((value) => includesText(value, needle));
}

function matches(record: AuditRecord, filter: AuditFilter, user: string, text: string): boolean {
  if (filter.service !== undefined && record.service !== filter.service) return false;
  if (filter.outcome !== undefined && record.outcome !== filter.outcome) return false;
  if (filter.event !== undefined && record.event !== filter.event) return false;
  const time = Date.parse(record.time);
  if (filter.from !== undefined && time < filter.from) return false;
  if (filter.to !== undefined && time > filter.to) return false;
  if (user !== '' && !includesText(record.actor, user) && !includesText(getDisplayName(record.actor), user))
    return false;
  return text === '' || matchesText(record, text);
}

export function filterAudit<T extends AuditRecord>(records: readonly T[], filter: AuditFilter): T[] {
  const user = filter.user?.trim().toLowerCase() ?? '';
  const text = filter.text?.trim().toLowerCase() ?? '';
  return records.filter((record) => matches(record, filter, user, text));
}

/** Newest first: by time, then seq, then hash so the order is stable across sources. */
export function sortNewestFirst<T extends AuditRecord>(records: readonly T[]): T[] {
  // Parse once: times from other writers may differ in precision, so text order is not enough.
  const keyed = records.map((record) => ({ record, time: Date.parse(record.time) }));
  keyed.sort((a, b) => b.time - a.time || b.record.seq - a.record.seq || b.record.hash.localeCompare(a.record.hash));
  return keyed.map((entry) => entry.record);
}

export function pageAudit<T extends AuditRecord>(records: readonly T[], request: AuditPageRequest): AuditPage<T> {
  const pageSize = Math.min(1000, Math.max(1, Math.floor(request.pageSize)));
  const pageCount = Math.max(1, Math.ceil(records.length / pageSize));
  const page = Math.min(pageCount - 1, Math.max(0, Math.floor(request.page)));
  const items = sortNewestFirst(records).slice(page * pageSize, (page + 1) * pageSize);
  return { items, page, pageCount, total: records.length };
}
