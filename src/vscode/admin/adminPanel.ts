// The host of the admin panel: the permission matrix and the caller's policy on `init`,
// principal simulation, the audit trail (local file and the organisation's log group,
// merged, filtered and paged here so the webview only ever holds one page), export, and
// the sessions of the JIT roles that InfraWatch did not make (outsideSessions.ts).
import * as vscode from 'vscode';
import { fromAwsError } from '../../core/errors';
import { type Log } from '../../core/ports';
import { type AdminToHost, type AuditFilterMessage, type ExportFormat, type OutsideRange, adminLimits, adminToHostSchema, adminToWebviewSchema } from '../../shared/adminMessages';
import { PanelChannel } from '../panels/panelChannel';
import { getThemeKind } from '../panels/panelHtml';
import { type GetAdminContext, requireAdmin } from './adminContext';
import { type LoadedAudit, getMatrixRows, loadAuditSources, pageAudit, selectAudit, simulate, toAuditRow } from './adminData';
import { renderAdminHtml } from './adminHtml';
import { saveAuditExport } from './exportAudit';
import { findOutsideSessions } from './outsideSessions';

export interface AdminPanelDeps {
  extensionUri: vscode.Uri;
  log: Log;
  getAdminContext: GetAdminContext;
  /** Where failures also go (the error funnel); the panel has already shown them. */
  onError(action: string, error: unknown): void;
}

export class AdminPanel implements vscode.Disposable {
  private readonly channel: PanelChannel<typeof adminToHostSchema, typeof adminToWebviewSchema>;
  private readonly disposables: vscode.Disposable[] = [];
  private audit: Promise<LoadedAudit> | undefined;
  /** A range the command asked for before the webview was ready. */
  private outsideRange: OutsideRange | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: AdminPanelDeps,
  ) {
    this.channel = new PanelChannel(panel.webview, { incoming: adminToHostSchema, outgoing: adminToWebviewSchema }, deps.log, 'Admin panel', (m) => void this.onMessage(m));
    panel.webview.html = renderAdminHtml(panel.webview, deps.extensionUri);
    this.disposables.push(
      this.channel,
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.channel.reset();
      }),
      vscode.window.onDidChangeActiveColorTheme((theme) => this.channel.post({ type: 'theme', kind: getThemeKind(theme.kind) })),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Has the webview look for sessions outside InfraWatch over `range` (now, or once it is ready). */
  showOutside(range: OutsideRange): void {
    this.outsideRange = range;
    if (this.channel.isReady) this.flushOutside();
  }

  private flushOutside(): void {
    if (!this.outsideRange) return;
    this.channel.post({ type: 'showOutside', range: this.outsideRange });
    this.outsideRange = undefined;
  }

  private async onMessage(message: AdminToHost): Promise<void> {
    const requestId = 'requestId' in message ? message.requestId : undefined;
    try {
      switch (message.type) {
        case 'ready':
          return this.start();
        case 'simulate':
          return this.channel.post({ type: 'simulation', requestId: message.requestId, result: simulate(this.context('Simulating a principal').policy, message.arn) });
        case 'loadAudit':
          return await this.loadAudit(message.requestId, message.filter, message.page, message.pageSize, message.reload);
        case 'export':
          return await this.export(message.requestId, message.format, message.filter);
        case 'findOutside':
          return await this.findOutside(message.requestId, message.range);
        case 'report':
          return this.deps.log[message.level](`Admin panel: ${message.message}`);
      }
    } catch (error) {
      this.fail(requestId, message.type, error);
    }
  }

  /** Refuses for non-admins on every message: the role may change while the panel is open. */
  private context(action: string) {
    return requireAdmin(this.deps.getAdminContext, action);
  }

  private start(): void {
    const context = this.context('Opening the admin panel');
    this.audit = undefined;
    this.channel.post({
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
    const context = this.context('Reading the audit trail');
    if (reload || !this.audit) {
      this.audit = loadAuditSources(context, this.deps.log);
      this.audit.catch(() => (this.audit = undefined));
    }
    return this.audit;
  }

  private async loadAudit(requestId: string, filter: AuditFilterMessage, page: number, pageSize: number, reload: boolean): Promise<void> {
    const loaded = await this.getAudit(reload);
    const selected = selectAudit(loaded.records, filter);
    const shown = pageAudit(selected, page, pageSize);
    this.channel.post({
      type: 'audit', requestId, rows: shown.records.map(toAuditRow), page: shown.page, pageCount: shown.pageCount, total: selected.length,
      local: loaded.local, remote: loaded.remote,
    });
  }

  private async findOutside(requestId: string, range: OutsideRange): Promise<void> {
    const report = await findOutsideSessions(this.context('Finding sessions made outside InfraWatch'), range, this.deps.log);
    this.channel.post({ type: 'outside', requestId, ...report });
  }

  private async export(requestId: string, format: ExportFormat, filter: AuditFilterMessage): Promise<void> {
    const records = selectAudit((await this.getAudit(false)).records, filter);
    const saved = await saveAuditExport(records, format);
    if (!saved) return this.channel.post({ type: 'failed', requestId, message: 'Export cancelled.', code: 'Cancelled' });
    this.channel.post({ type: 'exported', requestId, path: saved.path.slice(0, adminLimits.text), count: saved.count, format });
  }

  private fail(requestId: string | undefined, doing: string, error: unknown): void {
    const known = fromAwsError(error, `Admin panel: ${doing}`);
    this.channel.post({ type: 'failed', requestId, message: known.message.slice(0, adminLimits.text), code: known.code });
    this.deps.onError(`Admin panel: ${doing}`, known);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
