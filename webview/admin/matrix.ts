// The effective-permissions matrix: one row per role × service × level the role may
// request, with its duration caps and requirements; inherited grants say where from.
import { type MatrixRowMessage } from '../../src/shared/adminMessages';
import { h } from '../common/dom';

const yes = (on: boolean): string => (on ? 'required' : '—');
/**
 * How the MFA is met: per kind of identity in the matrix ("TOTP (IAM users) / Identity Center
 * sign-in / SAML sign-in"), for the principal's kind in a simulation. A requirement the policy
 * never wrote (MFA is on by default) says so, so nobody mistakes it for one set on purpose.
 */
const mfaCell = (row: MatrixRowMessage): string => {
  const how = row.mfa && row.mfaText ? row.mfaText : yes(row.mfa);
  return row.mfa && row.mfaDefault ? `${how} (default)` : how;
};
const mfaTitle = (row: MatrixRowMessage): string =>
  `${row.mfaDefault ? 'The policy does not set "mfa"; MFA is required by default. ' : ''}` +
  'IAM verifies only TOTP codes of IAM users; an Identity Center or SAML sign-in is trusted, not checked by IAM.';

export function renderGrantTable(rows: readonly MatrixRowMessage[], caption: string, showRole: boolean): HTMLElement {
  const head = h(
    'tr',
    {},
    ...(showRole ? [h('th', { scope: 'col' }, 'Role')] : []),
    h('th', { scope: 'col' }, 'Service'),
    h('th', { scope: 'col' }, 'Level'),
    h('th', { scope: 'col' }, 'Default'),
    h('th', { scope: 'col' }, 'Max'),
    h('th', { scope: 'col' }, 'MFA'),
    h('th', { scope: 'col' }, 'Reason'),
    h('th', { scope: 'col' }, 'Ticket'),
    h('th', { scope: 'col' }, 'Granted by'),
  );
  const body = h('tbody', {});
  let lastRole: string | undefined;
  for (const row of rows) {
    const first = showRole && row.role !== lastRole;
    lastRole = row.role;
    body.append(
      h(
        'tr',
        {
          class: `${row.inherited ? 'inherited' : ''}${first ? ' group-start' : ''}`.trim(),
          'data-role': row.role,
          'data-service': row.service,
          'data-level': row.level,
        },
        ...(showRole ? [h('th', { scope: 'row' }, first ? row.role : '')] : []),
        h('td', {}, row.service),
        h('td', {}, row.level),
        h('td', { class: 'num' }, `${row.defaultMinutes} min`),
        h('td', { class: 'num' }, `${row.maxMinutes} min`),
        h('td', { ...(row.mfa ? { title: mfaTitle(row) } : {}) }, mfaCell(row)),
        h('td', {}, yes(row.reason)),
        h('td', {}, yes(row.ticket)),
        h('td', {}, row.inherited ? `inherited from ${row.fromRole}` : 'own grant'),
      ),
    );
  }
  if (rows.length === 0) body.append(h('tr', {}, h('td', { colspan: showRole ? 9 : 8, class: 'empty' }, 'No grants.')));
  return h('table', { class: 'grid' }, h('caption', {}, caption), h('thead', {}, head), body);
}

export function renderMatrix(rows: readonly MatrixRowMessage[], roles: readonly string[]): HTMLElement {
  const section = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'matrix-heading' },
    h('h2', { id: 'matrix-heading' }, 'Effective permissions'),
  );
  const withoutGrants = roles.filter((role) => !rows.some((r) => r.role === role));
  section.append(renderGrantTable(rows, `${roles.length} roles; inherited grants are marked`, true));
  if (withoutGrants.length > 0)
    section.append(h('p', { class: 'note' }, `Roles without grants: ${withoutGrants.join(', ')}`));
  return section;
}
