// "Sessions outside InfraWatch": a time range, a Find button (loaded on demand: CloudTrail
// allows two lookups a second, so nothing reads it until asked), then the sessions of the
// JIT roles InfraWatch did not make — who, when, which role, which tags and SourceIdentity,
// and why they do not match — and how many did match.
import {
  type AdminToWebview,
  type OutsideRange,
  type OutsideRowMessage,
  adminLimits,
} from '../../src/shared/adminMessages';
import { custom, h } from '../common/dom';

type OutsideReport = Extract<AdminToWebview, { type: 'outside' }>;

export interface OutsideView {
  element: HTMLElement;
  /** Puts `range` in the inputs (from the command) without asking. */
  setRange(range: OutsideRange): void;
  show(report: OutsideReport): void;
  setStatus(text: string, isError?: boolean): void;
}

const reasonLabels: Record<OutsideRowMessage['reason'], string> = {
  'no-request-id': 'No InfraWatch request id',
  'unknown-request-id': 'Request id not in the audit trail',
  'session-name-mismatch': 'Session name does not match',
  'caller-mismatch': 'Someone else’s request id',
  'access-key-mismatch': 'Other credentials than granted',
  'request-id-reused': 'Request id used twice',
};

const dayMs = 24 * 3_600_000;

function toLocalInput(ms: number): string {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function fromLocalInput(value: string): number | undefined {
  const ms = value === '' ? NaN : new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

function renderRow(row: OutsideRowMessage): HTMLElement {
  const tags = row.tags.length === 0 ? 'none' : row.tags.map((t) => `${t.key}=${t.value}`).join(', ');
  return h(
    'tr',
    {
      class: 'outside-row',
      'data-event-id': row.eventId,
      'data-reason': row.reason,
      'data-session-name': row.sessionName,
    },
    h('td', { class: 'time' }, new Date(row.time).toLocaleString()),
    h('td', { class: 'actor caller' }, row.caller),
    h('td', { class: 'role' }, row.roles.join(', '), h('br', {}), h('span', { class: 'note role-arn' }, row.roleArn)),
    h('td', { class: 'session-name actor' }, row.sessionName),
    h('td', { class: 'source-identity' }, row.sourceIdentity ?? 'none'),
    h('td', { class: 'tags actor' }, tags),
    h(
      'td',
      { class: 'why', title: row.explanation },
      h('strong', {}, reasonLabels[row.reason]),
      h('br', {}),
      row.explanation,
    ),
  );
}

export function createOutsideView(
  initial: OutsideRange | undefined,
  onFind: (range: OutsideRange) => void,
): OutsideView {
  const from = h('input', { type: 'datetime-local', 'aria-label': 'Sessions from', class: 'date-input outside-from' });
  const to = h('input', { type: 'datetime-local', 'aria-label': 'Sessions to', class: 'date-input outside-to' });
  const setRange = (range: OutsideRange): void => {
    from.value = toLocalInput(range.from);
    to.value = toLocalInput(range.to);
  };
  const now = Date.now();
  setRange(initial ?? { from: now - dayMs, to: now });
  const status = h('p', { class: 'status outside-status', role: 'status' });
  const summary = h('p', { class: 'note outside-summary' });
  const body = h('tbody', {});
  const find = custom('vscode-button', { class: 'find-outside' }, 'Find');
  find.addEventListener('click', () => {
    const range = { from: fromLocalInput(from.value), to: fromLocalInput(to.value) };
    if (range.from === undefined || range.to === undefined) return setStatus('Choose both ends of the range.', true);
    if (range.from > range.to) return setStatus('The range starts after it ends.', true);
    if (range.to - range.from > adminLimits.outsideRangeMs)
      return setStatus('CloudTrail keeps 90 days: choose a shorter range.', true);
    onFind({ from: range.from, to: range.to });
  });
  const headers = ['Time', 'Who', 'Role', 'Session name', 'SourceIdentity', 'Session tags', 'Why it is flagged'];
  const table = h(
    'table',
    { class: 'grid outside-table' },
    h('caption', {}, 'AssumeRole calls on the JIT roles that InfraWatch did not make, newest first'),
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
  const element = h(
    'section',
    { class: 'admin-section outside-section', 'aria-labelledby': 'outside-heading' },
    h('h2', { id: 'outside-heading' }, 'Sessions outside InfraWatch'),
    h(
      'p',
      { class: 'note' },
      'Reads CloudTrail’s AssumeRole events on the roles the policy names and matches each to the audit trail by its request id tag, session name and caller.',
    ),
    h('div', { class: 'controls' }, h('label', {}, 'From ', from), h('label', {}, 'To ', to), find),
    status,
    summary,
    table,
  );
  const setStatus = (message: string, isError = false): void => {
    status.textContent = message;
    status.classList.toggle('inline-error', isError);
  };
  return {
    element,
    setRange,
    show: (report) => {
      body.replaceChildren(...report.rows.map(renderRow));
      if (report.rows.length === 0)
        body.append(
          h(
            'tr',
            {},
            h('td', { colspan: headers.length, class: 'empty' }, 'No sessions outside InfraWatch in this range.'),
          ),
        );
      const shown = report.unmatched > report.rows.length ? ` (the newest ${report.rows.length} shown)` : '';
      const audit = report.remote.logGroup
        ? `the local trail and ${report.remote.logGroup}`
        : 'the local trail only (the policy names no organisation log group, so other machines’ sessions cannot match)';
      const problems = [report.local.error, report.remote.error].filter(Boolean).join('; ');
      summary.textContent =
        `${report.unmatched} outside InfraWatch${shown} · ${report.matched} matched · ${report.otherRoles} on other roles · ${report.refused} refused calls · ` +
        `matched against ${audit}${problems ? ` (${problems})` : ''}${report.truncated ? ' · more events than one look reads: narrow the range' : ''}`;
      summary.classList.toggle('inline-error', problems !== '' || report.truncated);
      element.dataset.unmatched = String(report.unmatched);
      element.dataset.matched = String(report.matched);
    },
    setStatus,
  };
}
