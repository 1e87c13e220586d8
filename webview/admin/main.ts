// The admin panel front end: `ready`, then `init` (matrix and roles), then audit pages,
// simulations and sessions outside InfraWatch on request. Everything from the extension is
// validated first and rendered with textContent only.
import '../common/zodConfig';
import '@vscode/codicons/dist/codicon.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './admin.css';
// The shared panel styles last, as they were when the page linked them after the bundle.
import '../../media/webview.css';
import {
  type AdminInit,
  type AdminState,
  type AdminToHost,
  type AdminToWebview,
  type AuditFilterMessage,
  type OutsideRange,
  adminStateSchema,
  adminToWebviewSchema,
} from '../../src/shared/adminMessages';
import { auditEventNames } from '../../src/shared/auditEventNames';
import { parseMessage } from '../../src/shared/messages';
import { createChannel, nextRequestId } from '../common/channel';
import { h } from '../common/dom';
import { vscodeApi } from '../common/vscodeApi';
import { type AuditView, createAuditView } from './auditView';
import { renderMatrix } from './matrix';
import { type OutsideView, createOutsideView } from './outside';
import { type SimulateView, createSimulateView } from './simulate';

const pageSize = 50;

const app = document.getElementById('app')!;
const banner = h('div', { class: 'banner', role: 'alert', hidden: true });
const saved = parseMessage(adminStateSchema, vscodeApi.getState());
let state: AdminState = saved ?? { panel: 'admin', filter: {}, page: 0 };
type Pending = 'simulate' | 'audit' | 'export' | 'outside';
const pending = new Map<string, Pending>();
let latestAudit: string | undefined;
let latestOutside: string | undefined;
let simulateView: SimulateView | undefined;
let auditView: AuditView | undefined;
let outsideView: OutsideView | undefined;

const channel = createChannel<typeof adminToWebviewSchema, AdminToHost>(adminToWebviewSchema, onMessage);

function saveState(): void {
  vscodeApi.setState(state);
}

function send(kind: Pending, make: (requestId: string) => AdminToHost): void {
  const requestId = nextRequestId();
  pending.set(requestId, kind);
  if (kind === 'audit') latestAudit = requestId;
  if (kind === 'outside') latestOutside = requestId;
  channel.post(make(requestId));
}

function loadAudit(reload = false): void {
  app.setAttribute('aria-busy', 'true');
  auditView?.setStatus('Loading the audit trail…');
  send('audit', (requestId) => ({
    type: 'loadAudit',
    requestId,
    filter: state.filter,
    page: state.page,
    pageSize,
    reload,
  }));
}

function findOutside(range: OutsideRange): void {
  state.outsideRange = range;
  saveState();
  outsideView?.setRange(range);
  outsideView?.setStatus('Reading CloudTrail (two lookups a second) and matching the audit trail…');
  outsideView?.element.setAttribute('aria-busy', 'true');
  send('outside', (requestId) => ({ type: 'findOutside', requestId, range }));
}

function onOutside(message: Extract<AdminToWebview, { type: 'outside' }>): void {
  pending.delete(message.requestId);
  if (message.requestId !== latestOutside) return; // a reply to an older range
  outsideView?.show(message);
  outsideView?.setStatus('');
  outsideView?.element.setAttribute('aria-busy', 'false');
}

function onInit(message: AdminInit): void {
  document.title = 'InfraWatch Admin';
  simulateView = createSimulateView(state.simulateArn ?? '', (arn) => {
    state.simulateArn = arn;
    saveState();
    send('simulate', (requestId) => ({ type: 'simulate', requestId, arn }));
  });
  auditView = createAuditView(message.services, auditEventNames, state.filter, {
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
  outsideView = createOutsideView(state.outsideRange, findOutside);
  const header = h(
    'header',
    { class: 'toolbar' },
    h('h1', { class: 'panel-title' }, 'InfraWatch Admin'),
    h('p', { class: 'note' }, `Signed in as ${message.caller} · policy ${message.policyPath}`),
  );
  banner.hidden = true; // a restored panel may have said it was waiting for the role
  app.replaceChildren(
    header,
    banner,
    renderMatrix(message.matrix, message.roles),
    simulateView.element,
    auditView.element,
    outsideView.element,
  );
  saveState();
  loadAudit(true);
}

function onFailed(message: Extract<AdminToWebview, { type: 'failed' }>): void {
  const kind = message.requestId === undefined ? undefined : pending.get(message.requestId);
  if (message.requestId !== undefined) pending.delete(message.requestId);
  app.setAttribute('aria-busy', 'false');
  if (kind === 'simulate') return simulateView?.fail(message.message);
  if (kind === 'outside') {
    if (message.requestId !== latestOutside) return;
    outsideView?.element.setAttribute('aria-busy', 'false');
    return outsideView?.setStatus(message.message, true);
  }
  if (kind === 'audit' || kind === 'export') {
    if (kind === 'audit' && message.requestId !== latestAudit) return;
    return auditView?.setStatus(
      message.code === 'Cancelled' ? 'Export cancelled.' : message.message,
      message.code !== 'Cancelled',
    );
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
      return auditView?.setStatus(
        `Exported ${message.count} records as ${message.format.toUpperCase()} to ${message.path}`,
      );
    case 'outside':
      return onOutside(message);
    case 'showOutside':
      outsideView?.element.scrollIntoView();
      return findOutside(message.range);
    case 'failed':
      return onFailed(message);
  }
}

channel.post({ type: 'ready' });
