// A list that stays smooth with 100,000+ log lines: every row has the same height, only
// the rows in view (plus a few either side) exist in the DOM, and scrolling recycles a
// small pool of row elements instead of creating new ones. Keyboard: ↑/↓/PageUp/
// PageDown/Home/End move the selection, Enter (or Copy) copies the selected line.
import { type LogEventMessage } from '../../src/shared/messages';
import { h, icon } from '../common/dom';
import { formatLogTime, getVisibleRange, maxRows, maxShownChars, rowHeight } from './rows';

export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private rows: LogEventMessage[] = [];
  private selected = -1;
  private frame = 0;

  constructor(private readonly onCopy: (text: string) => void) {
    this.spacer = h('div', { class: 'log-spacer' });
    this.element = h(
      'div',
      { class: 'log-list', role: 'listbox', tabindex: 0, 'aria-label': 'Log events' },
      this.spacer,
    );
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('click', (e) => this.onClick(e));
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  get count(): number {
    return this.rows.length;
  }

  get isAtBottom(): boolean {
    return this.element.scrollTop + this.element.clientHeight >= this.element.scrollHeight - rowHeight * 2;
  }

  replace(rows: readonly LogEventMessage[]): void {
    this.rows = rows.slice(-maxRows);
    this.selected = -1;
    this.element.scrollTop = 0;
    this.layout();
  }

  append(rows: readonly LogEventMessage[], follow: boolean): void {
    const stick = follow && this.isAtBottom;
    this.rows.push(...rows);
    const overflow = this.rows.length - maxRows;
    if (overflow > 0) {
      this.rows.splice(0, overflow);
      this.selected = Math.max(-1, this.selected - overflow);
    }
    this.layout();
    if (stick) this.scrollToRow(this.rows.length - 1);
  }

  scrollToRow(index: number, select = false): void {
    if (index < 0 || index >= this.rows.length) return;
    if (select) this.selected = index;
    const top = index * rowHeight;
    const view = this.element.clientHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + rowHeight > this.element.scrollTop + view) this.element.scrollTop = top + rowHeight - view;
    this.render();
  }

  getRows(): readonly LogEventMessage[] {
    return this.rows;
  }

  private layout(): void {
    this.spacer.style.height = `${this.rows.length * rowHeight}px`;
    this.element.setAttribute('aria-setsize', String(this.rows.length));
    this.render();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const { first, last } = getVisibleRange(this.element.scrollTop, this.element.clientHeight || 600, this.rows.length);
    const needed = last - first;
    while (this.pool.length < needed) {
      const copy = h(
        'button',
        { type: 'button', class: 'log-copy icon-button', tabindex: -1, title: 'Copy line', 'aria-label': 'Copy line' },
        icon('copy'),
      );
      const row = h(
        'div',
        { class: 'log-row', role: 'option' },
        h('span', { class: 'log-time' }),
        h('span', { class: 'log-message' }),
        copy,
      );
      this.pool.push(row);
      this.spacer.append(row);
    }
    this.pool.forEach((row, i) => {
      const index = first + i;
      const event = this.rows[index];
      if (i >= needed || !event) {
        row.hidden = true;
        return;
      }
      this.fill(row, event, index);
    });
  }

  private fill(row: HTMLElement, event: LogEventMessage, index: number): void {
    row.hidden = false;
    row.style.transform = `translateY(${index * rowHeight}px)`;
    if (row.dataset.index !== String(index) || row.dataset.id !== event.id) {
      row.dataset.index = String(index);
      row.dataset.id = event.id;
      row.setAttribute('aria-posinset', String(index + 1));
      const [time, message] = row.children as unknown as [HTMLElement, HTMLElement];
      time.textContent = formatLogTime(event.timestamp);
      const shown = event.message.length > maxShownChars ? `${event.message.slice(0, maxShownChars)}…` : event.message;
      message.textContent = shown;
      // A narrow panel cuts the line off: the hover shows all of it (as text, never HTML).
      row.title = `${shown}\n— ${event.stream}`;
    }
    const isSelected = index === this.selected;
    row.classList.toggle('selected', isSelected);
    row.setAttribute('aria-selected', String(isSelected));
    if (isSelected) {
      row.id = 'log-selected';
      this.element.setAttribute('aria-activedescendant', row.id);
    } else if (row.id === 'log-selected') row.removeAttribute('id');
  }

  private onClick(event: MouseEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('.log-row');
    if (!row?.dataset.index) return;
    this.selected = Number(row.dataset.index);
    this.render();
    if ((event.target as HTMLElement).closest('.log-copy')) this.copySelected();
  }

  /** The selected line's text, if a line is selected. */
  getSelectedText(): string | undefined {
    return this.rows[this.selected]?.message;
  }

  copySelected(): void {
    const text = this.getSelectedText();
    if (text !== undefined) this.onCopy(text);
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: this.selected + 1,
      ArrowUp: this.selected - 1,
      PageDown: this.selected + page,
      PageUp: this.selected - page,
      Home: 0,
      End: this.rows.length - 1,
    };
    // Ctrl/Cmd+C arrives as a `copy` event (VS Code runs its Copy command in the page).
    if (event.key === 'Enter') {
      event.preventDefault();
      this.copySelected();
      return;
    }
    const next = moves[event.key];
    if (next === undefined || this.rows.length === 0) return;
    event.preventDefault();
    this.scrollToRow(Math.max(0, Math.min(this.rows.length - 1, next)), true);
  }
}
