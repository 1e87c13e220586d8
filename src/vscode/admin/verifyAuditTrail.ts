// "InfraWatch: Verify Audit Trail": checks the local chain and says where it breaks,
// with a way to open the file at the first bad record.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { listAuditFiles } from '../../core/audit/auditFiles';
import { type AuditVerification, verifyAuditChain } from '../../core/audit/verify';
import { InfraWatchError } from '../../core/errors';

export type AuditFailure = Extract<AuditVerification, { ok: false }>;

/** The error line for a broken chain: what is wrong, which record, which file and line. */
export function describeAuditFailure(failure: AuditFailure): string {
  const record = failure.seq === undefined ? `record ${failure.index + 1}` : `record seq ${failure.seq}`;
  return `Audit trail broken: ${record} was ${failure.problem === 'malformed' ? 'damaged (not a valid record)' : failure.problem} — ${failure.message} (${basename(failure.file)}, line ${failure.line})`;
}

export async function verifyAuditTrail(auditDir: string): Promise<AuditVerification> {
  const files = await listAuditFiles(auditDir);
  if (files.length === 0) throw new InfraWatchError('Validation', `Verifying the audit trail failed: there is no audit trail yet in ${auditDir}`);
  const result = await verifyAuditChain(files);
  if (result.ok) {
    void vscode.window.showInformationMessage(`Audit trail intact: ${result.count} record${result.count === 1 ? '' : 's'}`);
    return result;
  }
  void vscode.window.showErrorMessage(describeAuditFailure(result), 'Open File').then(async (picked) => {
    if (picked !== 'Open File') return;
    const line = Math.max(0, result.line - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(result.file), { selection: new vscode.Range(line, 0, line, 0), preview: false });
  });
  return result;
}
