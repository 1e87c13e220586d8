// The CSP proof from the extension host's side (webview input is untrusted and never
// put into HTML): the page a panel gets is a
// fixed shell whose scripts run only by this render's nonce, it never carries a string
// that came from AWS (names, alarms, values and log lines arrive by validated message),
// and a message from the webview that fails its schema is dropped and logged.
// The panels are real ones, opened through the command; the test only watches the
// WebviewPanel that VS Code hands the extension (createWebviewPanel is wrapped).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { formatValue } from '../../src/shared/units';
import { getDemoAlarms } from '../../localaws/demo/alarms';
import { demoAccountId, demoRegion } from '../../localaws/iam/identities';
import { getApi, waitFor, withSettings } from './helpers';

type Listener = (data: unknown) => unknown;

interface Watched {
  panel: vscode.WebviewPanel;
  viewType: string;
  disposed: boolean;
  /** The extension's own onDidReceiveMessage listeners: what a webview message reaches. */
  listeners: Listener[];
  /** Everything the webview sent. */
  received: unknown[];
  /** Everything the extension posted to the webview. */
  posted: Record<string, unknown>[];
  /** The HTML as first set, to show that data never rewrites it. */
  firstHtml?: string;
}

function watchPanels(): { watched: Watched[]; restore(): void } {
  const win = vscode.window as { createWebviewPanel: typeof vscode.window.createWebviewPanel };
  const original = win.createWebviewPanel;
  const watched: Watched[] = [];
  win.createWebviewPanel = (...args: Parameters<typeof original>) => {
    const panel = original.apply(vscode.window, args);
    const entry: Watched = {
      panel,
      viewType: panel.viewType,
      disposed: false,
      listeners: [],
      received: [],
      posted: [],
    };
    panel.onDidChangeViewState((e) => entry.received.push(`viewState visible=${e.webviewPanel.visible}`));
    panel.onDidDispose(() => (entry.disposed = true));
    const { webview } = panel;
    const subscribe = webview.onDidReceiveMessage;
    const post = webview.postMessage.bind(webview);
    Object.defineProperty(webview, 'onDidReceiveMessage', {
      configurable: true,
      value: (listener: Listener, thisArg?: unknown, disposables?: vscode.Disposable[]) => {
        entry.listeners.push((data) => listener.call(thisArg, data));
        return subscribe(
          (data: unknown) => {
            entry.received.push(data);
            return listener.call(thisArg, data);
          },
          undefined,
          disposables,
        );
      },
    });
    Object.defineProperty(webview, 'postMessage', {
      configurable: true,
      value: (message: Record<string, unknown>) => {
        entry.firstHtml ??= webview.html;
        entry.posted.push(message);
        return post(message);
      },
    });
    watched.push(entry);
    return panel;
  };
  return { watched, restore: () => (win.createWebviewPanel = original) };
}

function posted(
  entry: Watched,
  type: string,
  what: string,
  match: (m: Record<string, unknown>, index: number) => boolean = () => true,
): Promise<Record<string, unknown>> {
  return waitFor(what, () => entry.posted.find((m, i) => m.type === type && match(m, i)), 30_000).catch(
    (error: Error) => {
      throw new Error(
        `${error.message}; the webview sent ${JSON.stringify(entry.received).slice(0, 500)}, the extension posted ${JSON.stringify(entry.posted.map((m) => m.type))}`,
      );
    },
  );
}

/**
 * Plays the webview's `ready`, so the host answers without waiting for the page: in VS Code
 * 1.100 for the web, a webview created right after another can wait forever for its
 * service worker ("Found unexpected service worker controller"), and this test is about
 * the host's side only.
 */
function sayReady(entry: Watched): void {
  for (const listener of entry.listeners) listener({ type: 'ready' });
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** The page's CSP directives, by name. */
function getCsp(html: string): Map<string, string[]> {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  assert.ok(meta, 'the page has a CSP meta tag');
  const directives = decodeEntities(meta[1]!)
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0]);
  return new Map(directives.map(([name, ...sources]) => [name!, sources]));
}

