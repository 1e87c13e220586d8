// A chart in words, for screen readers and for anyone who cannot read the lines: per
// series the latest value, the range, and the alarms with their thresholds.
import { type Chart } from '../../src/shared/messages';
import { formatValue } from '../../src/shared/units';

function describeSeries(values: readonly (number | null)[], unit: string): string {
  let latest: number | null = null;
  let min = Infinity;
  let max = -Infinity;
  let present = 0;
  for (const v of values) {
    if (v === null) continue;
    present += 1;
    latest = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (present === 0) return 'no data';
  const gaps = values.length - present;
  const range = `min ${formatValue(min, unit)}, max ${formatValue(max, unit)}`;
  return `latest ${formatValue(latest, unit)}, ${range}${gaps > 0 ? `, ${gaps} of ${values.length} periods without data` : ''}`;
}

export function getPeriodLabel(periodS: number): string {
  if (periodS < 3_600) return `${periodS / 60} min`;
  if (periodS < 86_400) return `${periodS / 3_600} h`;
  return `${periodS / 86_400} d`;
}

export function getChartSummary(chart: Chart): string {
  const { name, stat, unit } = chart.metric;
  const parts = [`${name} (${stat}, every ${getPeriodLabel(chart.period)}).`];
  if (chart.series.length === 0) parts.push('No resources.');
  for (const s of chart.series) parts.push(`${s.label}: ${describeSeries(s.values, unit)}.`);
  for (const t of chart.thresholds) parts.push(`Alarm ${t.alarmName} (${t.state}) at ${formatValue(t.value, unit)}.`);
  return parts.join(' ');
}
