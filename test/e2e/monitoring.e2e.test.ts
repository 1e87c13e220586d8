// What an Employee sees when something is wrong with orders-db: the metrics panel opened
// from the tree, the incident's CPU spike where the demo data puts it, other ranges, the
// high-contrast theme, the logs with the incident's errors, follow mode while the
// endpoint receives new events, and a chart point that opens the logs at its moment.
// Also the page side of the CSP: nothing injected into a panel's page may run.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Frame, Locator, Page } from 'playwright-core';
import { catalog } from '../../src/core/catalog';
import { waitFor } from '../../scripts/lib/processes';
import { getVsix, useE2eSession } from './harness';
import { saveReadmeScreenshot } from './screenshots';

const minuteMs = 60_000;
// localaws/demo/world.ts: the incident starts 90 minutes before the endpoint's start
// and lasts 35 minutes.
const incidentOffsetMs = 90 * minuteMs;
const incidentEndOffsetMs = 55 * minuteMs;
const ordersLogGroup = catalog.rds.logGroupPattern!.replace('{resource}', 'orders-db');

interface ChartInfo {
  metric: string;
  points: number;
  maxAt: number;
  summary: string;
}

/** The inner frame of the webview panel whose page is `panel` (metrics or logs). */
async function panelFrame(page: Page, panel: 'metrics' | 'logs'): Promise<Frame> {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        const kind = await frame.evaluate(() => document.body?.dataset.panel).catch(() => undefined);
        if (kind === panel) return frame;
      }
      return undefined;
    },
    { what: `the ${panel} panel's page`, timeoutMs: 30_000, intervalMs: 200 },
  );
}

function readCharts(frame: Frame): Promise<ChartInfo[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll('.chart')].map((c) => ({
      metric: c.dataset.metric ?? '',
      points: Number(c.dataset.points ?? 0),
      maxAt: Number(c.dataset.maxAt ?? -1),
      summary: c.querySelector('.chart-summary')?.textContent ?? '',
    })),
  );
}

async function waitForCharts(
  frame: Frame,
  what: string,
  done: (charts: ChartInfo[], status: string) => boolean,
): Promise<ChartInfo[]> {
  let last: { charts: ChartInfo[]; status: string } = { charts: [], status: '' };
  return waitFor(
    async () => {
      const busy = await frame.evaluate(() => document.getElementById('app')?.getAttribute('aria-busy'));
      last = {
        charts: await readCharts(frame),
        status:
          (await frame
            .locator('.status')
            .textContent()
            .catch(() => '')) ?? '',
      };
      return busy === 'false' && done(last.charts, last.status) ? last.charts : undefined;
    },
    {
      what,
      timeoutMs: 45_000,
      intervalMs: 250,
      detail: () => `status "${last.status}", charts ${JSON.stringify(last.charts.map(({ summary: _s, ...c }) => c))}`,
    },
  );
}

/**
 * How many pixels of the chart's canvas have the theme's grid and foreground colours.
 * (No named helpers inside: tsx would wrap them in a `__name` the page does not have.)
 */
function countThemePixels(
  frame: Frame,
  metric: string,
): Promise<{ theme: string; grid: string; foreground: string; gridPixels: number; foregroundPixels: number }> {
  return frame.evaluate((name) => {
    const style = getComputedStyle(document.body);
    const hc = document.body.classList.contains('vscode-high-contrast');
    const grid = hc
      ? style.getPropertyValue('--vscode-contrastBorder').trim()
      : style.getPropertyValue('--vscode-editorWidget-border').trim() || 'rgba(128,128,128,0.35)';
    const foreground = style.getPropertyValue('--vscode-foreground').trim();
    const probe = document.createElement('canvas').getContext('2d')!;
    const canvas = document.querySelector(`.chart[data-metric="${name}"] canvas`)!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const [gridPixels, foregroundPixels] = [grid, foreground].map((css) => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const c = probe.getImageData(0, 0, 1, 1).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (
          data[i + 3]! > 0 &&
          Math.abs(data[i]! - c[0]!) <= 6 &&
          Math.abs(data[i + 1]! - c[1]!) <= 6 &&
          Math.abs(data[i + 2]! - c[2]!) <= 6
        )
          n += 1;
      }
      return n;
    });
    return {
      theme: document.body.className,
      grid,
      foreground,
      gridPixels: gridPixels!,
      foregroundPixels: foregroundPixels!,
    };
  }, metric);
}

function quickPickRow(page: Page, label: string): Locator {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
}