/** Asserts the shell's CSP and scripts; returns the nonce. */
function assertCspShell(html: string): string {
  const csp = getCsp(html);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  const scriptSrc = csp.get('script-src') ?? [];
  assert.equal(scriptSrc.length, 1, `script-src allows only a nonce: ${scriptSrc.join(' ')}`);
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc[0] ?? '')?.[1];
  assert.ok(nonce, `script-src is a nonce: ${scriptSrc[0]}`);
  for (const [name, sources] of csp) {
    for (const banned of [
      "'unsafe-inline'",
      "'unsafe-eval'",
      "'unsafe-hashes'",
      "'wasm-unsafe-eval'",
      '*',
      'data:',
      'blob:',
    ]) {
      if (name === 'img-src' && banned === 'data:') continue; // icons only; images cannot run code
      assert.ok(!sources.includes(banned), `${name} allows ${banned}`);
    }
  }
  for (const name of ['connect-src', 'frame-src', 'base-uri', 'form-action'])
    assert.deepEqual(csp.get(name), ["'none'"], name);
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length > 0, 'the page loads its bundle');
  for (const [, attributes, body] of scripts) {
    assert.equal(/\bnonce="([^"]*)"/.exec(attributes!)?.[1], nonce, `every <script> carries the nonce: ${attributes}`);
    assert.match(attributes!, /\bsrc="[^"]+"/, 'scripts are files, not inline code');
    assert.equal(body!.trim(), '', 'no inline script body');
  }
  assert.equal((html.match(/<script\b/gi) ?? []).length, scripts.length, 'no unterminated <script>');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler attribute');
  assert.doesNotMatch(html, /javascript:/i, 'no javascript: URL');
  return nonce;
}

function assertNoAwsStrings(html: string, strings: Iterable<string>): void {
  for (const s of new Set(strings)) {
    if (s.length < 4) continue; // too short to mean anything (and would match markup)
    assert.ok(
      !html.includes(s) && !decodeEntities(html).includes(s),
      `the page's HTML contains ${JSON.stringify(s)}, which came from AWS`,
    );
  }
}

/** Strings of a metrics reply: labels, alarm names and values, raw and formatted. */
function getChartStrings(message: Record<string, unknown>): string[] {
  const charts = message.charts as {
    metric: { unit: string };
    series: { label: string; values: (number | null)[] }[];
    thresholds: { alarmName: string; value: number }[];
  }[];
  return charts.flatMap((c) => [
    ...c.series.flatMap((s) => [
      s.label,
      ...s.values
        .filter((v): v is number => v !== null)
        .slice(0, 20)
        .flatMap((v) => [String(v), formatValue(v, c.metric.unit)]),
    ]),
    ...c.thresholds.flatMap((t) => [t.alarmName, String(t.value)]),
  ]);
}

/** The extension's log file: <logs>/exthost*\/infrawatch.infrawatch/InfraWatch.log under the harness's code-server folder. */
function findLogFile(): string {
  const root = process.env.XDG_CONFIG_HOME ? dirname(process.env.XDG_CONFIG_HOME) : undefined;
  assert.ok(root && existsSync(root), 'XDG_CONFIG_HOME points into the harness folder');
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth > 0) walk(path, depth - 1);
      else if (entry.name === 'InfraWatch.log' && dir.endsWith('infrawatch.infrawatch')) found.push(path);
    }
  };
  walk(root, 6);
  assert.ok(found.length > 0, `no InfraWatch.log under ${root}`);
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
}

