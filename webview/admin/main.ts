// The admin panel front end: `ready`, then `init` (matrix and roles), then audit pages
// and simulations on request. Everything from the extension is validated first and
// rendered with textContent only.
import '../common/zodConfig';
import '@vscode/codicons/dist/codicon.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './admin.css';
import { type AdminInit, type AdminState, type AdminToHost, type AdminToWebview, type AuditFilterMessage, adminStateSchema, adminToWebviewSchema } from '../../src/shared/adminMessages';
import { parseMessage } from '../../src/shared/messages';
import { createChannel, nextRequestId } from '../common/channel';
import { h } from '../common/dom';
import { vscodeApi } from '../common/vscodeApi';
import { type AuditView, createAuditView } from './auditView';
import { renderMatrix } from './matrix';
import { type SimulateView, createSimulateView } from './simulate';

const auditEvents = ['access.requested', 'access.denied', 'access.granted', 'access.failed', 'credentials.fetched', 'credentials.refused', 'session.revoked', 'session.expired', 'session.renewed', 'terminal.opened', 'debug.injected', 'policy.loaded', 'policy.rejected', 'audit.gap'];
const pageSize = 50;

const app = document.getElementById('app')!;
const banner = h('div', { class: 'banner', role: 'alert', hidden: true });
const saved = parseMessage(adminStateSchema, vscodeApi.getState());
let state: AdminState = saved ?? { panel: 'admin', filter: {}, page: 0 };
const pending = new Map<string, 'simulate' | 'audit' | 'export'>();
let latestAudit: string | undefined;
let simulateView: SimulateView | undefined;
let auditView: AuditView | undefined;

const channel = createChannel<typeof adminToWebviewSchema, AdminToHost>(adminToWebviewSchema, onMessage);

function saveState(): void {
  vscodeApi.setState(state);
}

function send(kind: 'simulate' | 'audit' | 'export', make: (requestId: string) => AdminToHost): void {
  const requestId = nextRequestId();
  pending.set(requestId, kind);
  if (kind === 'audit') latestAudit = requestId;
  channel.post(make(requestId));
}

function loadAudit(reload = false): void {
  app.setAttribute('aria-busy', 'true');
  auditView?.setStatus('Loading the audit trail…');
  send('audit', (requestId) => ({ type: 'loadAudit', requestId, filter: state.filter, page: state.page, pageSize, reload }));
}

function onInit(message: AdminInit): void {
  document.title = 'InfraWatch Admin';
  simulateView = createSimulateView(state.simulateArn ?? '', (arn) => {
    state.simulateArn = arn;
    saveState();
    send('simulate', (requestId) => ({ type: 'simulate', requestId, arn }));
  });
  auditView = createAuditView(message.services, auditEvents, state.filter, {
    onFilter: (filter: AuditFilterMessage) => {
      state = { ...state, filter, page: 0 };
      saveState();
      loadAudit();
    },
    onPage: (page) => {
      state.page = Math.max(0, page);
      saveState();
      loadAudit();
    },
    onReload: () => loadAudit(true),
    onExport: (format) => {
      auditView?.setStatus(`Exporting as ${format.toUpperCase()}…`);
      send('export', (requestId) => ({ type: 'export', requestId, format, filter: state.filter }));
    },
  });
  const header = h('header', { class: 'toolbar' }, h('h1', { class: 'panel-title' }, 'InfraWatch Admin'),
    h('p', { class: 'note' }, `Signed in as ${message.caller} · policy ${message.policyPath}`));
  app.replaceChildren(header, banner, renderMatrix(message.matrix, message.roles), simulateView.element, auditView.element);
  saveState();
  loadAudit(true);
}

function onFailed(message: Extract<AdminToWebview, { type: 'failed' }>): void {
  const kind = message.requestId === undefined ? undefined : pending.get(message.requestId);
  if (message.requestId !== undefined) pending.delete(message.requestId);
  app.setAttribute('aria-busy', 'false');
  if (kind === 'simulate') return simulateView?.fail(message.message);
  if (kind === 'audit' || kind === 'export') {
    if (kind === 'audit' && message.requestId !== latestAudit) return;
    return auditView?.setStatus(message.code === 'Cancelled' ? 'Export cancelled.' : message.message, message.code !== 'Cancelled');
  }
  banner.replaceChildren(h('strong', {}, 'The admin panel could not load. '), message.message);
  banner.hidden = false;
}

function onMessage(message: AdminToWebview): void {
  switch (message.type) {
    case 'init':
      return onInit(message);
    case 'simulation':
      pending.delete(message.requestId);
      return simulateView?.show(message.result);
    case 'audit':
      pending.delete(message.requestId);
      if (message.requestId !== latestAudit) return; // a reply to an older filter
      state.page = message.page;
      saveState();
      auditView?.show(message);
      auditView?.setStatus('');
      app.setAttribute('aria-busy', 'false');
      return;
    case 'exported':
      pending.delete(message.requestId);
      return auditView?.setStatus(`Exported ${message.count} records as ${message.format.toUpperCase()} to ${message.path}`);
    case 'failed':
      return onFailed(message);
    case 'theme':
      return; // styled by CSS variables alone
  }
}

channel.post({ type: 'ready' });
