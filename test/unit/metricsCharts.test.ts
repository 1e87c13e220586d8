import * as assert from 'node:assert/strict';
import { catalog } from '../../src/core/catalog';
import { type AlarmSummary, type Resource } from '../../src/core/discovery';
import { getCharts } from '../../src/core/metrics/charts';
import { type MetricSeries } from '../../src/core/metrics/fetchMetrics';
import { planQueries } from '../../src/core/metrics/queries';
import { chartSchema, limits, metricsToWebviewSchema, parseMessage } from '../../src/shared/messages';

const now = Date.UTC(2026, 5, 15, 12, 0, 0);
const range = { startMs: now - 3_600_000, endMs: now, nowMs: now };
const db = (id: string): Resource => ({ id, label: id, dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }] });

function seriesFor(ids: string[], length: number): Map<string, MetricSeries> {
  return new Map(
    ids.map((id, k) => [
      id,
      {
        id,
        period: 60,
        status: 'Complete',
        messages: [],
        timestamps: Array.from({ length }, (_, i) => range.startMs + i * 60_000),
        values: Array.from({ length }, (_, i) => (i % 10 === 3 ? null : k + i)),
      },
    ]),
  );
}

describe('metrics charts', () => {
  it('makes one chart per metric with one series per resource and passes the message schema', () => {
    const plans = planQueries([db('orders-db'), db('users-db')], catalog.rds.metrics, range);
    const { charts, truncated } = getCharts(
      catalog.rds,
      plans,
      seriesFor(
        plans.map((p) => p.id),
        60,
      ),
      [],
    );
    assert.equal(truncated, false);
    assert.deepEqual(
      charts.map((c) => c.metric.name),
      catalog.rds.metrics.map((m) => m.name),
    );
    assert.deepEqual(
      charts[0]?.series.map((s) => s.resourceId),
      ['orders-db', 'users-db'],
    );
    assert.equal(charts[0]?.series[0]?.values[3], null, 'gaps stay null');
    const message = { type: 'metrics', start: range.startMs, end: range.endMs, charts, truncated };
    assert.ok(parseMessage(metricsToWebviewSchema, message));
  });

  it('draws the thresholds of the alarms that watch a charted resource', () => {
    const alarm = (name: string, metricName: string, value: string, threshold?: number): AlarmSummary => ({
      name,
      state: 'ALARM',
      reason: '',
      namespace: 'AWS/RDS',
      metricName,
      threshold,
      dimensions: [{ Name: 'DBInstanceIdentifier', Value: value }],
    });
    const plans = planQueries([db('orders-db')], catalog.rds.metrics, range);
    const alarms = [
      alarm('cpu-high', 'CPUUtilization', 'orders-db', 80),
      alarm('other-db', 'CPUUtilization', 'users-db', 70),
      alarm('no-threshold', 'CPUUtilization', 'orders-db'),
    ];
    const { charts } = getCharts(
      catalog.rds,
      plans,
      seriesFor(
        plans.map((p) => p.id),
        60,
      ),
      alarms,
    );
    assert.deepEqual(charts[0]?.thresholds, [
      { value: 80, alarmName: 'cpu-high', state: 'ALARM', resourceId: 'orders-db' },
    ]);
    assert.deepEqual(charts[1]?.thresholds, []);
  });

  it('cuts series beyond the message bounds and says so', () => {
    const many = Array.from({ length: limits.seriesPerChart + 5 }, (_, i) => db(`db-${i}`));
    const plans = planQueries(many, catalog.rds.metrics.slice(0, 1), range);
    const { charts, truncated } = getCharts(
      catalog.rds,
      plans,
      seriesFor(
        plans.map((p) => p.id),
        60,
      ),
      [],
    );
    assert.equal(truncated, true);
    assert.equal(charts[0]?.series.length, limits.seriesPerChart);
    assert.ok(chartSchema.safeParse(charts[0]).success);
  });

  it('fills a missing series with gaps rather than dropping or zeroing it', () => {
    const plans = planQueries([db('a'), db('b')], catalog.rds.metrics.slice(0, 1), range);
    const series = seriesFor([plans[0]!.id], 60);
    const { charts } = getCharts(catalog.rds, plans, series, []);
    assert.equal(charts[0]?.series[1]?.values.length, 60);
    assert.ok(charts[0]?.series[1]?.values.every((v) => v === null));
  });
});
