// The host of the admin panel: the permission matrix and the caller's policy on `init`,
// principal simulation, the audit trail (local file and the organisation's log group,
// merged, filtered and paged here so the webview only ever holds one page), export, and
// the sessions of the JIT roles that InfraWatch did not make (outsideSessions.ts).
// One admin panel at a most; its lifecycle is the one of panelLifecycle.ts.
import * as vscode from 'vscode';
import { type Log } from '../../core/ports';
import {
  type AdminToHost,
  type AuditFilterMessage,
  type ExportFormat,
  type OutsideRange,
  adminLimits,
  adminStateSchema,
  adminToHostSchema,
  adminToWebviewSchema,
} from '../../shared/adminMessages';
import { parseMessage } from '../../shared/messages';
import { type PanelContext, type PanelDefinition, PanelLifecycle } from '../panels/panelLifecycle';
import { type GetAdminContext, requireAdmin } from './adminContext';
import {
  type LoadedAudit,
  getMatrixRows,
  loadAuditSources,
  pageAudit,
  selectAudit,
  simulate,
  toAuditRow,
} from './adminData';
import { saveAuditExport } from './exportAudit';
import { findOutsideSessions } from './outsideSessions';

export interface AdminPanelDeps {
  extensionUri: vscode.Uri;
  log: Log;
  getAdminContext: GetAdminContext;
  /** Fires when the caller's role may have changed. */
  onDidChange: vscode.Event<unknown>;
  /** Where failures also go (the error funnel); the panel has already shown them. */
  onError(action: string, error: unknown): void;
}

type AdminDefinition = PanelDefinition<'admin', typeof adminToHostSchema, typeof adminToWebviewSchema, AdminPanel>;

/** The admin panel kind: one panel, for Admins only. */
export function getAdminDefinition(deps: AdminPanelDeps): AdminDefinition {
  return {
    viewType: 'infrawatch.admin',
    bundle: 'admin',
    pageTitle: 'InfraWatch Admin',
    name: 'Admin panel',
    column: vscode.ViewColumn.Active,
    schemas: { incoming: adminToHostSchema, outgoing: adminToWebviewSchema },
    getKey: () => 'admin',
    // After a reload the role is usually not known yet: the panel waits for it (start()).
    // Someone known not to be an Admin (any more) gets no panel back.
    restore: (raw) =>
      Promise.resolve(
        parseMessage(adminStateSchema, raw) && deps.getAdminContext()?.access.admin !== false ? 'admin' : undefined,
      ),
    createHost: (context) => new AdminPanel(context, deps),
  };
}

/** The admin panel's lifecycle with its serializer, owned by the extension. */
export function registerAdminPanel(
  context: vscode.ExtensionContext,
  deps: Omit<AdminPanelDeps, 'extensionUri'>,
): { open(): AdminPanel } {
  const lifecycle = new PanelLifecycle(getAdminDefinition({ ...deps, extensionUri: context.extensionUri }), {
    ...deps,
    extensionUri: context.extensionUri,
  }).registerSerializer();
  context.subscriptions.push(lifecycle);
  return {
    open: () => {
      requireAdmin(deps.getAdminContext, 'Opening the admin panel');
      return lifecycle.show('admin');
    },
  };
}

export class AdminPanel implements vscode.Disposable {
  readonly title = 'InfraWatch Admin';
  private audit: Promise<LoadedAudit> | undefined;
  /** A range the command asked for before the webview was ready. */
  private outsideRange: OutsideRange | undefined;
  /** The page is ready but the caller's role is not known yet (a panel restored after a reload). */
  private waitingForRole = false;

  constructor(
    private readonly context: PanelContext<typeof adminToWebviewSchema>,
    private readonly deps: AdminPanelDeps,
  ) {
    context.own(deps.onDidChange(() => this.onRoleChanged()));
  }

  /** Has the webview look for sessions outside InfraWatch over `range` (now, or once it is ready). */
  showOutside(range: OutsideRange): void {
    this.outsideRange = range;
    if (this.context.isReady) this.flushOutside();
  }

