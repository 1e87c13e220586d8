import * as assert from 'node:assert/strict';
import {
  describeMismatch,
  limits,
  logsToHostSchema,
  logsToWebviewSchema,
  metricsToHostSchema,
  metricsToWebviewSchema,
  panelStateSchema,
  parseMessage,
} from '../../src/shared/messages';
import { getRangeAround, resolveRange } from '../../src/shared/timeRange';

const t = Date.UTC(2026, 5, 15, 12, 0, 0);

describe('shared messages', () => {
  it('accepts every well-formed webview → extension message', () => {
    const metrics = [
      { type: 'ready' },
      { type: 'setRange', requestId: 'r1', range: { kind: 'preset', preset: '12h' } },
      { type: 'setRange', requestId: 'r2', range: { kind: 'custom', start: t - 1000, end: t } },
      { type: 'refresh', requestId: 'r3' },
      { type: 'requestAccess' },
      { type: 'openLogsAt', time: t, resourceId: 'orders-db' },
      { type: 'openLogs' },
      { type: 'report', level: 'warn', message: 'dropped a message' },
    ];
    for (const m of metrics) assert.deepEqual(parseMessage(metricsToHostSchema, m), m, JSON.stringify(m));
    const logs = [
      { type: 'loadMore', requestId: 'r4' },
      { type: 'setFilter', requestId: 'r5', filterPattern: '{ $.level = "ERROR" }' },
      { type: 'setFollow', follow: true },
      { type: 'copyLine', text: 'line' },
    ];
    for (const m of logs) assert.deepEqual(parseMessage(logsToHostSchema, m), m, JSON.stringify(m));
  });

  it('rejects unknown types, wrong shapes, bad ids and out-of-range values without throwing', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'ready',
      42,
      [],
      {},
      { type: 'eval', code: 'alert(1)' },
      { type: 'setRange', requestId: 'r1', range: { kind: 'preset', preset: '2y' } },
      { type: 'setRange', requestId: 'r1', range: { kind: 'custom', start: t, end: t - 1 } },
      { type: 'setRange', requestId: '<script>', range: { kind: 'preset', preset: '1h' } },
      { type: 'refresh' },
      { type: 'openLogsAt', time: t / 1000.5 },
      { type: 'openLogsAt', time: -1 },
      { type: 'report', level: 'warn', message: 'x'.repeat(limits.text + 1) },
    ];
    for (const m of bad) assert.equal(parseMessage(metricsToHostSchema, m), undefined, JSON.stringify(m));
    assert.equal(
      parseMessage(logsToHostSchema, {
        type: 'setFilter',
        requestId: 'r',
        filterPattern: 'x'.repeat(limits.filterPattern + 1),
      }),
      undefined,
    );
    assert.equal(
      parseMessage(logsToHostSchema, { type: 'openLogsAt', time: t }),
      undefined,
      'metrics-only message on the logs channel',
    );
    const hostile = {
      get type(): string {
        throw new Error('boom');
      },
    };
    assert.equal(parseMessage(metricsToHostSchema, hostile), undefined);
  });

  it('checks metrics replies: values per timestamp, nulls for gaps, bounded sizes', () => {
    const chart = {
      metric: { name: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
      period: 60,
      timestamps: [t, t + 60_000],
      series: [{ resourceId: 'db', label: 'db', values: [1.5, null] }],
      thresholds: [{ value: 80, alarmName: 'cpu-high', state: 'ALARM' }],
    };
    const ok = { type: 'metrics', requestId: 'r1', start: t, end: t + 120_000, charts: [chart], truncated: false };
    assert.deepEqual(parseMessage(metricsToWebviewSchema, ok), ok);
    const mismatched = { ...ok, charts: [{ ...chart, series: [{ resourceId: 'db', label: 'db', values: [1] }] }] };
    assert.equal(parseMessage(metricsToWebviewSchema, mismatched), undefined);
    const nan = { ...ok, charts: [{ ...chart, series: [{ resourceId: 'db', label: 'db', values: [Number.NaN, 1] }] }] };
    assert.equal(parseMessage(metricsToWebviewSchema, nan), undefined);
    const tooMany = { ...ok, charts: Array.from({ length: limits.charts + 1 }, () => chart) };
    assert.equal(parseMessage(metricsToWebviewSchema, tooMany), undefined);
    assert.match(describeMismatch(metricsToWebviewSchema, mismatched), /charts/);
  });

  it('checks logs replies and the init of each panel', () => {
    const logs = {
      type: 'logs',
      requestId: 'r1',
      mode: 'append',
      hasMore: true,
      events: [{ id: 'e1', timestamp: t, stream: 's', message: 'hi' }],
    };
    assert.deepEqual(parseMessage(logsToWebviewSchema, logs), logs);
    assert.equal(parseMessage(logsToWebviewSchema, { ...logs, mode: 'prepend' }), undefined);
    assert.equal(
      parseMessage(logsToWebviewSchema, {
        ...logs,
        events: Array.from({ length: limits.eventsPerMessage + 1 }, () => logs.events[0]),
      }),
      undefined,
    );
    const init = {
      type: 'init',
      panel: 'logs',
      title: 'Logs',
      service: 'rds',
      resourceId: 'orders-db',
      logGroupName: '/aws/rds/x',
      filterPattern: '',
      range: { kind: 'preset', preset: '1h' },
      follow: false,
    };
    assert.deepEqual(parseMessage(logsToWebviewSchema, init), init);
    assert.equal(parseMessage(metricsToWebviewSchema, init), undefined, 'a logs init is not a metrics init');
    assert.ok(
      parseMessage(metricsToWebviewSchema, {
        type: 'failed',
        requestId: 'r9',
        message: 'Fetching metrics failed: denied',
        code: 'AccessDenied',
      }),
    );
    // The webviews follow the theme by the body's class and the --vscode-* variables: no message.
    assert.equal(parseMessage(metricsToWebviewSchema, { type: 'theme', kind: 'highContrast' }), undefined);
    assert.equal(parseMessage(logsToWebviewSchema, { type: 'theme', kind: 'dark' }), undefined);
  });

  it('validates restored panel state', () => {
    assert.ok(
      parseMessage(panelStateSchema, {
        panel: 'metrics',
        service: 'rds',
        resourceId: 'orders-db',
        range: { kind: 'preset', preset: '3h' },
        autoRefresh: true,
      }),
    );
    assert.equal(
      parseMessage(panelStateSchema, { panel: 'admin', service: 'rds', range: { kind: 'preset', preset: '3h' } }),
      undefined,
    );
  });

  it('resolves ranges against now', () => {
    assert.deepEqual(resolveRange({ kind: 'preset', preset: '1h' }, t), { start: t - 3_600_000, end: t });
    assert.deepEqual(resolveRange({ kind: 'custom', start: t - 10, end: t + 10 }, t), { start: t - 10, end: t });
    assert.deepEqual(getRangeAround(t - 3_600_000, 1_800_000, t), {
      kind: 'custom',
      start: t - 3_600_000 - 900_000,
      end: t - 3_600_000 + 900_000,
    });
    assert.deepEqual(getRangeAround(t - 60_000, 1_800_000, t), { kind: 'custom', start: t - 1_800_000, end: t });
  });
});
