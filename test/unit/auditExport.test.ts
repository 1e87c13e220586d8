import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { getRecordHash } from '../../src/core/audit/chain';
import { auditRecordSchema, type AuditEventInput, type AuditRecord } from '../../src/core/audit/events';
import { ocsfApiActivityRequired, toOcsf, toOcsfEvent } from '../../src/core/audit/exportOcsf';
import { auditCsvColumns, toCsv, toJsonl } from '../../src/core/audit/exportRecords';
import { MemoryAuditLog } from '../../src/core/audit/memoryAuditLog';
import { SecretGuard } from '../../src/core/audit/secretGuard';
import { InfraWatchError } from '../../src/core/errors';
import { FakeClock } from './credentialsFixtures';

const actor = 'arn:aws:iam::111122223333:user/erin.employee';

async function sampleRecords(): Promise<AuditRecord[]> {
  const log = new MemoryAuditLog(new FakeClock());
  const inputs: AuditEventInput[] = [
    {
      event: 'access.requested',
      actor,
      role: 'Employee',
      account: '111122223333',
      service: 'rds',
      level: 'read',
      durationSeconds: 1800,
      reason: 'orders latency, "p99" spike,\r\nsee runbook',
      ticket: 'OPS-42',
      requestId: 'iw-1',
      outcome: 'success',
    },
    {
      event: 'access.granted',
      actor,
      role: 'Employee',
      account: '111122223333',
      service: 'rds',
      level: 'read',
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      expiresAt: '2025-01-15T12:30:00.000Z',
      requestId: 'iw-1',
      outcome: 'success',
      detail: { mfa: true, note: 'ünïcode, ok', n: 3, none: null },
    },
    {
      event: 'access.denied',
      actor: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/sam',
      service: 'ec2',
      level: 'admin',
      outcome: 'denied',
      detail: { why: 'no grant' },
    },
    { event: 'session.revoked', actor, outcome: 'failure', reason: '=HYPERLINK("x")' },
  ];
  for (const input of inputs) await log.append(input);
  return log.records;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading back untyped OCSF JSON
type OcsfJson = Record<string, any>;

/** A record that slipped past the write-time guard (e.g. read from a tampered source). */
function forged(base: AuditRecord, change: Partial<AuditRecord>): AuditRecord {
  const unhashed = { ...base, ...change };
  return { ...unhashed, hash: getRecordHash(unhashed) };
}

describe('audit export', () => {
  let records: AuditRecord[];
  before(async () => {
    records = await sampleRecords();
  });

  it('JSONL: one canonical record per line that parses back equal and still verifies', () => {
    const lines = toJsonl(records).split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, records.length);
    lines.forEach((line, i) => {
      const back = auditRecordSchema.parse(JSON.parse(line));
      assert.deepEqual(back, records[i]);
      assert.equal(getRecordHash(back), back.hash);
    });
  });

  it('CSV: a CSV parser reads back the same values in the fixed column order', () => {
    const text = toCsv(records);
    assert.ok(text.endsWith('\r\n'));
    const rows = parse(text, { columns: true, relax_column_count: false }) as Record<string, string>[];
    assert.equal(rows.length, records.length);
    assert.deepEqual(Object.keys(rows[0]!), [...auditCsvColumns]);
    rows.forEach((row, i) => {
      const record = records[i]!;
      for (const column of auditCsvColumns) {
        const value = record[column];
        const text =
          value === undefined
            ? ''
            : column === 'detail'
              ? JSON.stringify(JSON.parse(JSON.stringify(value)))
              : String(value);
        // A cell a spreadsheet would run as a formula is exported defused, with a leading '.
        const expected = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
        if (column === 'detail' && value !== undefined) assert.deepEqual(JSON.parse(row[column]!), value);
        else assert.equal(row[column], expected, `${column} of row ${i}`);
      }
    });
    assert.equal(rows[0]!.reason, 'orders latency, "p99" spike,\r\nsee runbook');
    assert.equal(rows[3]!.reason, `'=HYPERLINK("x")`, 'a formula is exported as text');
  });

  it("OCSF: API Activity events carry every required field of the class, with the record's values", () => {
    const events = toOcsf(records, { productVersion: '0.1.0' })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OcsfJson);
    assert.equal(events.length, records.length);
    events.forEach((event, i) => {
      const record = records[i]!;
      for (const field of ocsfApiActivityRequired) assert.notEqual(event[field], undefined, `${field} of event ${i}`);
      assert.equal(event.class_uid, 6003);
      assert.equal(event.category_uid, 6);
      assert.equal(event.type_uid, 6003 * 100 + event.activity_id);
      assert.ok([1, 2, 3, 4].includes(event.activity_id));
      assert.equal(event.time, Date.parse(record.time));
      assert.equal(event.status_id, record.outcome === 'success' ? 1 : 2);
      assert.ok(Number.isInteger(event.severity_id) && event.severity_id >= 1);
      assert.equal(event.actor.user.uid, record.actor);
      assert.equal(typeof event.actor.user.name, 'string');
      assert.equal(event.api.operation, record.event);
      assert.equal(event.cloud.provider, 'AWS');
      assert.equal(event.cloud.account?.uid, record.account);
      assert.equal(event.metadata.version, '1.1.0');
      assert.equal(event.metadata.product.name, 'InfraWatch');
      assert.equal(event.metadata.product.version, '0.1.0');
      assert.equal(event.unmapped.hash, record.hash);
      assert.equal(event.unmapped.reason, record.reason);
    });
    assert.equal(events[0]!.actor.user.name, 'erin.employee');
    assert.equal(events[1]!.actor.user.credential_uid, 'ASIAEXAMPLEEXAMPLE12');
    assert.equal(events[2]!.severity_id, 3);
    assert.equal(events[3]!.activity_id, 4);
  });

  it("exports only the record's own fields, whatever else the caller attached", () => {
    const marked = records.map((record) => ({ ...record, source: 'both', secretAccessKey: 'x' }));
    assert.equal(toJsonl(marked), toJsonl(records));
    assert.equal(toCsv(marked), toCsv(records));
    assert.equal(toOcsf(marked), toOcsf(records));
    assert.deepEqual(
      Object.keys(toOcsfEvent(records[0]!)).filter((k) => /source|secret/.test(k)),
      [],
    );
  });

  it('no secret InfraWatch issued can pass any exporter, and the secret is never echoed', () => {
    const secretKey = randomBytes(30).toString('base64').replace(/^./, 'A').replace(/.$/, 'z');
    const token = `IQoJb3JpZ2luX2Vj${randomBytes(200).toString('base64')}`;
    const registered = 'hunter2-but-longer';
    const guard = new SecretGuard();
    for (const secret of [secretKey, token.slice(0, 256), registered]) guard.add(secret);
    const bad = [
      forged(records[0]!, { reason: `pasted ${secretKey} by mistake` }),
      forged(records[0]!, { ticket: token.slice(0, 256) }),
      forged(records[1]!, { detail: { note: registered } }),
      forged(records[1]!, { detail: { [registered]: 'as a key' } }),
    ];
    for (const exporter of [toJsonl, toCsv, toOcsf]) {
      for (const record of bad) {
        assert.throws(
          () => exporter([records[0]!, record], { guard }),
          (e: InfraWatchError) => {
            assert.ok(e instanceof InfraWatchError && e.code === 'Validation', e.message);
            assert.match(
              e.message,
              /^Exporting the audit trail failed: record seq [12]: (field )?record\.\S+ .*; nothing was exported$/,
            );
            for (const secret of [secretKey, token.slice(0, 256), registered]) assert.ok(!e.message.includes(secret));
            return true;
          },
        );
      }
    }
  });

  it('exports what a requester typed, even when it is shaped like a key or a token', () => {
    // Only values InfraWatch issued are refused: a typed reason must never block an export.
    const typed = forged(records[0]!, {
      reason: `checking ${'Q7x'.repeat(40)} and AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd`,
    });
    for (const exporter of [toJsonl, toCsv, toOcsf])
      assert.doesNotThrow(() => exporter([typed], { guard: new SecretGuard() }));
  });

  it('refuses a record that is not a valid audit record', () => {
    assert.throws(() => toCsv([{ ...records[0]!, account: 'nope' }]), /record seq 1 is not a valid audit record/);
  });
});
