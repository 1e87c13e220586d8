import * as path from 'node:path';
import * as vscode from 'vscode';
import { type PolicySource } from '../core/accessState';
import { type PolicyProblem, parsePolicy } from '../core/policy/parse';
import { policyLimits } from '../core/policy/schema';
import { getUntrustedPolicyReason, locatePolicyFile, type PolicyLocation } from '../core/policyLocation';
import { getPosition } from '../core/textPosition';
import { type Settings } from './config';

export { workspacePolicyPath } from '../core/policyLocation';

/** Where the policy would come from: the configured path wins; trust rules are in core/policyLocation. */
export function locatePolicy(settings: Settings): { uri: vscode.Uri; location: PolicyLocation } | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const location = locatePolicyFile(settings.policyPath, folder !== undefined, process.env.HOME);
  if (!location) return undefined;
  if (location.base === 'absolute') return { uri: vscode.Uri.file(location.path), location };
  if (folder && location.base === 'folder') return { uri: vscode.Uri.joinPath(folder.uri, location.path), location };
  return { uri: vscode.Uri.file(path.resolve(location.path)), location };
}

type ReadResult = { kind: 'missing' } | { kind: 'tooLarge'; size: number } | { kind: 'text'; text: string };

async function readPolicyFile(uri: vscode.Uri): Promise<ReadResult> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > policyLimits.maxBytes) return { kind: 'tooLarge', size: stat.size };
    return { kind: 'text', text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return { kind: 'missing' };
    throw error;
  }
}

export interface LoadedPolicy {
  source: PolicySource;
  text?: string;
  uri?: vscode.Uri;
  /** Why the policy file is ignored (an untrusted workspace), for the log. */
  notice?: string;
}

/** Reads and validates the policy; a missing file is "no policy", never an error. */
export async function loadPolicySource(settings: Settings): Promise<LoadedPolicy> {
  const located = locatePolicy(settings);
  if (!located) return { source: { kind: 'none' } };
  const { uri, location } = located;
  const read = await readPolicyFile(uri);
  if (read.kind === 'missing') return { source: { kind: 'none' } };
  const untrusted = getUntrustedPolicyReason(location, vscode.workspace.isTrusted);
  if (untrusted !== undefined) return { source: { kind: 'untrusted', path: uri.fsPath }, uri, notice: untrusted };
  if (read.kind === 'tooLarge') {
    const problems: PolicyProblem[] = [
      { path: '$', message: `the policy file is ${read.size} bytes; the limit is ${policyLimits.maxBytes}` },
    ];
    return {
      source: { kind: 'file', path: uri.fsPath, result: { ok: false, problems }, origin: location.origin },
      uri,
    };
  }
  return {
    source: { kind: 'file', path: uri.fsPath, result: parsePolicy(read.text), origin: location.origin },
    text: read.text,
    uri,
  };
}

/** Problems as diagnostics on the policy file, so they show inline and in the Problems view. */
export function toDiagnostics(
  text: string | undefined,
  problems: readonly PolicyProblem[],
  severity = vscode.DiagnosticSeverity.Error,
): vscode.Diagnostic[] {
  return problems.map((problem) => {
    const start =
      text !== undefined && problem.offset !== undefined
        ? getPosition(text, problem.offset)
        : { line: 0, character: 0 };
    const end =
      text !== undefined && problem.offset !== undefined
        ? getPosition(text, problem.offset + (problem.length ?? 0))
        : start;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const diagnostic = new vscode.Diagnostic(range, `${problem.path}: ${problem.message}`, severity);
    diagnostic.source = 'InfraWatch policy';
    return diagnostic;
  });
}

/** Fires when the policy file (workspace or configured) is created, changed or deleted. */
export function watchPolicy(settings: Settings, onChange: () => void): vscode.Disposable {
  const located = locatePolicy(settings);
  const pattern = located
    ? new vscode.RelativePattern(vscode.Uri.file(path.dirname(located.uri.fsPath)), path.basename(located.uri.fsPath))
    : '**/.infrawatch/policy.json';
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 150); // editors save in bursts
  };
  const subscriptions = [watcher, watcher.onDidChange(fire), watcher.onDidCreate(fire), watcher.onDidDelete(fire)];
  return {
    dispose: () => {
      clearTimeout(timer);
      subscriptions.forEach((s) => s.dispose());
    },
  };
}
