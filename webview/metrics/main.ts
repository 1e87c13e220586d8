// The metrics panel front end. It says `ready`, waits for `init`, then draws whatever
// validated `metrics` replies bring. It never builds HTML from data: text goes through
// textContent, numbers through the chart API.
import '../common/zodConfig';
import '@vscode/codicons/dist/codicon.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import 'uplot/dist/uPlot.min.css';
// The shared panel styles last, as they were when the page linked them after the bundle.
import '../../media/webview.css';
import {
  type Chart,
  type MetricsInit,
  type MetricsToHost,
  type MetricsToWebview,
  metricsToWebviewSchema,
  panelStateSchema,
  parseMessage,
} from '../../src/shared/messages';
import { type TimeRange } from '../../src/shared/timeRange';
import { createChannel, nextRequestId } from '../common/channel';
import { clear, h } from '../common/dom';
import { getThemeColors, onThemeChange } from '../common/theme';
import { vscodeApi } from '../common/vscodeApi';
import { MetricChart } from './chart';
import { getPeriodLabel } from './summary';
import { createToolbar } from './toolbar';

const autoRefreshMs = 60_000;
const app = document.getElementById('app')!;
const saved = parseMessage(panelStateSchema, vscodeApi.getState());

let init: MetricsInit | undefined;
let range: TimeRange | undefined;
let autoRefresh = saved?.autoRefresh ?? false;
let latestRequest: string | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
const charts = new Map<string, MetricChart>();
const grid = h('div', { class: 'charts', 'aria-live': 'off' });
const status = h('p', { class: 'status', role: 'status' });
const banner = h('div', { class: 'banner', role: 'alert', hidden: true });

const channel = createChannel<typeof metricsToWebviewSchema, MetricsToHost>(metricsToWebviewSchema, onMessage);

function saveState(): void {
  if (!init || !range) return;
  vscodeApi.setState({ panel: 'metrics', service: init.service, resourceId: init.resource?.id, range, autoRefresh });
}

function request(make: (requestId: string) => MetricsToHost): void {
  latestRequest = nextRequestId();
  app.setAttribute('aria-busy', 'true');
  status.textContent = 'Loading…';
  channel.post(make(latestRequest));
}

function setAutoRefresh(on: boolean): void {
  autoRefresh = on;
  if (timer) clearInterval(timer);
  timer = on ? setInterval(() => request((requestId) => ({ type: 'refresh', requestId })), autoRefreshMs) : undefined;
  saveState();
}

function onInit(message: MetricsInit): void {
  init = message;
  range = message.range;
  document.title = message.title;
  const toolbar = createToolbar(message, range, autoRefresh, {
    onRange: (next) => {
      range = next;
      saveState();
      request((requestId) => ({ type: 'setRange', requestId, range: next }));
    },
    onRefresh: () => request((requestId) => ({ type: 'refresh', requestId })),
    onAutoRefresh: setAutoRefresh,
    onRequestAccess: () => channel.post({ type: 'requestAccess' }),
    onOpenLogs: () => channel.post({ type: 'openLogs', resourceId: message.resource?.id }),
  });
  clear(app);
  app.append(toolbar.element, banner, status, grid);
  setAutoRefresh(autoRefresh);
  app.setAttribute('aria-busy', 'true');
  status.textContent = 'Loading…';
}

function getChart(chart: Chart): MetricChart {
  const existing = charts.get(chart.metric.name);
  if (existing) {
    existing.update(chart);
    return existing;
  }
  const created = new MetricChart(chart, getThemeColors(), {
    onPick: (time, resourceId) => channel.post({ type: 'openLogsAt', time, resourceId }),
  });
  charts.set(chart.metric.name, created);
  return created;
}

function onMetrics(message: MetricsToWebview & { type: 'metrics' }): void {
  if (message.requestId !== undefined && message.requestId !== latestRequest) return; // a stale reply
  banner.hidden = true;
  const names = new Set(message.charts.map((c) => c.metric.name));
  for (const [name, chart] of charts) {
    if (names.has(name)) continue;
    chart.destroy();
    chart.element.remove();
    charts.delete(name);
  }
  for (const chart of message.charts) {
    const view = getChart(chart);
    if (view.element.parentElement !== grid) grid.append(view.element);
    markData(view.element, chart);
  }
  const period = message.charts[0] ? ` · one point per ${getPeriodLabel(message.charts[0].period)}` : '';
  const cut = message.truncated ? ' · showing the first resources only' : '';
  status.textContent = `Updated ${new Date().toLocaleTimeString()} · ${new Date(message.start).toLocaleString()} – ${new Date(message.end).toLocaleString()}${period}${cut}`;
  app.setAttribute('aria-busy', 'false');
}

/** Attributes the end-to-end tests read to see that a chart holds data, and where it peaks. */
function markData(element: HTMLElement, chart: Chart): void {
  let points = 0;
  let maxAt = -1;
  let max = -Infinity;
  for (const s of chart.series) {
    s.values.forEach((v, i) => {
      if (v === null) return;
      points += 1;
      if (v > max) [max, maxAt] = [v, chart.timestamps[i] ?? -1];
    });
  }
  element.dataset.points = String(points);
  element.dataset.maxAt = String(maxAt);
}

function onFailed(message: MetricsToWebview & { type: 'failed' }): void {
  if (message.requestId !== undefined && message.requestId !== latestRequest) return;
  banner.replaceChildren(h('strong', {}, 'Could not load metrics. '), message.message);
  if (message.code === 'AccessDenied' || message.code === 'Expired' || message.code === 'NoCredentials') {
    const button = h('button', { type: 'button', class: 'link-button' }, 'Request Access');
    button.addEventListener('click', () => channel.post({ type: 'requestAccess' }));
    banner.append(' ', button);
  }
  banner.hidden = false;
  status.textContent = '';
  app.setAttribute('aria-busy', 'false');
}

function redrawForTheme(): void {
  const colors = getThemeColors();
  for (const chart of charts.values()) chart.setColors(colors);
}

function onMessage(message: MetricsToWebview): void {
  switch (message.type) {
    case 'init':
      return onInit(message);
    case 'metrics':
      return onMetrics(message);
    case 'failed':
      return onFailed(message);
  }
}

new ResizeObserver(() => {
  for (const chart of charts.values()) chart.resize();
}).observe(grid);
onThemeChange(redrawForTheme);
channel.post({ type: 'ready' });
