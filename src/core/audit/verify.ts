// Verifies the trail and names the first bad record: 'malformed' (not a record),
// 'altered' (its content no longer matches a hash), 'removed' (a seq is missing) or
// 'reordered' (a seq comes out of order). A record edited and re-hashed is caught at the
// next record, whose prevHash still names the original, and reported as altered. Records
// cut from the end leave no trace in the chain itself: pass the head anchored elsewhere.
import { readFile } from 'node:fs/promises';
import { genesisHash, getRecordHash, type ChainHead } from './chain';
import { auditRecordSchema, type AuditRecord } from './events';

export type AuditProblem = 'altered' | 'removed' | 'reordered' | 'malformed';

export type AuditVerification =
  | { ok: true; count: number; head: ChainHead }
  | {
      ok: false;
      /** 0-based position among all records of all files. */
      index: number;
      file: string;
      /** 1-based line in that file. */
      line: number;
      problem: AuditProblem;
      /** The seq found there, when the line is a record. */
      seq?: number;
      message: string;
    };

export interface VerifyOptions {
  /** The last record's seq and hash as recorded elsewhere (e.g. the CloudWatch sink). */
  expectedHead?: ChainHead;
}

interface Located {
  file: string;
  line: number;
  record?: AuditRecord;
}

async function readRecords(files: readonly string[]): Promise<Located[]> {
  const all: Located[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((text, i) => {
      let record: AuditRecord | undefined;
      try {
        const parsed = auditRecordSchema.safeParse(JSON.parse(text));
        record = parsed.success ? parsed.data : undefined;
      } catch {
        record = undefined;
      }
      all.push({ file, line: i + 1, record });
    });
  }
  return all;
}

type Failure = Extract<AuditVerification, { ok: false }>;

function fail(all: readonly Located[], index: number, problem: AuditProblem, message: string): Failure {
  const at = all[index] ?? { file: '', line: 0 };
  return { ok: false, index, file: at.file, line: at.line, problem, seq: at.record?.seq, message };
}

function checkSequence(all: readonly Located[], index: number, record: AuditRecord, expectedSeq: number): Failure | undefined {
  if (record.seq === expectedSeq) return undefined;
  if (record.seq < expectedSeq) return fail(all, index, 'reordered', `seq ${record.seq} appears after seq ${expectedSeq - 1}`);
  const later = all.slice(index + 1).some((item) => item.record?.seq === expectedSeq);
  return later
    ? fail(all, index, 'reordered', `seq ${record.seq} appears before seq ${expectedSeq}`)
    : fail(all, index, 'removed', `seq ${expectedSeq}${record.seq - expectedSeq > 1 ? `–${record.seq - 1}` : ''} missing before seq ${record.seq}`);
}

function checkHead(all: readonly Located[], head: ChainHead, expected: ChainHead | undefined): Failure | undefined {
  if (expected === undefined || (head.seq === expected.seq && head.hash === expected.hash)) return undefined;
  if (head.seq < expected.seq) return fail(all, all.length - 1, 'removed', `the trail ends at seq ${head.seq}, but seq ${expected.seq} was written`);
  const anchored = all.findIndex((item) => item.record?.seq === expected.seq);
  if (anchored !== -1 && all[anchored]?.record?.hash !== expected.hash) return fail(all, anchored, 'altered', `seq ${expected.seq} differs from the anchored record`);
  return undefined;
}

/** Checks every record of the trail, oldest file first (listAuditFiles gives that order). */
export async function verifyAuditChain(files: readonly string[], options: VerifyOptions = {}): Promise<AuditVerification> {
  const all = await readRecords(files);
  let head: ChainHead = { seq: 0, hash: genesisHash };
  for (let index = 0; index < all.length; index += 1) {
    const record = all[index]?.record;
    if (record === undefined) return fail(all, index, 'malformed', 'not a valid audit record');
    if (getRecordHash(record) !== record.hash) return fail(all, index, 'altered', `seq ${record.seq} does not match its hash`);
    const sequence = checkSequence(all, index, record, head.seq + 1);
    if (sequence !== undefined) return sequence;
    if (record.prevHash !== head.hash) {
      // This record is intact, so the one before it was changed (and re-hashed).
      return index === 0
        ? fail(all, 0, 'removed', 'the first record does not start the chain')
        : fail(all, index - 1, 'altered', `seq ${head.seq} was changed after seq ${record.seq} was written`);
    }
    head = { seq: record.seq, hash: record.hash };
  }
  return checkHead(all, head, options.expectedHead) ?? { ok: true, count: all.length, head };
}
