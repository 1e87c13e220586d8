// Verifies the trail and names the first bad record: 'malformed' (not a record),
// 'altered' (its content no longer matches a hash), 'removed' (a seq is missing) or
// 'reordered' (a seq comes out of order). A record edited and re-hashed is caught at the
// next record, whose prevHash still names the original, and reported as altered. Records
// cut from the end, deleted newest files and a wholesale re-hashed chain leave no trace in
// the chain itself: against the head anchored elsewhere they are 'truncated' or 'forged'.
// Gaps that a writer found and recorded (audit.gap) verify, and are listed.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { currentAuditFileName } from './auditFiles';
import { genesisHash, getRecordHash, type ChainHead } from './chain';
import { auditRecordSchema, type AuditRecord } from './events';

export type AuditProblem = 'altered' | 'removed' | 'reordered' | 'malformed' | 'truncated' | 'forged';

/** An audit.gap record: a writer found the trail behind its anchored head and said so. */
export interface AuditGap {
  seq: number;
  file: string;
  line: number;
  time: string;
  expectedSeq: number;
  foundSeq: number;
  cause: string;
}

export type AuditVerification =
  | {
      ok: true;
      count: number;
      head: ChainHead;
      /** Gaps writers recorded: the chain is intact around them, the records in them are lost. */
      gaps: AuditGap[];
      /** Whether the end was checked against an anchored head. */
      anchored: boolean;
    }
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
  /** The last record's seq and hash as anchored elsewhere (SecretStorage, see anchor.ts). */
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

function checkSequence(
  all: readonly Located[],
  index: number,
  record: AuditRecord,
  expectedSeq: number,
): Failure | undefined {
  if (record.seq === expectedSeq) return undefined;
  if (record.seq < expectedSeq)
    return fail(all, index, 'reordered', `seq ${record.seq} appears after seq ${expectedSeq - 1}`);
  const later = all.slice(index + 1).some((item) => item.record?.seq === expectedSeq);
  return later
    ? fail(all, index, 'reordered', `seq ${record.seq} appears before seq ${expectedSeq}`)
    : fail(
        all,
        index,
        'removed',
        `seq ${expectedSeq}${record.seq - expectedSeq > 1 ? `–${record.seq - 1}` : ''} missing before seq ${record.seq}`,
      );
}

function seqRange(from: number, to: number): string {
  return from === to ? `seq ${from} was` : `seq ${from}–${to} were`;
}

function checkHead(
  all: readonly Located[],
  files: readonly string[],
  head: ChainHead,
  expected: ChainHead | undefined,
): Failure | undefined {
  if (expected === undefined || (head.seq === expected.seq && head.hash === expected.hash)) return undefined;
  const last = all.length - 1;
  if (head.seq < expected.seq) {
    const lost = seqRange(head.seq + 1, expected.seq);
    const lastFile = files.at(-1);
    if (lastFile === undefined)
      return fail(
        all,
        last,
        'truncated',
        `the audit trail is gone, but seq ${expected.seq} was written: every file was deleted`,
      );
    if (basename(lastFile) !== currentAuditFileName) {
      return fail(
        all,
        last,
        'truncated',
        `${currentAuditFileName} is missing and the trail ends at seq ${head.seq} in ${basename(lastFile)}, but seq ${expected.seq} was written: ${lost} lost, so the newest file(s) were deleted`,
      );
    }
    return fail(
      all,
      last,
      'truncated',
      `the trail ends at seq ${head.seq}, but seq ${expected.seq} was written: ${lost} cut from the end`,
    );
  }
  const anchored = all.findIndex((item) => item.record?.seq === expected.seq);
  if (all[anchored]?.record?.hash === expected.hash) return undefined; // written after the anchor was last saved
  return fail(
    all,
    anchored === -1 ? last : anchored,
    'forged',
    `seq ${expected.seq} is not the record that was written (its hash was anchored): the trail was rewritten or replaced`,
  );
}

function getGaps(all: readonly Located[]): AuditGap[] {
  return all.flatMap(({ file, line, record }) => {
    if (record?.event !== 'audit.gap') return [];
    const detail = record.detail ?? {};
    return [
      {
        seq: record.seq,
        file,
        line,
        time: record.time,
        expectedSeq: Number(detail.expectedSeq),
        foundSeq: Number(detail.foundSeq),
        cause: String(detail.cause),
      },
    ];
  });
}

/** Checks every record of the trail, oldest file first (listAuditFiles gives that order). */
export async function verifyAuditChain(
  files: readonly string[],
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const all = await readRecords(files);
  let head: ChainHead = { seq: 0, hash: genesisHash };
  for (let index = 0; index < all.length; index += 1) {
    const record = all[index]?.record;
    if (record === undefined) return fail(all, index, 'malformed', 'not a valid audit record');
    if (getRecordHash(record) !== record.hash)
      return fail(all, index, 'altered', `seq ${record.seq} does not match its hash`);
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
  return (
    checkHead(all, files, head, options.expectedHead) ?? {
      ok: true,
      count: all.length,
      head,
      gaps: getGaps(all),
      anchored: options.expectedHead !== undefined,
    }
  );
}
