// Query results → the charts the metrics panel draws: one chart per metric, one series
// per resource on a shared time grid, and the alarm thresholds that watch them.
import { type Chart, type Threshold, limits } from '../../shared/messages';
import { type ServiceSpec } from '../catalog';
import { type AlarmSummary } from '../discovery';
import { type MetricSeries } from './fetchMetrics';
import { type PlannedQuery } from './queries';

function getThresholds(
  spec: ServiceSpec,
  plans: readonly PlannedQuery[],
  alarms: readonly AlarmSummary[],
): Threshold[] {
  const thresholds: Threshold[] = [];
  for (const plan of plans) {
    for (const alarm of alarms) {
      if (alarm.threshold === undefined || alarm.namespace !== spec.namespace || alarm.metricName !== plan.metric.name)
        continue;
      const matches = plan.resource.dimensions.every((d) =>
        alarm.dimensions.some((a) => a.Name === d.Name && a.Value === d.Value),
      );
      if (matches)
        thresholds.push({
          value: alarm.threshold,
          alarmName: alarm.name.slice(0, limits.text),
          state: alarm.state,
          resourceId: plan.resource.id,
        });
    }
  }
  return thresholds.slice(0, limits.thresholdsPerChart);
}

function getChart(
  spec: ServiceSpec,
  plans: readonly PlannedQuery[],
  series: ReadonlyMap<string, MetricSeries>,
  alarms: readonly AlarmSummary[],
): Chart {
  const first = plans[0]!;
  const grid = series.get(first.id)?.timestamps ?? [];
  return {
    metric: { name: first.metric.name, stat: first.metric.stat, unit: first.metric.unit },
    period: first.period,
    timestamps: grid,
    series: plans.map((plan) => {
      const values = series.get(plan.id)?.values ?? [];
      // Every query in a chart shares one period and start, so the grids are the same
      // length; guard anyway so the message always passes its schema.
      const aligned = values.length === grid.length ? values : grid.map((_, i) => values[i] ?? null);
      return { resourceId: plan.resource.id, label: plan.resource.label, values: aligned };
    }),
    thresholds: getThresholds(spec, plans, alarms),
  };
}

/** One chart per metric, in catalog order; series beyond the message bounds are cut. */
export function getCharts(
  spec: ServiceSpec,
  plans: readonly PlannedQuery[],
  series: ReadonlyMap<string, MetricSeries>,
  alarms: readonly AlarmSummary[],
): { charts: Chart[]; truncated: boolean } {
  const byMetric = new Map<string, PlannedQuery[]>();
  for (const plan of plans) {
    const group = byMetric.get(plan.metric.name);
    if (group) group.push(plan);
    else byMetric.set(plan.metric.name, [plan]);
  }
  let truncated = byMetric.size > limits.charts;
  const charts: Chart[] = [];
  for (const group of [...byMetric.values()].slice(0, limits.charts)) {
    if (group.length > limits.seriesPerChart) truncated = true;
    const chart = getChart(spec, group.slice(0, limits.seriesPerChart), series, alarms);
    if (chart.timestamps.length > limits.pointsPerSeries) {
      truncated = true;
      const keep = chart.timestamps.length - limits.pointsPerSeries;
      chart.timestamps = chart.timestamps.slice(keep);
      for (const s of chart.series) s.values = s.values.slice(keep);
    }
    charts.push(chart);
  }
  return { charts, truncated };
}
