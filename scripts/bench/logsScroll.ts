// Logs panel smoothness (issue "Monitoring"): frame times while the panel's virtualised
// list, holding 100,000 lines, is scrolled every frame in headless Chromium
// (scripts/bench/pages/logsScroll.html).
import { openBenchPage } from './chartsPage';
import { formatMs, percentile } from './stats';

export interface LogsScrollBench {
  lines: number;
  pxPerFrame: number;
  /** Time between consecutive animation frames while scrolling, ms. */
  frameGapsMs: number[];
  /** The same with nothing to do: what this machine's Chromium paces frames at. */
  idleGapsMs: number[];
  /** Main-thread time of each scrolled frame: our render, style, layout and paint. */
  frameWorkMs: number[];
  /** The list's own JavaScript per render (recycling rows, setting their text). */
  renderMs: number[];
  /** Appending every line (in 10,000-line messages) up to the first frame, ms. */
  appendMs: number;
  /** Row elements the list keeps in the DOM (the pool), however many lines it holds. */
  rowsInDom: number;
}

interface PageResult {
  gaps: number[];
  idleGaps: number[];
  work: number[];
  renderTimes: number[];
  appendMs: number;
  count: number;
  rowsInDom: number;
  shown: number;
}

export async function measureLogsScroll(lines = 100_000, frames = 600, pxPerFrame = 600): Promise<LogsScrollBench> {
  const bench = await openBenchPage(
    'logsScroll.html',
    [{ out: 'virtualList.js', globalName: 'IwLogs', entry: 'webview/logs/virtualList.ts' }],
    ['media/webview.css'],
  );
  try {
    const result = (await bench.page.evaluate(
      `runLogsScroll(${JSON.stringify({ lines, frames, pxPerFrame })})`,
    )) as PageResult;
    if (result.count !== lines || result.shown === 0)
      throw new Error(`the logs bench list holds ${result.count} lines and shows ${result.shown}; expected ${lines}`);
    return {
      lines,
      pxPerFrame,
      frameGapsMs: result.gaps,
      idleGapsMs: result.idleGaps,
      frameWorkMs: result.work,
      renderMs: result.renderTimes,
      appendMs: result.appendMs,
      rowsInDom: result.rowsInDom,
    };
  } finally {
    await bench.close();
  }
}

export function getLogsScrollRows(bench: LogsScrollBench): { measure: string; result: string; budget: string }[] {
  const ps = (values: readonly number[], ...ns: number[]): string =>
    ns.map((n) => formatMs(percentile(values, n))).join(' / ');
  const slow = bench.frameGapsMs.filter((g) => g > 25).length;
  const lines = bench.lines.toLocaleString('en');
  return [
    {
      measure: `Logs panel: main-thread time per frame while scrolling ${lines} lines, ${bench.pxPerFrame / 20} rows every frame, headless Chromium (p50 / p95 / p99 of ${bench.frameWorkMs.length} frames)`,
      result: `${ps(bench.frameWorkMs, 50, 95, 99)}, of which the list's own JS ${ps(bench.renderMs, 50, 95, 99)}; ${bench.rowsInDom} row elements in the DOM`,
      budget: 'p95 < 16.7 ms',
    },
    {
      measure: 'Same run: time between frames while scrolling (p50 / p95 / p99), and idle in the same page (p50 / p95)',
      result: `${ps(bench.frameGapsMs, 50, 95, 99)} (${slow} of ${bench.frameGapsMs.length} over 25 ms); idle ${ps(bench.idleGapsMs, 50, 95)}`,
      budget: '—',
    },
    {
      measure: `Same list: appending the ${lines} lines (10,000 per message) until the next frame`,
      result: formatMs(bench.appendMs),
      budget: '—',
    },
  ];
}