describe('panels: CSP and message validation', function () {
  this.timeout(60_000);
  let restoreSettings: (() => Promise<void>) | undefined;
  let watch: ReturnType<typeof watchPanels> | undefined;
  let awsStrings: string[] = [];
  let ordersNode: unknown;
  let serviceNode: unknown;

  before(async () => {
    // The endpoint too: a test before this one must not leave it pointing elsewhere.
    restoreSettings = await withSettings({
      profile: 'demo-employee',
      endpointUrl: process.env.INFRAWATCH_TEST_ENDPOINT ?? '',
    });
    const api = await getApi();
    const state = await api.refresh();
    assert.equal(state.kind, 'ready', JSON.stringify(state));
    const rds = (await api.getChildren()).find(({ item }) => item.label === 'RDS');
    assert.ok(rds, 'RDS is listed');
    serviceNode = rds.node;
    const resources = await api.getChildren(rds.node);
    const orders = resources.find(({ item }) => item.label === 'orders-db');
    assert.ok(orders, 'orders-db is listed');
    ordersNode = orders.node;
    awsStrings = [
      ...resources.map(({ item }) => String(item.label)),
      ...getDemoAlarms(Date.now(), demoAccountId, demoRegion).map((a) => a.name),
      demoAccountId,
      ...(state.kind === 'ready' ? [state.identity.arn] : []),
    ];
    watch = watchPanels();
  });

  after(async () => {
    watch?.restore();
    for (const { panel, disposed } of watch?.watched ?? []) if (!disposed) panel.dispose();
    await restoreSettings?.();
  });

  function entries(viewType: string): Watched[] {
    return (watch?.watched ?? []).filter((w) => w.viewType === viewType && !w.disposed);
  }

  it('gives a metrics panel a nonce-only CSP page that holds none of the AWS data it shows', async () => {
    await vscode.commands.executeCommand('infrawatch.openMetrics', ordersNode);
    const [metrics] = entries('infrawatch.metrics');
    assert.ok(metrics, 'the command opened a metrics panel');
    assert.equal(metrics.panel.title, 'Metrics: orders-db');
    sayReady(metrics);
    const reply = await posted(metrics, 'metrics', 'the charts of orders-db');
    const strings = [...awsStrings, ...getChartStrings(reply)];
    assert.ok(
      strings.includes('orders-db-cpu-high') && strings.includes('orders-db'),
      'the reply holds the names the page must not',
    );
    const html = metrics.panel.webview.html;
    assert.equal(html, metrics.firstHtml, 'the HTML is never rewritten with data');
    const nonce = assertCspShell(html);
    assertNoAwsStrings(html, strings);
    const options = metrics.panel.webview.options;
    assert.equal(options.enableScripts, true);
    assert.notEqual(options.enableCommandUris, true, 'no command: links');
    const roots = (options.localResourceRoots ?? []).map((u) => u.path);
    assert.ok(
      roots.length === 1 && roots[0]!.endsWith('/dist/webview'),
      `resources only from the webview bundle folder: ${roots.join(', ')}`,
    );

    await vscode.commands.executeCommand('infrawatch.openMetrics', serviceNode);
    const service = entries('infrawatch.metrics')[1];
    assert.ok(service, 'a second panel for the whole service');
    sayReady(service);
    await posted(service, 'metrics', 'the charts of RDS');
    assert.notEqual(assertCspShell(service.panel.webview.html), nonce, 'each render has its own nonce');
    // orders-db was hidden behind it, so its page went away; shown again, it says ready again.
    const seen = metrics.posted.length;
    service.panel.dispose();
    await waitFor('orders-db shown again', () => metrics.panel.visible || undefined, 15_000);
    sayReady(metrics);
    await posted(metrics, 'metrics', 'orders-db charts again', (_m, i) => i >= seen);
  });

  it('drops and logs a webview message that fails its schema, and acts on none of it', async () => {
    const [metrics] = entries('infrawatch.metrics');
    assert.ok(metrics && metrics.listeners.length === 1, 'the metrics panel listens to its webview once');
    const logFile = findLogFile();
    const logBefore = readFileSync(logFile, 'utf8').length;
    const invalid: unknown[] = [
      { type: 'setRange', requestId: '../../etc', range: { kind: 'preset', preset: '1w' } }, // request id not in its alphabet
      { type: 'openLogsAt', time: -5 }, // not epoch ms
      { type: 'openLogs', resourceId: `<script>${'x'.repeat(5_000)}</script>` }, // too long
      { type: 'runCommand', command: 'workbench.action.terminal.new' }, // no such message
      '<img src=x onerror=alert(1)>',
      null,
    ];
    for (const message of invalid) metrics.listeners[0]!(message);
    // `ready` makes the host send `init` at once, with the range it holds: still 3 h, so
    // the bad setRange (a week) was not used.
    const seen = metrics.posted.length;
    sayReady(metrics);
    const init = metrics.posted.slice(seen).find((m) => m.type === 'init');
    assert.deepEqual(init?.range, { kind: 'preset', preset: '3h' });
    assert.equal(entries('infrawatch.logs').length, 0, 'no logs panel was opened by an invalid message');
    const dropped = await waitFor(
      'the drops in the log',
      () => {
        const lines = readFileSync(logFile, 'utf8')
          .slice(logBefore)
          .split('\n')
          .filter((l) => l.includes('Metrics panel: dropped an invalid message from the webview'));
        return lines.length >= invalid.length ? lines : undefined;
      },
      15_000,
    );
    assert.equal(dropped.length, invalid.length, dropped.join('\n'));
    for (const line of dropped) {
      assert.match(line, /\[warning\]/);
      assert.ok(
        !line.includes('<script>') && !line.includes('onerror') && !line.includes('xxxxxxxx'),
        `the log does not echo the message: ${line}`,
      );
    }
    // The same path with a valid message does act: the drops above were the schema's doing.
    metrics.listeners[0]!({ type: 'openLogs' });
    await waitFor('the logs panel', () => entries('infrawatch.logs')[0], 15_000);
  });

  it('gives the logs panel the same shell: its log lines arrive by message only', async () => {
    const [logs] = entries('infrawatch.logs');
    assert.ok(logs, 'a logs panel is open');
    sayReady(logs);
    const init = await posted(logs, 'init', 'the logs panel init');
    const page = await posted(logs, 'logs', 'a page of log events');
    const events = page.events as { message: string; stream: string; id: string }[];
    assert.ok(events.length > 0, 'orders-db logged in the last hour');
    const html = logs.panel.webview.html;
    assert.equal(html, logs.firstHtml);
    assertCspShell(html);
    assertNoAwsStrings(html, [
      ...awsStrings,
      String(init.logGroupName),
      ...events.slice(0, 50).flatMap((e) => [e.message.slice(0, 60), e.stream, e.id]),
    ]);
  });
});