/** Runs a palette command by its exact title, then picks an item of the list it shows. */
async function pickFromPalette(page: Page, command: string, item: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.fill(`>${command}`);
  await quickPickRow(page, command).click({ timeout: 10_000 });
  // The command's own list replaces the palette (its input no longer starts with ">"). The
  // item may be below the rows drawn until it is typed (VS Code 1.139 lists more themes).
  await waitFor(
    async () => {
      const value = await input.inputValue().catch(() => '>');
      const rows = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').count();
      return !value.startsWith('>') && rows > 0;
    },
    { what: `the list of "${command}"`, timeoutMs: 10_000, intervalMs: 100 },
  );
  await input.fill(item);
  await quickPickRow(page, item).click({ timeout: 10_000 });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

interface LogsView {
  count: number;
  busy: string | null;
  rows: { id: string; time: string; message: string; selected: boolean }[];
}

function readLogs(frame: Frame): Promise<LogsView> {
  return frame.evaluate(() => {
    const app = document.getElementById('app')!;
    const rows = [...document.querySelectorAll('.log-row')]
      .filter((r) => !r.hidden)
      .map((r) => ({
        id: r.dataset.id ?? '',
        time: r.querySelector('.log-time')?.textContent ?? '',
        message: r.querySelector('.log-message')?.textContent ?? '',
        selected: r.classList.contains('selected'),
      }));
    return { count: Number(app.dataset.count ?? -1), busy: app.getAttribute('aria-busy'), rows };
  });
}

async function waitForLogs(frame: Frame, what: string, done: (view: LogsView) => boolean): Promise<LogsView> {
  let last: LogsView | undefined;
  return waitFor(
    async () => {
      last = await readLogs(frame);
      return last.busy === 'false' && done(last) ? last : undefined;
    },
    {
      what,
      timeoutMs: 45_000,
      intervalMs: 250,
      detail: () =>
        `the logs panel showed ${last?.count} events, rendered: ${JSON.stringify(last?.rows.slice(-5).map((r) => r.message.slice(0, 80)))}`,
    },
  );
}

describe('monitoring panels (e2e)', function () {
  /** Bounds on the endpoint's start time, which anchors the demo incident. */
  let startedBetween: [number, number] = [0, 0];
  let startingAt = 0;
  before(async function () {
    this.timeout(300_000); // packaging the extension does not count as the endpoint's start
    await getVsix();
    startingAt = Date.now();
  });
  const session = useE2eSession({ label: 'monitoring' });
  before(() => {
    startedBetween = [startingAt, Date.now()];
  });

  /** The incident window as seen at the chart's resolution (a bucket starts before it). */
  function assertInIncident(at: number, periodMs: number, what: string): void {
    const [from, to] = [startedBetween[0] - incidentOffsetMs - periodMs, startedBetween[1] - incidentEndOffsetMs];
    assert.ok(
      at >= from && at <= to,
      `${what} at ${new Date(at).toISOString()}, expected between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}`,
    );
  }

  function metricsFrame(): Promise<Frame> {
    return panelFrame(session().page, 'metrics');
  }

  it('opens orders-db metrics from the tree: one chart per RDS metric, each with data, the CPU spike in the incident', async () => {
    const { page } = session();
    await session().openInfraWatch();
    await session().waitForTree('the services', (r) => r.some((row) => row.label === 'RDS'));
    await page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: /^RDS/ }).first().click();
    await session().waitForTree('the RDS instances', (r) => r.some((row) => row.label === 'orders-db'));
    const row = page
      .locator('.part.sidebar .pane-body .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^orders-db$/ }) });
    await row.hover();
    await row.locator('a.action-label[aria-label="Open Metrics"]').click();
    const frame = await metricsFrame();
    const expected = catalog.rds.metrics.map((m) => m.name);
    const charts = await waitForCharts(
      frame,
      'six charts with data',
      (c, status) => c.length === expected.length && c.every((x) => x.points > 0) && /one point per 1 min/.test(status),
    );
    assert.deepEqual(
      charts.map((c) => c.metric),
      expected,
    );
    for (const c of charts)
      assert.ok(c.points > 150 && c.points <= 181, `${c.metric}: ${c.points} points over 3 h at one a minute`);
    const cpu = charts.find((c) => c.metric === 'CPUUtilization')!;
    assertInIncident(cpu.maxAt, minuteMs, 'the CPU peak');
    const max = Number(/max ([\d.]+) %/.exec(cpu.summary)?.[1]);
    assert.ok(max >= 85, `the incident drives CPU above the alarm's 80 %: ${cpu.summary}`);
    assert.ok(
      (await page.locator('.tabs-container .tab', { hasText: 'Metrics: orders-db' }).count()) > 0,
      'the tab names the resource',
    );
    await session().screenshot('monitoring-metrics');
    await saveReadmeScreenshot(session(), 'metrics');
  });

  it('runs nothing injected into the panel page (CSP: nonce scripts only, no inline code, no eval)', async () => {
    const frame = await metricsFrame();
    const result = await frame.evaluate(() =>
      new Promise<string[]>((resolve) => {
        const violations: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          violations.push(e.violatedDirective);
          if (violations.length >= 3) resolve(violations);
        });
        const script = document.createElement('script');
        script.textContent = 'window.iwInline = true;';
        document.body.append(script);
        const img = document.createElement('img');
        img.setAttribute('onerror', 'window.iwHandler = true');
        img.src = 'data:,not-an-image';
        document.body.append(img);
        // Later, from a task of the page's own: code Playwright evaluates may always eval.
        setTimeout(() => {
          try {
            window.iwEval = (0, eval)('true');
          } catch {
            window.iwEval = false;
          }
        }, 0);
        setTimeout(() => resolve(violations), 5_000); // a backstop only: three violations resolve it first
      }).then((violations) => {
        return {
          inline: window.iwInline,
          handler: window.iwHandler,
          evalRan: window.iwEval,
          violations,
          csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
        };
      }),
    );
    assert.equal(result.inline, undefined, 'an injected inline <script> ran');
    assert.equal(result.handler, undefined, 'an injected inline event handler ran');
    assert.equal(result.evalRan, false, 'eval ran');
    const violations = result.violations;
    assert.ok(
      violations.length >= 3 && violations.every((v) => /^script-src/.test(v)),
      `CSP violations reported: ${JSON.stringify(violations)}`,
    );
    assert.match(String(result.csp), /default-src 'none'/);
    assert.match(String(result.csp), /script-src 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
  });

  it('changes the range: 1 d holds a day of minutes, 1 w one point per 10 min, the spike still there', async () => {
    const frame = await metricsFrame();
    await frame.locator('button[data-range="1d"]').click();
    let charts = await waitForCharts(frame, 'a day of data', (c) => c.length === 6 && c.every((x) => x.points > 1_300));
    assert.equal(await frame.locator('button[data-range="1d"]').getAttribute('aria-pressed'), 'true');
    assertInIncident(charts.find((c) => c.metric === 'CPUUtilization')!.maxAt, minuteMs, 'the CPU peak over 1 d');
    await frame.locator('button[data-range="1w"]').click();
    charts = await waitForCharts(
      frame,
      'a week at ten minutes',
      (c, status) =>
        /one point per 10 min/.test(status) && c.length === 6 && c.every((x) => x.points > 900 && x.points <= 1_009),
    );
    assertInIncident(charts.find((c) => c.metric === 'CPUUtilization')!.maxAt, 10 * minuteMs, 'the CPU peak over 1 w');
    await frame.locator('button[data-range="3h"]').click();
    await waitForCharts(
      frame,
      'back to 3 h',
      (c, status) => /one point per 1 min/.test(status) && c.every((x) => x.points > 0 && x.points <= 181),
    );
  });

  it('redraws the charts in the high-contrast theme colours', async () => {
    const { page } = session();
    const frame = await metricsFrame();
    const before = await countThemePixels(frame, 'CPUUtilization');
    assert.ok(
      before.gridPixels > 100,
      `the grid is drawn in the theme's colour ${before.grid}: ${JSON.stringify(before)}`,
    );
    await session().screenshot('monitoring-metrics-default-theme');
    await pickFromPalette(page, 'Preferences: Color Theme', 'Dark High Contrast');
    let after = before;
    await waitFor(
      async () => {
        after = await countThemePixels(frame, 'CPUUtilization');
        return /vscode-high-contrast/.test(after.theme) && after.gridPixels > 100 ? after : undefined;
      },
      {
        what: 'the chart redrawn in high contrast',
        timeoutMs: 20_000,
        detail: () => JSON.stringify({ before, after }),
      },
    );
    assert.notEqual(after.grid, before.grid, 'high contrast has its own grid colour');
    assert.notEqual(after.foreground, before.foreground, 'high contrast has its own foreground');
    assert.ok(
      after.foregroundPixels > 20,
      `axis labels in the high-contrast foreground ${after.foreground}: ${JSON.stringify(after)}`,
    );
    const stale = await frame.evaluate(() => document.querySelectorAll('.chart canvas').length);
    assert.equal(stale, 6, 'one canvas per chart after the redraw');
    await session().screenshot('monitoring-metrics-high-contrast');
  });

  it('opens the logs from the panel: the incident’s ERROR lines are there', async () => {
    const metrics = await metricsFrame();
    await metrics.locator('vscode-button.open-logs').click();
    const frame = await panelFrame(session().page, 'logs');
    await waitForLogs(frame, 'the last hour of orders-db logs', (v) => v.count > 0);
    await frame.locator('button[data-range="3h"]').click();
    const all = await waitForLogs(frame, 'three hours of logs', (v) => v.count > 20 && v.rows.length > 0);
    await frame.locator('vscode-textfield.filter input').fill('ERROR');
    await frame.locator('vscode-textfield.filter input').press('Enter');
    const errors = await waitForLogs(
      frame,
      'the ERROR lines',
      (v) => v.count > 0 && v.count < all.count && v.rows.every((r) => r.message.includes('ERROR')),
    );
    assert.ok(errors.count >= 10, `the incident logs a statement timeout about once a minute: ${errors.count}`);
    assert.ok(
      errors.rows.some((r) => /ERROR:\s+canceling statement due to statement timeout/.test(r.message)),
      JSON.stringify(errors.rows.slice(0, 3)),
    );
    await session().screenshot('monitoring-logs-errors');
    await saveReadmeScreenshot(session(), 'logs', { width: 2500, part: '.part.editor .editor-group-container.active' });
    await frame.locator('vscode-textfield.filter input').fill('');
    await frame.locator('vscode-textfield.filter input').press('Enter');
    await waitForLogs(frame, 'every line again', (v) => v.count >= all.count);
  });

  it('follows the log: events put through the SDK appear, each exactly once', async () => {
    const frame = await panelFrame(session().page, 'logs');
    const base = await readLogs(frame);
    await frame.locator('vscode-checkbox[label="Follow"]').click();
    const identity = session().aws.identities.find((i) => i.name === 'employee');
    assert.ok(identity, 'the fixture has the employee identity');
    const client = new CloudWatchLogsClient({
      endpoint: session().aws.url,
      region: 'us-east-1',
      credentials: {
        accessKeyId: identity.accessKeyId,
        secretAccessKey: identity.secretAccessKey,
        sessionToken: identity.sessionToken,
      },
    });
    const marker = `e2e-${randomUUID()}`;
    const firstAt = Date.now();
    const put = (n: number) =>
      client.send(
        new PutLogEventsCommand({
          logGroupName: ordersLogGroup,
          logStreamName: marker,
          logEvents: [
            { timestamp: Math.max(firstAt, Date.now()), message: `${marker} line ${n}: ERROR:  e2e follow check` },
          ],
        }),
      );
    try {
      await client.send(new CreateLogStreamCommand({ logGroupName: ordersLogGroup, logStreamName: marker }));
      await put(1);
      const first = await waitForLogs(frame, 'the first new event', (v) =>
        v.rows.some((r) => r.message.startsWith(`${marker} line 1`)),
      );
      // The second event needs another poll, whose window overlaps the first event.
      await put(2);
      const second = await waitForLogs(frame, 'the second new event', (v) =>
        v.rows.some((r) => r.message.startsWith(`${marker} line 2`)),
      );
      for (const n of [1, 2])
        assert.equal(
          second.rows.filter((r) => r.message.startsWith(`${marker} line ${n}:`)).length,
          1,
          `line ${n} shown once`,
        );
      assert.equal(new Set(second.rows.map((r) => r.id)).size, second.rows.length, 'no event id rendered twice');
      // The demo's own lines (one every 15 minutes) may land meanwhile: count them too.
      const since = await client.send(new FilterLogEventsCommand({ logGroupName: ordersLogGroup, startTime: firstAt }));
      const demoLines = (since.events ?? []).filter((e) => !e.message?.startsWith(marker)).length;
      const added = second.count - base.count;
      assert.ok(
        added >= 2 && added <= 2 + demoLines,
        `the list grew by ${added} (2 new events, ${demoLines} demo lines meanwhile): ${base.count} → ${first.count} → ${second.count}`,
      );
      await session().screenshot('monitoring-logs-follow');
    } finally {
      client.destroy();
    }
  });

  it('opens the logs at the moment of a chart point that is clicked', async () => {
    const metrics = await metricsFrame();
    const cpu = (await readCharts(metrics)).find((c) => c.metric === 'CPUUtilization')!;
    const over = metrics.locator('.chart[data-metric="CPUUtilization"] .u-over');
    const picked = await hoverAt(metrics, over, cpu.maxAt);
    assert.ok(
      Math.abs(picked - cpu.maxAt) <= 2 * minuteMs,
      `the cursor is on the peak: ${new Date(picked).toISOString()} vs ${new Date(cpu.maxAt).toISOString()}`,
    );
    await over.click({ position: await overPosition(over, metrics, cpu.maxAt) });
    const logs = await panelFrame(session().page, 'logs');
    const view = await waitForLogs(logs, 'the logs around the clicked point', (v) => v.rows.some((r) => r.selected));
    const range = await logs.evaluate(() =>
      [...document.querySelectorAll('.custom-range input')].map((i) => new Date(i.value).getTime()),
    );
    assert.equal(range.length, 2);
    assert.ok(
      Math.abs(range[0]! - (picked - 15 * minuteMs)) <= minuteMs &&
        Math.abs(range[1]! - (picked + 15 * minuteMs)) <= minuteMs,
      `a 30-minute window around ${new Date(picked).toISOString()}: ${range.map((t) => new Date(t).toISOString()).join(' – ')}`,
    );
    const selected = view.rows.find((r) => r.selected)!;
    const selectedAt = await logs.evaluate((t) => new Date(t).getTime(), selected.time);
    assert.ok(
      selectedAt >= picked && selectedAt - picked < 5 * minuteMs,
      `the first line at or after the point is selected: ${selected.time}`,
    );
    assert.ok(
      view.rows.some((r) => /FATAL|ERROR/.test(r.message)),
      'the incident’s errors are around the peak',
    );
    await session().screenshot('monitoring-logs-at-point');
  });

  it('redraws the open log view in a new theme (no message: the page follows VS Code alone)', async () => {
    const logs = await panelFrame(session().page, 'logs');
    const look = () =>
      logs.evaluate(() => {
        const row = document.querySelector('.log-row');
        return {
          theme: document.body.className,
          row: row ? getComputedStyle(row).getPropertyValue('color') : '',
          body: getComputedStyle(document.body).getPropertyValue('color'),
        };
      });
    const before = await look();
    assert.match(before.theme, /vscode-high-contrast/, 'still the high-contrast theme of the chart test');
    assert.ok(before.row !== '', 'a log line is shown');
    await pickFromPalette(session().page, 'Preferences: Color Theme', 'Light Modern');
    let after = before;
    await waitFor(
      async () => {
        after = await look();
        return /vscode-light/.test(after.theme) && after.row !== before.row ? after : undefined;
      },
      { what: 'the log lines in the light theme', timeoutMs: 20_000, detail: () => JSON.stringify({ before, after }) },
    );
    assert.equal(after.row, after.body, "log lines take the theme's text colour");
    await session().screenshot('monitoring-logs-light-theme');
  });
});

