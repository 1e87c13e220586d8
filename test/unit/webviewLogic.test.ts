import * as assert from 'node:assert/strict';
import { findRowAt, formatLogTime, getVisibleRange, rowHeight } from '../../webview/logs/rows';
import { getChartSummary, getPeriodLabel } from '../../webview/metrics/summary';

describe('webview logic', () => {
  it('renders only the rows in view (plus overscan), whatever the list length', () => {
    assert.deepEqual(getVisibleRange(0, 600, 100_000, 20, 10), { first: 0, last: 40 });
    const deep = getVisibleRange(1_000_000, 600, 100_000, 20, 10);
    assert.deepEqual(deep, { first: 49_990, last: 50_040 });
    assert.ok(deep.last - deep.first <= 600 / 20 + 2 * 10 + 1);
    assert.deepEqual(getVisibleRange(100_000 * rowHeight, 600, 100_000), { first: 99_990, last: 100_000 });
    assert.deepEqual(getVisibleRange(0, 600, 0), { first: 0, last: 0 });
  });

  it('finds the first row at or after a moment', () => {
    const rows = [10, 20, 20, 30, 40].map((timestamp) => ({ timestamp }));
    assert.equal(findRowAt(rows, 5), 0);
    assert.equal(findRowAt(rows, 20), 1);
    assert.equal(findRowAt(rows, 25), 3);
    assert.equal(findRowAt(rows, 99), 4);
    assert.equal(findRowAt([], 99), 0);
  });

  it('formats log times as local wall time to the millisecond', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    assert.equal(formatLogTime(t), '2026-01-02 03:04:05.006');
  });

  it('summarises a chart in words: latest, range, gaps and alarms', () => {
    const summary = getChartSummary({
      metric: { name: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
      period: 300,
      timestamps: [0, 300_000, 600_000],
      series: [
        { resourceId: 'db', label: 'orders-db', values: [12, null, 97.5] },
        { resourceId: 'x', label: 'users-db', values: [null, null, null] },
      ],
      thresholds: [{ value: 80, alarmName: 'cpu-high', state: 'ALARM' }],
    });
    assert.equal(
      summary,
      'CPUUtilization (Average, every 5 min). orders-db: latest 97.5 %, min 12 %, max 97.5 %, 1 of 3 periods without data. users-db: no data. Alarm cpu-high (ALARM) at 80 %.',
    );
    assert.equal(getPeriodLabel(3_600), '1 h');
    assert.equal(getPeriodLabel(86_400), '1 d');
  });
});