  private flushOutside(): void {
    if (!this.outsideRange) return;
    this.context.post({ type: 'showOutside', range: this.outsideRange });
    this.outsideRange = undefined;
  }

  /** What a handler throws reaches the page as `failed` and the error funnel (panelLifecycle.ts). */
  onMessage(message: AdminToHost): Promise<void> | void {
    switch (message.type) {
      case 'ready':
        return this.start();
      case 'simulate':
        return this.context.post({
          type: 'simulation',
          requestId: message.requestId,
          result: simulate(this.admin('Simulating a principal').policy, message.arn),
        });
      case 'loadAudit':
        return this.loadAudit(message.requestId, message.filter, message.page, message.pageSize, message.reload);
      case 'export':
        return this.export(message.requestId, message.format, message.filter);
      case 'findOutside':
        return this.findOutside(message.requestId, message.range);
      case 'report':
        return this.deps.log[message.level](`Admin panel: ${message.message}`);
    }
  }

  /** Refuses for non-admins on every message: the role may change while the panel is open. */
  private admin(action: string) {
    return requireAdmin(this.deps.getAdminContext, action);
  }

  /** A restored panel waited for the role: an Admin gets the page, anyone else loses the panel. */
  private onRoleChanged(): void {
    const known = this.deps.getAdminContext();
    if (!this.waitingForRole || !known) return;
    if (!known.access.admin) return this.context.panel.dispose();
    this.start();
  }

  private start(): void {
    this.waitingForRole = this.deps.getAdminContext() === undefined;
    if (this.waitingForRole) {
      return this.context.post({
        type: 'failed',
        message: 'Waiting for InfraWatch to know your role: open the InfraWatch view or sign in.',
        code: 'NoCredentials',
      });
    }
    const context = this.admin('Opening the admin panel');
    this.audit = undefined;
    this.context.post({
      type: 'init',
      panel: 'admin',
      caller: context.caller.slice(0, adminLimits.arn),
      policyPath: context.policyPath.slice(0, adminLimits.text),
      roles: Object.keys(context.policy.roles),
      services: [...new Set(getMatrixRows(context.policy).map((r) => r.service))],
      matrix: getMatrixRows(context.policy),
      logGroup: context.policy.audit?.logGroup,
    });
    this.flushOutside();
  }

  private getAudit(reload: boolean): Promise<LoadedAudit> {
    const context = this.admin('Reading the audit trail');
    if (reload || !this.audit) {
      this.audit = loadAuditSources(context, this.deps.log);
      this.audit.catch(() => (this.audit = undefined));
    }
    return this.audit;
  }

  private async loadAudit(
    requestId: string,
    filter: AuditFilterMessage,
    page: number,
    pageSize: number,
    reload: boolean,
  ): Promise<void> {
    const loaded = await this.getAudit(reload);
    const selected = selectAudit(loaded.records, filter);
    const shown = pageAudit(selected, page, pageSize);
    this.context.post({
      type: 'audit',
      requestId,
      rows: shown.records.map(toAuditRow),
      page: shown.page,
      pageCount: shown.pageCount,
      total: selected.length,
      local: loaded.local,
      remote: loaded.remote,
    });
  }

  private async findOutside(requestId: string, range: OutsideRange): Promise<void> {
    const report = await findOutsideSessions(
      this.admin('Finding sessions made outside InfraWatch'),
      range,
      this.deps.log,
    );
    this.context.post({ type: 'outside', requestId, ...report });
  }

  private async export(requestId: string, format: ExportFormat, filter: AuditFilterMessage): Promise<void> {
    const records = selectAudit((await this.getAudit(false)).records, filter);
    const saved = await saveAuditExport(records, format);
    if (!saved)
      return this.context.post({ type: 'failed', requestId, message: 'Export cancelled.', code: 'Cancelled' });
    this.context.post({
      type: 'exported',
      requestId,
      path: saved.path.slice(0, adminLimits.text),
      count: saved.count,
      format,
    });
  }

  dispose(): void {
    this.audit = undefined;
  }
}