/** Where on the plot a time is: uPlot's x scale spans the first to the last timestamp. */
async function overPosition(over: Locator, frame: Frame, time: number): Promise<{ x: number; y: number }> {
  const box = await over.boundingBox();
  assert.ok(box, 'the chart has a plot area');
  const [left, right] = [
    await legendTimeAt(over, frame, 1, box.height / 2),
    await legendTimeAt(over, frame, box.width - 1, box.height / 2),
  ];
  const x = 1 + ((time - left) / (right - left)) * (box.width - 2);
  return { x: Math.max(1, Math.min(box.width - 1, x)), y: box.height / 2 };
}

async function legendTimeAt(over: Locator, frame: Frame, x: number, y: number): Promise<number> {
  await over.hover({ position: { x, y } });
  return frame.evaluate(() => {
    const text =
      document.querySelector('.chart[data-metric="CPUUtilization"] .u-legend .u-series:first-child .u-value')
        ?.textContent ?? '';
    return new Date(text).getTime();
  });
}

async function hoverAt(frame: Frame, over: Locator, time: number): Promise<number> {
  const position = await overPosition(over, frame, time);
  return legendTimeAt(over, frame, position.x, position.y);
}

// ---- the page side -------------------------------------------------------------------
// The functions given to evaluate() run in the webview. tsconfig has no DOM lib (Node code
// must not see one), so the little they touch is declared here, for this module only.
interface PageNode {
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { contains(name: string): boolean };
  readonly className: string;
  hidden: boolean;
  textContent: string | null;
  value: string;
  src: string;
  width: number;
  height: number;
  querySelector(selector: string): PageNode | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  append(...nodes: PageNode[]): void;
  getContext(kind: '2d'): PageCanvas | null;
}

interface PageCanvas {
  fillStyle: string;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}

declare const document: {
  body: PageNode;
  getElementById(id: string): PageNode | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): PageNode[];
  createElement(tag: string): PageNode;
  addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string }) => void): void;
};
declare const window: Record<string, unknown>;
declare function getComputedStyle(element: PageNode): { getPropertyValue(name: string): string };
