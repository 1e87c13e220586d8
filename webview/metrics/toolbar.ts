// The metrics panel's controls: range, refresh, auto-refresh, logs and Request Access.
import { type MetricsInit } from '../../src/shared/messages';
import { type TimeRange } from '../../src/shared/timeRange';
import { custom, h, icon } from '../common/dom';
import { createRangePicker } from '../common/rangePicker';

export interface ToolbarHandlers {
  onRange(range: TimeRange): void;
  onRefresh(): void;
  onAutoRefresh(on: boolean): void;
  onRequestAccess(): void;
  onOpenLogs(): void;
}

export interface Toolbar {
  element: HTMLElement;
  setRange(range: TimeRange): void;
}

export function createToolbar(
  init: MetricsInit,
  range: TimeRange,
  autoRefresh: boolean,
  handlers: ToolbarHandlers,
): Toolbar {
  const picker = createRangePicker(range, handlers.onRange);
  const refresh = h(
    'button',
    { type: 'button', class: 'icon-button', title: 'Refresh', 'aria-label': 'Refresh' },
    icon('refresh'),
  );
  refresh.addEventListener('click', handlers.onRefresh);
  const auto = custom('vscode-checkbox', { label: 'Auto-refresh every minute', checked: autoRefresh });
  auto.addEventListener('change', () => handlers.onAutoRefresh((auto as HTMLElement & { checked: boolean }).checked));
  const access = custom('vscode-button', { class: 'request-access' }, 'Request Access');
  access.addEventListener('click', handlers.onRequestAccess);
  const actions = h('div', { class: 'actions' });
  if (init.hasLogs && init.resource) {
    const logs = custom('vscode-button', { secondary: true, class: 'open-logs' }, 'Open Logs');
    logs.addEventListener('click', handlers.onOpenLogs);
    actions.append(logs);
  }
  actions.append(access);
  const heading = h(
    'h1',
    { class: 'panel-title' },
    init.resource ? `${init.serviceName}: ${init.resource.label}` : init.serviceName,
  );
  const element = h(
    'header',
    { class: 'toolbar' },
    heading,
    h('div', { class: 'controls' }, picker.element, refresh, auto),
    actions,
  );
  return { element, setRange: picker.set };
}
