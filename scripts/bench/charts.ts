// Metric panel drawing (budget: 20 charts × 1,440 points in under 150 ms): the
// panel's MetricChart (uPlot) against Chart.js on the same chart messages, in the same
// headless Chromium page and run, timed in the page (scripts/bench/pages/charts.html).
import { openBenchPage } from './chartsPage';
import { formatMs, percentile } from './stats';

export interface ChartsBench {
  charts: number;
  points: number;
  uplotMs: number[];
  chartJsMs: number[];
  /** Points each library was given to draw in the last round (a check, not a figure). */
  drawn: { uplot: number; chartjs: number };
}

interface PageResult {
  uplot: number[];
  chartjs: number[];
  drawn: { uplot: number; chartjs: number };
}

export async function measureCharts(charts = 20, points = 1_440, runs = 11): Promise<ChartsBench> {
  const bench = await openBenchPage(
    'charts.html',
    [
      { out: 'uplotChart.js', globalName: 'IwUplot', entry: 'webview/metrics/chart.ts' },
      { out: 'chartjs.js', globalName: 'IwChartJs', contents: "export { Chart, registerables } from 'chart.js';" },
    ],
    ['node_modules/uplot/dist/uPlot.min.css', 'media/webview.css'],
  );
  try {
    const result = (await bench.page.evaluate(
      `runChartsBench(${JSON.stringify({ charts, points, runs })})`,
    )) as PageResult;
    const expected = charts * points;
    if (result.drawn.uplot !== expected || result.drawn.chartjs !== expected) {
      throw new Error(`the chart bench drew ${JSON.stringify(result.drawn)} points, expected ${expected} each`);
    }
    return { charts, points, uplotMs: result.uplot, chartJsMs: result.chartjs, drawn: result.drawn };
  } finally {
    await bench.close();
  }
}

export function getChartRows(bench: ChartsBench): { measure: string; result: string; budget: string }[] {
  const uplot = percentile(bench.uplotMs, 50);
  const chartJs = percentile(bench.chartJsMs, 50);
  const what = `${bench.charts} charts × ${bench.points.toLocaleString('en')} points, headless Chromium, in the page (p50 / max of ${bench.uplotMs.length})`;
  return [
    {
      measure: `Metric panel: draw ${what}, uPlot (the panel's MetricChart)`,
      result: `${formatMs(uplot)} / ${formatMs(Math.max(...bench.uplotMs))}`,
      budget: '< 150 ms',
    },
    {
      measure: 'Same data, same run, Chart.js 4 (animation and parsing off) as the peer',
      result: `${formatMs(chartJs)} / ${formatMs(Math.max(...bench.chartJsMs))}: Chart.js takes ${(chartJs / uplot).toFixed(1)}× as long`,
      budget: '—',
    },
  ];
}
