// Audit export for a SIEM: JSONL (the records as written), CSV (RFC 4180) and, in
// exportOcsf.ts, OCSF. Exports copy only the record's own fields, so nothing a caller has
// attached (a source marker, a UI flag) leaves with them, and every record passes the
// SecretGuard again: a file handed to another system must not carry a secret either.
import { stringify } from 'csv-stringify/sync';
import { InfraWatchError } from '../errors';
import { getCanonicalJson } from './chain';
import { auditRecordSchema, type AuditRecord } from './events';
import { SecretGuard } from './secretGuard';

export type AuditExportFormat = 'jsonl' | 'csv' | 'ocsf';

export interface ExportOptions {
  /** A guard that knows the secrets InfraWatch issued (only those are refused). */
  guard?: SecretGuard;
}

/** The CSV columns, in order; a fixed order so a SIEM's field mapping survives upgrades. */
export const auditCsvColumns = [
  'seq',
  'time',
  'event',
  'outcome',
  'actor',
  'role',
  'account',
  'service',
  'level',
  'durationSeconds',
  'reason',
  'ticket',
  'requestId',
  'accessKeyId',
  'expiresAt',
  'detail',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditRecord)[];

// Read from the schema on first use, so loading the extension does not build it.
let recordKeys: (keyof AuditRecord)[] | undefined;

/** The guard's finding (it names the field, never the value), reworded for an export. */
function getGuardProblem(error: unknown): string {
  return (error as Error).message
    .replace(/^Writing the audit record failed: /, '')
    .replace(/nothing was written$/, 'nothing was exported');
}

/** The record's own fields only, validated and checked for secrets; throws naming the seq. */
export function getExportableRecord(record: AuditRecord, guard: SecretGuard = new SecretGuard()): AuditRecord {
  const picked: Record<string, unknown> = {};
  recordKeys ??= Object.keys(auditRecordSchema.shape) as (keyof AuditRecord)[];
  for (const key of recordKeys) if (record[key] !== undefined) picked[key] = record[key];
  const parsed = auditRecordSchema.safeParse(picked);
  if (!parsed.success) {
    throw new InfraWatchError(
      'Validation',
      `Exporting the audit trail failed: record seq ${String(record.seq)} is not a valid audit record (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  }
  try {
    guard.assertClean(parsed.data);
  } catch (error) {
    throw new InfraWatchError(
      'Validation',
      `Exporting the audit trail failed: record seq ${parsed.data.seq}: ${getGuardProblem(error)}`,
    );
  }
  return parsed.data;
}

/** A last look at what is about to leave: catches a secret the field checks could not see. */
export function assertExportClean(text: string, guard: SecretGuard = new SecretGuard()): void {
  text.split('\n').forEach((line, index) => {
    try {
      guard.assertClean(line, `line ${index + 1}`);
    } catch (error) {
      throw new InfraWatchError('Validation', `Exporting the audit trail failed: ${getGuardProblem(error)}`);
    }
  });
}

/** One canonical JSON record per line: byte-identical to the local trail, so hashes re-verify. */
export function toJsonl(records: readonly AuditRecord[], options: ExportOptions = {}): string {
  const text = records.map((record) => `${getCanonicalJson(getExportableRecord(record, options.guard))}\n`).join('');
  assertExportClean(text, options.guard);
  return text;
}

function getCsvValue(record: AuditRecord, column: (typeof auditCsvColumns)[number]): string {
  const value = record[column];
  if (value === undefined) return '';
  if (column === 'detail') return getCanonicalJson(value);
  return String(value);
}

/**
 * A header row and one row per record, CRLF line ends (RFC 4180); empty cells for absent fields.
 * What a requester typed must stay text in a spreadsheet: a cell starting with =, +, -, @, TAB
 * or CR gets a leading ' (csv-stringify's escape_formulas, as OWASP's "CSV Injection" page
 * advises), and a cell holding CR or LF is always quoted so it cannot end the row.
 */
export function toCsv(records: readonly AuditRecord[], options: ExportOptions = {}): string {
  const rows = records.map((record) => {
    const clean = getExportableRecord(record, options.guard);
    return auditCsvColumns.map((column) => getCsvValue(clean, column));
  });
  const text = stringify(rows, {
    header: true,
    columns: [...auditCsvColumns],
    escape_formulas: true,
    quoted_match: /[\r\n]/,
    record_delimiter: '\r\n',
  });
  assertExportClean(text, options.guard);
  return text;
}
