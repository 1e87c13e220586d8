// The logs panel's controls: filter pattern, range, follow, refresh and "load more".
import { type LogsInit, limits } from '../../src/shared/messages';
import { type TimeRange } from '../../src/shared/timeRange';
import { custom, h, icon } from '../common/dom';
import { createRangePicker } from '../common/rangePicker';

export interface LogsToolbarHandlers {
  onFilter(pattern: string): void;
  onRange(range: TimeRange): void;
  onFollow(on: boolean): void;
  onRefresh(): void;
  onLoadMore(): void;
  onRequestAccess(): void;
}

export interface LogsToolbar {
  element: HTMLElement;
  setHasMore(hasMore: boolean): void;
  setFollow(on: boolean): void;
}

type Checkbox = HTMLElement & { checked: boolean };
type TextField = HTMLElement & { value: string };

export function createLogsToolbar(
  init: LogsInit,
  state: { range: TimeRange; filterPattern: string; follow: boolean },
  handlers: LogsToolbarHandlers,
): LogsToolbar {
  const filter = custom('vscode-textfield', {
    class: 'filter',
    placeholder: 'Filter pattern, e.g. ERROR or { $.level = "ERROR" }',
    'aria-label': 'Filter pattern',
    maxlength: limits.filterPattern,
  }) as TextField;
  filter.value = state.filterPattern;
  filter.addEventListener('change', () => handlers.onFilter(filter.value));
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') handlers.onFilter(filter.value);
  });
  const picker = createRangePicker(state.range, handlers.onRange);
  const follow = custom('vscode-checkbox', { label: 'Follow', checked: state.follow }) as Checkbox;
  follow.addEventListener('change', () => handlers.onFollow(follow.checked));
  const refresh = h(
    'button',
    { type: 'button', class: 'icon-button', title: 'Refresh', 'aria-label': 'Refresh' },
    icon('refresh'),
  );
  refresh.addEventListener('click', handlers.onRefresh);
  const more = custom('vscode-button', { secondary: true, class: 'load-more', disabled: true }, 'Load More');
  more.addEventListener('click', handlers.onLoadMore);
  const access = custom('vscode-button', { class: 'request-access' }, 'Request Access');
  access.addEventListener('click', handlers.onRequestAccess);
  const heading = h('h1', { class: 'panel-title' }, 'Logs: ', h('code', {}, init.logGroupName));
  const element = h(
    'header',
    { class: 'toolbar' },
    heading,
    h('div', { class: 'controls' }, filter, picker.element, follow, refresh, more),
    h('div', { class: 'actions' }, access),
  );
  return {
    element,
    setHasMore: (hasMore) => more.toggleAttribute('disabled', !hasMore),
    setFollow: (on) => {
      follow.checked = on;
    },
  };
}
