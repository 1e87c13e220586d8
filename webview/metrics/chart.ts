// One metric as a uPlot chart: one line per resource, gaps where CloudWatch has no data,
// alarm thresholds as horizontal lines, values with units on hover. The chart is
// keyboard-usable: focus it, move with ←/→ (Home/End), Enter opens the logs at that point.
import uPlot from 'uplot';
import { type Chart } from '../../src/shared/messages';
import { formatValue } from '../../src/shared/units';
import { h } from '../common/dom';
import { type ThemeColors } from '../common/theme';
import { getChartSummary } from './summary';

export interface ChartHandlers {
  /** A point was chosen (click or Enter): epoch ms and the series' resource. */
  onPick(time: number, resourceId: string | undefined): void;
}

const chartHeight = 180;

function toAligned(chart: Chart): uPlot.AlignedData {
  const xs = chart.timestamps.map((t) => t / 1000);
  return [xs, ...chart.series.map((s) => s.values)] as uPlot.AlignedData;
}

function thresholdPlugin(getChart: () => Chart, getColors: () => ThemeColors): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const { ctx, bbox } = u;
          for (const t of getChart().thresholds) {
            const y = Math.round(u.valToPos(t.value, 'y', true));
            if (y < bbox.top || y > bbox.top + bbox.height) continue;
            ctx.save();
            ctx.strokeStyle = t.state === 'ALARM' ? getColors().threshold : getColors().thresholdOk;
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(bbox.left, y);
            ctx.lineTo(bbox.left + bbox.width, y);
            ctx.stroke();
            ctx.restore();
          }
        },
      ],
    },
  };
}

export class MetricChart {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private readonly plotHost: HTMLElement;
  private readonly summary: HTMLElement;
  private chart: Chart;
  private colors: ThemeColors;

  constructor(
    chart: Chart,
    colors: ThemeColors,
    private readonly handlers: ChartHandlers,
  ) {
    this.chart = chart;
    this.colors = colors;
    const { name, stat, unit } = chart.metric;
    const titleId = `chart-title-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const summaryId = `${titleId}-summary`;
    this.summary = h('p', { class: 'chart-summary', id: summaryId });
    this.plotHost = h('div', {
      class: 'chart-plot',
      role: 'img',
      tabindex: 0,
      'aria-labelledby': titleId,
      'aria-describedby': summaryId,
    });
    this.element = h(
      'section',
      { class: 'chart', 'data-metric': name },
      h(
        'h2',
        { class: 'chart-title', id: titleId },
        `${name} `,
        h('span', { class: 'chart-stat' }, `${stat} · ${unit}`),
      ),
      this.plotHost,
      this.summary,
    );
    this.plotHost.addEventListener('keydown', (e) => this.onKey(e));
    this.render();
  }

  update(chart: Chart): void {
    const sameShape =
      chart.series.length === this.chart.series.length &&
      chart.series.every((s, i) => s.label === this.chart.series[i]?.label);
    this.chart = chart;
    if (this.plot && sameShape) {
      this.plot.setData(toAligned(chart));
      this.updateSummary();
    } else this.render();
  }

  setColors(colors: ThemeColors): void {
    this.colors = colors;
    this.render();
  }

  resize(): void {
    const width = this.plotHost.clientWidth;
    if (this.plot && width > 0 && Math.abs(this.plot.width - width) > 1)
      this.plot.setSize({ width, height: chartHeight });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** The values under the cursor, for tests and screen readers. */
  getData(): { timestamps: number[]; series: { label: string; values: (number | null)[] }[] } {
    return {
      timestamps: this.chart.timestamps,
      series: this.chart.series.map((s) => ({ label: s.label, values: s.values })),
    };
  }

  private render(): void {
    this.plot?.destroy();
    const width = Math.max(200, this.plotHost.clientWidth || this.element.clientWidth || 600);
    this.plot = new uPlot(this.getOptions(width), toAligned(this.chart), this.plotHost);
    this.plot.over.addEventListener('click', () => this.pick(this.plot?.cursor.idx ?? null));
    this.updateSummary();
  }

  private getOptions(width: number): uPlot.Options {
    const { unit } = this.chart.metric;
    const c = this.colors;
    const axis = { stroke: c.foreground, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
    const thresholds = this.chart.thresholds.map((t) => t.value);
    return {
      width,
      height: chartHeight,
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      // A service chart may hold up to 100 resources: past a dozen the legend is noise.
      legend: { show: this.chart.series.length <= 12, live: true },
      scales: {
        x: { time: true },
        y: {
          // Keep alarm thresholds in view even when the data stays far below them.
          range: (_u, min, max) => {
            const lo = Math.min(min ?? 0, ...thresholds, 0);
            const hi = Math.max(max ?? 1, ...thresholds);
            return [lo, hi === lo ? lo + 1 : hi + (hi - lo) * 0.05];
          },
        },
      },
      axes: [{ ...axis }, { ...axis, size: 72, values: (_u, splits) => splits.map((v) => formatValue(v, unit)) }],
      series: [
        { value: (_u, v) => (v === null ? '–' : new Date(v * 1000).toLocaleString()) },
        ...this.chart.series.map((s, i) => ({
          label: s.label,
          stroke: c.series[i % c.series.length],
          width: c.highContrast ? 2.5 : 1.5,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => formatValue(v, unit),
        })),
      ],
      plugins: [
        thresholdPlugin(
          () => this.chart,
          () => this.colors,
        ),
      ],
    };
  }

  private updateSummary(): void {
    this.summary.textContent = getChartSummary(this.chart);
  }

  private pick(idx: number | null | undefined): void {
    if (idx === null || idx === undefined) return;
    const time = this.chart.timestamps[idx];
    if (time === undefined) return;
    // With one resource the series is implied; with several, the one nearest the cursor.
    const focused = this.chart.series.length === 1 ? 0 : this.getNearestSeries(idx);
    this.handlers.onPick(time, this.chart.series[focused]?.resourceId);
  }

  private getNearestSeries(idx: number): number {
    const plot = this.plot;
    if (!plot) return 0;
    const top = plot.cursor.top ?? 0;
    let best = 0;
    let bestDistance = Infinity;
    this.chart.series.forEach((s, i) => {
      const v = s.values[idx];
      if (v === null || v === undefined) return;
      const distance = Math.abs(plot.valToPos(v, 'y') - top);
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    });
    return best;
  }

  private onKey(event: KeyboardEvent): void {
    const plot = this.plot;
    const count = this.chart.timestamps.length;
    if (!plot || count === 0) return;
    const current = plot.cursor.idx ?? count - 1;
    const moves: Record<string, number> = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: count - 1 };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.pick(current);
      return;
    }
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const idx = Math.max(0, Math.min(count - 1, next));
    const x = plot.valToPos(this.chart.timestamps[idx]! / 1000, 'x');
    const firstValue = this.chart.series[0]?.values[idx];
    const y =
      firstValue === null || firstValue === undefined ? plot.over.clientHeight / 2 : plot.valToPos(firstValue, 'y');
    plot.setCursor({ left: x, top: y });
  }
}
