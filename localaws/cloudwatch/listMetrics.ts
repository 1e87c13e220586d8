// ListMetrics: metrics with data in the last two weeks (or three hours with
// RecentlyActive=PT3H), filtered by namespace, name and dimensions, 500 a page.

import { AwsError } from '../server/types';
import { asLoose, decodeToken, encodeToken, invalidValue, readList, readString, validation, type Loose } from './input';
import { seedOf } from '../demo/model';
import type { World } from '../demo/world';
import type { Series } from './metricsStore';

export const listMetricsPageSize = 500;

interface DimensionFilter {
  name: string;
  value?: string;
}

interface ListMetricsInput {
  namespace?: string;
  metricName?: string;
  dimensions: DimensionFilter[];
  recentlyActive: boolean;
  nextToken?: string;
}

const dayMs = 86_400_000;

function parse(raw: Loose): ListMetricsInput {
  const dims = readList(raw, 'Dimensions').map((d, i) => {
    const o = asLoose(d, `Dimensions.member.${i + 1}`);
    const name = readString(o, 'Name', `Dimensions.member.${i + 1}.Name`);
    if (!name) throw validation(`dimensions.${i + 1}.member.name`, 'Member must not be null', undefined);
    const value = readString(o, 'Value', `Dimensions.member.${i + 1}.Value`);
    return value === undefined ? { name } : { name, value };
  });
  if (dims.length > 10)
    throw validation('dimensions', 'Member must have length less than or equal to 10', `${dims.length} filters`);
  const recent = readString(raw, 'RecentlyActive');
  if (recent !== undefined && recent !== 'PT3H')
    throw invalidValue('RecentlyActive', recent, 'The only valid value is PT3H.');
  const input: ListMetricsInput = { dimensions: dims, recentlyActive: recent === 'PT3H' };
  const namespace = readString(raw, 'Namespace');
  const metricName = readString(raw, 'MetricName');
  const nextToken = readString(raw, 'NextToken');
  if (namespace) input.namespace = namespace;
  if (metricName) input.metricName = metricName;
  if (nextToken) input.nextToken = nextToken;
  return input;
}

function matches(s: Series, input: ListMetricsInput, now: number): boolean {
  if (input.namespace !== undefined && s.id.namespace !== input.namespace) return false;
  if (input.metricName !== undefined && s.id.metricName !== input.metricName) return false;
  for (const f of input.dimensions) {
    const d = s.id.dimensions.find((x) => x.Name === f.name);
    if (!d || (f.value !== undefined && d.Value !== f.value)) return false;
  }
  const window = input.recentlyActive ? 3 * 3_600_000 : 14 * dayMs;
  const modelled = s.model !== undefined && s.modelFrom <= now;
  return modelled || s.lastPointAt >= now - window;
}

export function listMetrics(world: World, raw: Loose, now: number): Loose {
  const input = parse(raw);
  const filterHash = seedOf(
    JSON.stringify([input.namespace, input.metricName, input.dimensions, input.recentlyActive]),
  );
  const offset =
    input.nextToken === undefined
      ? 0
      : decodeToken<{ o: number; f: number }>(
          input.nextToken,
          (t) => Number.isInteger(t.o) && t.f === filterHash,
          () =>
            new AwsError(
              'InvalidNextToken',
              'The service returned an invalid NextToken: it does not continue this request.',
            ),
        ).o;
  const all = world.metrics.list().filter((s) => matches(s, input, now));
  const page = all.slice(offset, offset + listMetricsPageSize);
  const out: Loose = {
    Metrics: page.map((s) => ({
      Namespace: s.id.namespace,
      MetricName: s.id.metricName,
      Dimensions: s.id.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
    })),
  };
  if (offset + listMetricsPageSize < all.length)
    out['NextToken'] = encodeToken({ o: offset + listMetricsPageSize, f: filterHash });
  return out;
}
