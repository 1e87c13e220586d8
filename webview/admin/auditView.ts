// The audit browser: filters (user, service, outcome, event, time, free text), one page
// of records newest first, paging, source status and the export buttons.
import {
  type AdminToWebview,
  type AuditFilterMessage,
  type AuditRowMessage,
  type ExportFormat,
  adminLimits,
} from '../../src/shared/adminMessages';
import { custom, h } from '../common/dom';

type Field = HTMLElement & { value: string };
type AuditPage = Extract<AdminToWebview, { type: 'audit' }>;

export interface AuditViewHandlers {
  onFilter(filter: AuditFilterMessage): void;
  onPage(page: number): void;
  onReload(): void;
  onExport(format: ExportFormat): void;
}

export interface AuditView {
  element: HTMLElement;
  show(page: AuditPage): void;
  setStatus(text: string, isError?: boolean): void;
}

function select(label: string, options: readonly string[], value: string | undefined): Field {
  const element = custom(
    'vscode-single-select',
    { 'aria-label': label, class: `filter-${label.toLowerCase()}` },
    custom('vscode-option', { value: '' }, `Any ${label.toLowerCase()}`),
    ...options.map((o) => custom('vscode-option', { value: o, selected: o === value }, o)),
  ) as Field;
  return element;
}

function textField(label: string, placeholder: string, value: string | undefined): Field {
  const field = custom('vscode-textfield', {
    'aria-label': label,
    placeholder,
    class: `filter-${label.toLowerCase()}`,
    maxlength: adminLimits.text,
  }) as Field;
  field.value = value ?? '';
  return field;
}

