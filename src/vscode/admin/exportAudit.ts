// Writing an audit export for a SIEM: JSONL, CSV or OCSF, to a file the user picks in
// the save dialog (in a browser-hosted editor that is the simple file dialog, which the
// end-to-end test drives by its path box).
import * as vscode from 'vscode';
import { type AuditRecord } from '../../core/audit/events';
import { toCsv, toJsonl } from '../../core/audit/exportRecords';
import { toOcsf } from '../../core/audit/exportOcsf';
import { type ExportFormat } from '../../shared/adminMessages';
import { type SourcedRecord } from './adminData';

const formats: Readonly<
  Record<
    ExportFormat,
    { label: string; extension: string; detail: string; write(records: readonly AuditRecord[]): string }
  >
> = {
  jsonl: { label: 'JSONL', extension: 'jsonl', detail: 'One audit record per line, exactly as kept', write: toJsonl },
  csv: { label: 'CSV', extension: 'csv', detail: 'RFC 4180, one row per record, for spreadsheets', write: toCsv },
  ocsf: {
    label: 'OCSF',
    extension: 'ocsf.jsonl',
    detail: 'Open Cybersecurity Schema Framework events, one per line',
    write: toOcsf,
  },
};

export async function pickExportFormat(): Promise<ExportFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    (Object.keys(formats) as ExportFormat[]).map((format) => ({
      label: formats[format].label,
      detail: formats[format].detail,
      format,
    })),
    {
      title: 'InfraWatch: Export Audit Trail',
      placeHolder: 'The format to export the audit trail in',
      ignoreFocusOut: true,
    },
  );
  return picked?.format;
}

/** The record itself, without the panel's notes of where it was read from and how it was checked. */
function withoutSource(record: SourcedRecord): AuditRecord {
  const copy: Partial<SourcedRecord> = { ...record };
  delete copy.source;
  delete copy.verification;
  return copy as AuditRecord;
}

function getDefaultUri(format: ExportFormat): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) return undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return vscode.Uri.joinPath(folder, `infrawatch-audit-${stamp}.${formats[format].extension}`);
}

/** Asks where to save, then writes; undefined when the user cancels the dialog. */
export async function saveAuditExport(
  records: readonly SourcedRecord[],
  format: ExportFormat,
): Promise<{ path: string; count: number } | undefined> {
  const spec = formats[format];
  const text = spec.write(records.map(withoutSource));
  const uri = await vscode.window.showSaveDialog({
    title: `Export ${records.length} audit record${records.length === 1 ? '' : 's'} as ${spec.label}`,
    saveLabel: 'Export',
    defaultUri: getDefaultUri(format),
    filters: { [spec.label]: [spec.extension.split('.').pop()!] },
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return { path: uri.fsPath, count: records.length };
}
