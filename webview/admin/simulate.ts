// "What would this principal get?": an ARN box, and the role, the assignment that
// matched and the grants, or the explanation why nothing matches.
import { adminLimits, type SimulationMessage } from '../../src/shared/adminMessages';
import { custom, h } from '../common/dom';
import { renderGrantTable } from './matrix';

type TextField = HTMLElement & { value: string };

export interface SimulateView {
  element: HTMLElement;
  show(result: SimulationMessage): void;
  fail(message: string): void;
}

export function createSimulateView(initialArn: string, onSimulate: (arn: string) => void): SimulateView {
  const input = custom('vscode-textfield', {
    class: 'arn-input',
    placeholder: 'arn:aws:iam::111122223333:user/erin.employee',
    'aria-label': 'Principal ARN',
    maxlength: adminLimits.arn,
  }) as TextField;
  input.value = initialArn;
  const button = custom('vscode-button', { class: 'simulate-button' }, 'Simulate');
  const result = h('div', { class: 'simulation', role: 'status', 'aria-live': 'polite' });
  const submit = (): void => {
    if (input.value.trim() !== '') onSimulate(input.value.trim());
  };
  button.addEventListener('click', submit);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') submit();
  });
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'simulate-heading' },
    h('h2', { id: 'simulate-heading' }, 'Simulate a principal'),
    h('div', { class: 'controls' }, input, button),
    result,
  );
  return {
    element,
    show: (r) => {
      const summary =
        r.role && r.grants.length > 0
          ? h(
              'p',
              { class: 'sim-role' },
              'Role ',
              h('strong', { class: 'sim-role-name' }, r.role),
              r.admin ? ' (admin)' : '',
              ` in account ${r.account ?? '?'}`,
              r.roleArn ? ` — assumes ${r.roleArn}` : '',
            )
          : h('p', { class: 'sim-role sim-none' }, r.valid ? 'No access.' : 'Invalid ARN.');
      result.replaceChildren(summary, h('p', { class: 'sim-explanation' }, r.explanation));
      if (r.grants.length > 0) result.append(renderGrantTable(r.grants, `What ${r.arn} could request`, false));
      result.dataset.role = r.role ?? '';
    },
    fail: (message) => result.replaceChildren(h('p', { class: 'inline-error' }, message)),
  };
}
