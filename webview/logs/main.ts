// The logs panel front end: `ready`, then `init`, then validated `logs` pages into a
// virtualised list. Lines are set with textContent only.
import '../common/zodConfig';
import '@vscode/codicons/dist/codicon.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
// The shared panel styles last, as they were when the page linked them after the bundle.
import '../../media/webview.css';
import { type LogsInit, type LogsToHost, type LogsToWebview, logsToWebviewSchema } from '../../src/shared/messages';
import { type TimeRange } from '../../src/shared/timeRange';
import { createChannel, nextRequestId } from '../common/channel';
import { clear, h } from '../common/dom';
import { vscodeApi } from '../common/vscodeApi';
import { type LogsToolbar, createLogsToolbar } from './toolbar';
import { findRowAt } from './rows';
import { VirtualList } from './virtualList';

const app = document.getElementById('app')!;
const status = h('p', { class: 'status', role: 'status' });
const banner = h('div', { class: 'banner', role: 'alert', hidden: true });

let init: LogsInit | undefined;
let view = { range: { kind: 'preset', preset: '1h' } as TimeRange, filterPattern: '', follow: false };
let latestRequest: string | undefined;
let focusTime: number | undefined;
let toolbar: LogsToolbar | undefined;

const channel = createChannel<typeof logsToWebviewSchema, LogsToHost>(logsToWebviewSchema, onMessage);
const list = new VirtualList((text) => channel.post({ type: 'copyLine', text }));

function saveState(): void {
  if (!init) return;
  vscodeApi.setState({ panel: 'logs', service: init.service, resourceId: init.resourceId, ...view });
}

function request(make: (requestId: string) => LogsToHost): void {
  latestRequest = nextRequestId();
  app.setAttribute('aria-busy', 'true');
  status.textContent = 'Loading…';
  channel.post(make(latestRequest));
}

function onInit(message: LogsInit): void {
  init = message;
  view = { range: message.range, filterPattern: message.filterPattern, follow: message.follow };
  focusTime = message.focusTime;
  document.title = message.title;
  toolbar = createLogsToolbar(message, view, {
    onFilter: (filterPattern) => {
      if (filterPattern === view.filterPattern) return;
      view.filterPattern = filterPattern;
      saveState();
      request((requestId) => ({ type: 'setFilter', requestId, filterPattern }));
    },
    onRange: (range) => {
      view.range = range;
      saveState();
      request((requestId) => ({ type: 'setRange', requestId, range }));
    },
    onFollow: (follow) => {
      view.follow = follow;
      saveState();
      channel.post({ type: 'setFollow', follow });
      if (follow) list.scrollToRow(list.count - 1);
    },
    onRefresh: () => request((requestId) => ({ type: 'refresh', requestId })),
    onLoadMore: () => request((requestId) => ({ type: 'loadMore', requestId })),
    onRequestAccess: () => channel.post({ type: 'requestAccess' }),
  });
  clear(app);
  app.append(toolbar.element, banner, status, list.element);
  saveState();
}

function onLogs(message: LogsToWebview & { type: 'logs' }): void {
  // A reply to an older request is stale; follow-mode pushes carry no id and always count.
  if (message.requestId !== undefined && message.requestId !== latestRequest) return;
  banner.hidden = true;
  if (message.mode === 'replace') list.replace(message.events);
  else list.append(message.events, view.follow);
  toolbar?.setHasMore(message.hasMore);
  const rows = list.getRows();
  // Jump to the clicked moment once it is loaded (or nothing more is coming).
  if (
    focusTime !== undefined &&
    rows.length > 0 &&
    (rows[rows.length - 1]!.timestamp >= focusTime || !message.hasMore)
  ) {
    list.scrollToRow(findRowAt(rows, focusTime), true);
    focusTime = undefined;
  } else if (message.mode === 'replace' && view.follow) list.scrollToRow(list.count - 1);
  status.textContent = `${list.count.toLocaleString()} events${message.hasMore ? ' · more available' : ''}${view.follow ? ' · following' : ''}`;
  app.setAttribute('aria-busy', 'false');
  app.dataset.count = String(list.count);
}

function onFailed(message: LogsToWebview & { type: 'failed' }): void {
  if (message.requestId !== undefined && message.requestId !== latestRequest) return;
  banner.replaceChildren(h('strong', {}, 'Could not read the logs. '), message.message);
  banner.hidden = false;
  app.setAttribute('aria-busy', 'false');
  status.textContent = '';
}

function onMessage(message: LogsToWebview): void {
  switch (message.type) {
    case 'init':
      return onInit(message);
    case 'logs':
      return onLogs(message);
    case 'failed':
      return onFailed(message);
  }
}

// VS Code runs its Copy command in the webview as a `copy` event: copy the selected line
// when no text is selected.
document.addEventListener('copy', (event) => {
  const text = list.getSelectedText();
  if (text === undefined || (window.getSelection()?.toString() ?? '') !== '') return;
  event.clipboardData?.setData('text/plain', text);
  event.preventDefault();
  channel.post({ type: 'copyLine', text });
});
channel.post({ type: 'ready' });
