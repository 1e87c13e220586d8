// "InfraWatch: Verify Audit Trail": checks the local chain, and its end against the head
// anchored in SecretStorage, and says where it breaks, with a way to open the file at the
// first bad record. Gaps a writer found and recorded are shown too.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { type Anchor, type AnchorStore } from '../../core/audit/anchor';
import { listAuditFiles } from '../../core/audit/auditFiles';
import { type AuditGap, type AuditVerification, verifyAuditChain } from '../../core/audit/verify';
import { InfraWatchError } from '../../core/errors';

export type AuditFailure = Extract<AuditVerification, { ok: false }>;

function describeProblem(failure: AuditFailure): string {
  const record = failure.seq === undefined ? `record ${failure.index + 1}` : `record seq ${failure.seq}`;
  switch (failure.problem) {
    case 'malformed':
      return `${record} was damaged (not a valid record)`;
    case 'truncated':
      return 'records are missing at the end';
    case 'forged':
      return `${record} does not match the anchored head`;
    default:
      return `${record} was ${failure.problem}`;
  }
}

/** The error line for a broken chain: what is wrong, which record, which file and line. */
export function describeAuditFailure(failure: AuditFailure): string {
  const where = failure.file === '' ? '' : ` (${basename(failure.file)}, line ${failure.line})`;
  return `Audit trail broken: ${describeProblem(failure)} — ${failure.message}${where}`;
}

export function describeAuditGaps(gaps: readonly AuditGap[]): string {
  const listed = gaps
    .slice(0, 3)
    .map(
      (gap) =>
        `at seq ${gap.seq} (${gap.time}): expected seq ${gap.expectedSeq}, found seq ${gap.foundSeq}${gap.cause === 'replaced' ? ', trail replaced' : ''}`,
    );
  return `Audit trail verifies, but ${gaps.length} gap${gaps.length === 1 ? ' was' : 's were'} recorded where records were lost: ${listed.join('; ')}${gaps.length > 3 ? '; …' : ''}`;
}

async function readAnchor(anchor: AnchorStore | undefined): Promise<Anchor | undefined> {
  try {
    return await anchor?.read();
  } catch (error) {
    throw new InfraWatchError(
      'Validation',
      `Verifying the audit trail failed: the anchored head in SecretStorage is unreadable (${(error as Error).message})`,
      { cause: error },
    );
  }
}

export async function verifyAuditTrail(auditDir: string, anchor?: AnchorStore): Promise<AuditVerification> {
  const files = await listAuditFiles(auditDir);
  const expectedHead = await readAnchor(anchor);
  if (files.length === 0 && (expectedHead?.seq ?? 0) === 0)
    throw new InfraWatchError(
      'Validation',
      `Verifying the audit trail failed: there is no audit trail yet in ${auditDir}`,
    );
  const result = await verifyAuditChain(files, { expectedHead });
  if (result.ok) {
    const count = `${result.count} record${result.count === 1 ? '' : 's'}`;
    if (result.gaps.length > 0) void vscode.window.showWarningMessage(describeAuditGaps(result.gaps));
    else
      void vscode.window.showInformationMessage(
        `Audit trail intact: ${count}${result.anchored ? ', ending at the anchored head' : ' (no anchored head to check its end against)'}`,
      );
    return result;
  }
  void vscode.window
    .showErrorMessage(describeAuditFailure(result), ...(result.file ? ['Open File'] : []))
    .then(async (picked) => {
      if (picked !== 'Open File') return;
      const line = Math.max(0, result.line - 1);
      await vscode.window.showTextDocument(vscode.Uri.file(result.file), {
        selection: new vscode.Range(line, 0, line, 0),
        preview: false,
      });
    });
  return result;
}
