// The time range control both panels share: preset buttons (a toggle group, arrow keys
// move between them) and a custom window from two local date-time inputs.
import { type RangePreset, type TimeRange, rangePresets } from '../../src/shared/timeRange';
import { custom, h } from './dom';

export interface RangePicker {
  element: HTMLElement;
  set(range: TimeRange): void;
}

/** `datetime-local` speaks local wall time without a zone; Date parses it as local. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function createRangePicker(initial: TimeRange, onChange: (range: TimeRange) => void): RangePicker {
  const buttons = new Map<string, HTMLButtonElement>();
  const group = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' });
  for (const preset of [...rangePresets, 'custom'] as const) {
    const button = h(
      'button',
      { type: 'button', class: 'segment', 'data-range': preset, 'aria-pressed': 'false' },
      preset === 'custom' ? 'Custom…' : preset,
    );
    buttons.set(preset, button);
    group.append(button);
  }
  const from = h('input', { type: 'datetime-local', 'aria-label': 'From', class: 'date-input' });
  const to = h('input', { type: 'datetime-local', 'aria-label': 'To', class: 'date-input' });
  const apply = custom('vscode-button', { secondary: true }, 'Apply');
  const error = h('span', { class: 'inline-error', role: 'alert' });
  const customForm = h(
    'div',
    { class: 'custom-range', hidden: true },
    h('label', {}, 'From ', from),
    h('label', {}, 'To ', to),
    apply,
    error,
  );
  let current = initial;

  const show = (range: TimeRange, openCustom = false): void => {
    current = range;
    const key = range.kind === 'preset' ? range.preset : 'custom';
    for (const [k, b] of buttons) b.setAttribute('aria-pressed', String(k === key));
    customForm.hidden = !(openCustom || range.kind === 'custom');
    const end = range.kind === 'custom' ? range.end : Date.now();
    const start = range.kind === 'custom' ? range.start : end - 3 * 3_600_000;
    from.value = toLocalInput(start);
    to.value = toLocalInput(end);
  };
  group.addEventListener('click', (e) => {
    const key = (e.target as HTMLElement).closest('button')?.dataset.range;
    if (!key) return;
    if (key === 'custom') return show(current, true);
    const range: TimeRange = { kind: 'preset', preset: key as RangePreset };
    show(range);
    onChange(range);
  });
  group.addEventListener('keydown', (e) => {
    const all = [...buttons.values()];
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (at < 0 || step === 0) return;
    e.preventDefault();
    all[(at + step + all.length) % all.length]?.focus();
  });
  apply.addEventListener('click', () => {
    const start = new Date(from.value).getTime();
    const end = new Date(to.value).getTime();
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
      error.textContent = 'Choose a start before the end.';
      return;
    }
    error.textContent = '';
    const range: TimeRange = { kind: 'custom', start, end: Math.min(end, Date.now()) };
    show(range);
    onChange(range);
  });
  show(initial);
  return { element: h('div', { class: 'range-picker' }, group, customForm), set: (range) => show(range) };
}