/** `datetime-local` speaks local wall time without a zone. */
function toLocalInput(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function fromLocalInput(value: string): number | undefined {
  const ms = value === '' ? NaN : new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** An organisation record that did not verify per writer says so, and why, in its own cell. */
function renderVerification(row: AuditRowMessage): HTMLElement {
  if (row.verification === 'unverified') {
    return h(
      'td',
      { class: 'verification', title: row.stream ? `stream ${row.stream}` : undefined },
      h('strong', {}, 'Unverified'),
      `: ${row.unverifiedReason ?? ''}`,
    );
  }
  return h(
    'td',
    { class: 'verification', title: row.stream ? `stream ${row.stream}` : undefined },
    row.verification === 'verified' ? 'Verified' : 'Local only',
  );
}

function renderRow(row: AuditRowMessage): HTMLElement {
  const what = [row.service, row.level].filter(Boolean).join(' ');
  const why = [row.reason, row.ticket ? `ticket ${row.ticket}` : undefined].filter(Boolean).join(' · ');
  const state = row.verification === 'unverified' ? ' unverified' : '';
  return h(
    'tr',
    {
      class: `audit-row outcome-${row.outcome}${state}`,
      'data-seq': row.seq,
      'data-request-id': row.requestId,
      'data-verification': row.verification,
    },
    h('td', { class: 'time' }, new Date(row.time).toLocaleString()),
    h('td', {}, row.event),
    h('td', { class: 'actor' }, row.actor),
    h('td', {}, row.role ?? ''),
    h('td', {}, what),
    h('td', { class: 'outcome' }, row.outcome),
    h('td', {}, row.durationSeconds === undefined ? '' : `${Math.round(row.durationSeconds / 60)} min`),
    h('td', { class: 'why' }, why),
    h('td', { class: 'request-id' }, row.requestId ?? ''),
    h('td', {}, row.source),
    renderVerification(row),
  );
}

export function createAuditView(
  services: readonly string[],
  events: readonly string[],
  filter: AuditFilterMessage,
  handlers: AuditViewHandlers,
): AuditView {
  const user = textField('User', 'ARN or part of it', filter.user);
  const service = select('Service', services, filter.service);
  const outcome = select('Outcome', ['success', 'failure', 'denied'], filter.outcome);
  const event = select('Event', events, filter.event);
  const text = textField('Text', 'reason, ticket, request id…', filter.text);
  const from = h('input', { type: 'datetime-local', 'aria-label': 'From', class: 'date-input' });
  const to = h('input', { type: 'datetime-local', 'aria-label': 'To', class: 'date-input' });
  from.value = toLocalInput(filter.from);
  to.value = toLocalInput(filter.to);
  const read = (): AuditFilterMessage => {
    const f: AuditFilterMessage = {};
    const trimmed = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
    f.user = trimmed(user.value);
    f.service = trimmed(service.value);
    f.outcome = trimmed(outcome.value) as AuditFilterMessage['outcome'];
    f.event = trimmed(event.value);
    f.text = trimmed(text.value);
    f.from = fromLocalInput(from.value);
    f.to = fromLocalInput(to.value);
    return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as AuditFilterMessage;
  };
  const apply = custom('vscode-button', { class: 'apply-filter' }, 'Apply');
  apply.addEventListener('click', () => handlers.onFilter(read()));
  for (const field of [user, text])
    field.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && handlers.onFilter(read()));
  for (const field of [service, outcome, event, from, to])
    field.addEventListener('change', () => handlers.onFilter(read()));
  const reload = custom('vscode-button', { secondary: true, class: 'reload-audit' }, 'Reload');
  reload.addEventListener('click', handlers.onReload);
  const exports = (['jsonl', 'csv', 'ocsf'] as const).map((format) => {
    const button = custom(
      'vscode-button',
      { secondary: true, class: `export-${format}` },
      `Export ${format.toUpperCase()}`,
    );
    button.addEventListener('click', () => handlers.onExport(format));
    return button;
  });
  const status = h('p', { class: 'status', role: 'status' });
  const sources = h('p', { class: 'note audit-sources' });
  const body = h('tbody', {});
  const prev = custom('vscode-button', { secondary: true, class: 'page-prev', disabled: true }, 'Newer');
  const next = custom('vscode-button', { secondary: true, class: 'page-next', disabled: true }, 'Older');
  const pageLabel = h('span', { class: 'page-label' });
  let current = 0;
  prev.addEventListener('click', () => handlers.onPage(current - 1));
  next.addEventListener('click', () => handlers.onPage(current + 1));
  const headers = [
    'Time',
    'Event',
    'User',
    'Role',
    'Access',
    'Outcome',
    'Duration',
    'Reason / ticket',
    'Request',
    'Source',
    'Writer check',
  ];
  const table = h(
    'table',
    { class: 'grid audit-table' },
    h('caption', {}, 'Audit records, newest first'),
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'audit-heading' },
    h('h2', { id: 'audit-heading' }, 'Audit trail'),
    h(
      'div',
      { class: 'controls audit-filters' },
      user,
      service,
      outcome,
      event,
      h('label', {}, 'From ', from),
      h('label', {}, 'To ', to),
      text,
      apply,
    ),
    h('div', { class: 'controls' }, reload, ...exports),
    sources,
    status,
    table,
    h('div', { class: 'controls pager' }, prev, pageLabel, next),
  );
  return {
    element,
    show: (page) => {
      current = page.page;
      body.replaceChildren(...page.rows.map(renderRow));
      if (page.rows.length === 0)
        body.append(h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, 'No records match.')));
      pageLabel.textContent = `Page ${page.page + 1} of ${Math.max(1, page.pageCount)} · ${page.total} records`;
      prev.toggleAttribute('disabled', page.page <= 0);
      next.toggleAttribute('disabled', page.page + 1 >= page.pageCount);
      const remote = page.remote.logGroup
        ? `${page.remote.logGroup}: ${page.remote.error ?? `${page.remote.count} records`}`
        : 'no organisation log group in the policy';
      sources.textContent = `Local trail: ${page.local.error ?? `${page.local.count} records`} · ${remote}`;
      sources.classList.toggle('inline-error', page.local.error !== undefined || page.remote.error !== undefined);
      element.dataset.total = String(page.total);
    },
    setStatus: (message, isError = false) => {
      status.textContent = message;
      status.classList.toggle('inline-error', isError);
    },
  };
}
