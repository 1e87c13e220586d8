// Wires the admin side into the extension: the four admin commands (their handlers go
// back to activate(), which registers every command), the admin panel and its serializer,
// and the `infrawatch.isAdmin` context key that hides the commands from everyone else.
// Each command checks the role itself; the key only tidies the palette.
import * as vscode from 'vscode';
import { type Log } from '../../core/ports';
import { type AccessController } from '../accessController';
import { createSecretAnchorStore } from '../auditAnchorStore';
import { commandIds } from '../commandIds';
import { defineCommandHandlers } from '../commandRegistry';
import { type AdminContext, type GetAdminContext, requireAdmin } from './adminContext';
import { type AdminPanel, registerAdminPanel } from './adminPanel';
import { loadAuditSources } from './adminData';
import { pickExportFormat, saveAuditExport } from './exportAudit';
import { outsideRangeChoices } from './outsideSessions';
import { verifyAuditTrail } from './verifyAuditTrail';

export const isAdminContextKey = 'infrawatch.isAdmin';

export interface AdminDeps {
  log: Log;
  getAdminContext: GetAdminContext;
  /** Fires when the caller's role may have changed. */
  onDidChange: vscode.Event<unknown>;
  /** The error funnel, for the panel's failures. */
  run(action: string, work: () => unknown): Promise<unknown>;
}

/** getAdminContext from the controller: defined once the caller's access is resolved. */
export function getAdminContextFrom(controller: AccessController, auditDir: string): GetAdminContext {
  return (): AdminContext | undefined => {
    const { state, policy } = controller.snapshot;
    if (state.kind !== 'ready' || !policy) return undefined;
    const clients = controller.getClients();
    return {
      policy,
      access: state.access,
      caller: state.identity.arn,
      policyPath: state.policyPath,
      auditDir,
      logsClient: clients?.logs,
      cloudTrailClient: clients?.cloudtrail,
    };
  };
}

export function registerAdmin(context: vscode.ExtensionContext, deps: AdminDeps) {
  const { open: openPanel } = registerAdminPanel(context, {
    ...deps,
    onError: (action, error) =>
      void deps.run(action, () => {
        throw error;
      }),
  });
  const updateKey = (): void =>
    void vscode.commands.executeCommand('setContext', isAdminContextKey, deps.getAdminContext()?.access.admin === true);
  updateKey();
  context.subscriptions.push(deps.onDidChange(updateKey));
  return getAdminCommandHandlers(context, deps, openPanel);
}

function getAdminCommandHandlers(context: vscode.ExtensionContext, deps: AdminDeps, openPanel: () => AdminPanel) {
  return defineCommandHandlers({
    [commandIds.openAdminPanel]: { action: 'Opening the admin panel', run: () => void openPanel() },
    [commandIds.findOutsideSessions]: {
      action: 'Finding sessions made outside InfraWatch',
      run: () => findOutsideSessions(deps.getAdminContext, openPanel),
    },
    [commandIds.verifyAuditTrail]: {
      action: 'Verifying the audit trail',
      run: () =>
        verifyAuditTrail(
          requireAdmin(deps.getAdminContext, 'Verifying the audit trail').auditDir,
          createSecretAnchorStore(context.secrets),
        ),
    },
    [commandIds.exportAuditTrail]: {
      action: 'Exporting the audit trail',
      run: () => exportAuditTrail(deps.getAdminContext, deps.log),
    },
  });
}

/** "Find Sessions Made Outside InfraWatch": a time range, then the panel's section over it. */
async function findOutsideSessions(getContext: GetAdminContext, openPanel: () => AdminPanel): Promise<void> {
  requireAdmin(getContext, 'Finding sessions made outside InfraWatch');
  const picked = await vscode.window.showQuickPick(
    outsideRangeChoices.map((c) => ({ label: c.label, ms: c.ms })),
    {
      title: 'InfraWatch: Find Sessions Made Outside InfraWatch',
      placeHolder: 'How far back to read CloudTrail for AssumeRole calls on the JIT roles',
      ignoreFocusOut: true,
    },
  );
  if (!picked) return;
  const to = Date.now();
  openPanel().showOutside({ from: to - picked.ms, to });
}

async function exportAuditTrail(getContext: GetAdminContext, log: Log): Promise<void> {
  const context = requireAdmin(getContext, 'Exporting the audit trail');
  const format = await pickExportFormat();
  if (!format) return;
  const loaded = await loadAuditSources(context, log);
  if (loaded.local.error && loaded.remote.error) throw new Error(`${loaded.local.error}; ${loaded.remote.error}`);
  // A SIEM takes what it imports as real: organisation records whose writer check failed stay
  // in the panel, marked, and out of the export.
  const unverified = loaded.records.filter((r) => r.verification?.ok === false).length;
  const saved = await saveAuditExport(
    loaded.records.filter((r) => r.verification?.ok !== false),
    format,
  );
  const left =
    unverified > 0
      ? ` ${unverified} unverified organisation record${unverified === 1 ? ' was' : 's were'} left out: see them in the admin panel.`
      : '';
  if (saved)
    void vscode.window[unverified > 0 ? 'showWarningMessage' : 'showInformationMessage'](
      `Exported ${saved.count} audit record${saved.count === 1 ? '' : 's'} to ${saved.path}.${left}`,
    );
}
