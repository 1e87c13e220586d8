// Reading the audit trail back for browsing: the local files and the organisation's log
// group. Browsing the local trail is not verifying it (verify.ts does that), so a bad line is
// reported and skipped rather than failing the whole read. The group's records are checked
// per writer as they are read, since anyone who can write to the group could put anything there.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { listAuditFiles } from './auditFiles';
import { getRecordHash } from './chain';
import { auditRecordSchema, type AuditRecord } from './events';
import { type OrgEvent, type OrgRead, verifyOrgEvents } from './orgVerify';

export interface AuditReadNote {
  /** Where: `audit-2.jsonl:17` or `event <id>`. */
  where: string;
  message: string;
}

export interface AuditRead {
  records: AuditRecord[];
  notes: AuditReadNote[];
}

type LineResult = { record: AuditRecord } | { problem: string };

/** A line or log message as a record; an intact-looking record whose hash fails is a problem too. */
export function parseAuditLine(text: string): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  const parsed = auditRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `not an audit record (${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'})` };
  }
  if (getRecordHash(parsed.data) !== parsed.data.hash)
    return { problem: `seq ${parsed.data.seq} does not match its hash (altered?)` };
  return { record: parsed.data };
}

function readLines(text: string, name: string, isLastFile: boolean, out: AuditRead): void {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const result = parseAuditLine(line);
    if ('record' in result) out.records.push(result.record);
    else out.notes.push({ where: `${name}:${index + 1}`, message: result.problem });
  });
  if (tail === '') return;
  // Only the file being written can end mid-line (a crash during an append); the writer
  // drops that line on its next open, so it was never acknowledged.
  const message = isLastFile
    ? `skipped a half-written last line (${Buffer.byteLength(tail, 'utf8')} bytes)`
    : 'the file ends without a newline';
  out.notes.push({ where: `${name}:${lines.length + 1}`, message });
}

/** Every record of the local trail, oldest file first, in file order. */
export async function readLocalAudit(dir: string): Promise<AuditRead> {
  const out: AuditRead = { records: [], notes: [] };
  const files = await listAuditFiles(dir);
  for (const [index, file] of files.entries()) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      // Rotated away between listing and reading: a later read will see it under its new name.
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) {
      out.notes.push({ where: basename(file), message: 'disappeared while reading (rotated?)' });
      continue;
    }
    readLines(text, basename(file), index === files.length - 1, out);
  }
  return out;
}

export type CloudWatchAuditEvent = OrgEvent;

/**
 * Log events of the organisation's group as records, each with its per-writer verification
 * (orgVerify.ts); an event that is not a readable record is noted, never thrown.
 */
export function parseCloudWatchAuditEvents(events: readonly CloudWatchAuditEvent[]): OrgRead {
  return verifyOrgEvents(events);
}
