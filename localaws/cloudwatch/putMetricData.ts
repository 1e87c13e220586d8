// PutMetricData: up to 1,000 datums of Value, Values+Counts or StatisticValues, stored
// all-or-nothing and served by ListMetrics and GetMetricData afterwards.

import { AwsError } from '../server/types';
import {
  asLoose,
  invalidValue,
  readList,
  readNumber,
  readObject,
  readString,
  readTime,
  requireString,
  validation,
  type Loose,
} from './input';
import type { World } from '../demo/world';
import type { MetricId, StoredPoint } from './metricsStore';

export const maxMetricData = 1000;
const maxValues = 150;
const twoWeeksMs = 14 * 86_400_000;
const twoHoursMs = 2 * 3_600_000;

const units = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

function finite(v: number, path: string): number {
  if (!Number.isFinite(v)) throw invalidValue(path, v, 'Values must be finite numbers.');
  return v;
}

function parseValues(o: Loose, path: string): Pick<StoredPoint, 'count' | 'sum' | 'min' | 'max' | 'values' | 'counts'> {
  const values = readList(o, 'Values').map((v, i) => finite(Number(v), `${path}.Values.member.${i + 1}`));
  const countsRaw = readList(o, 'Counts').map((v, i) => finite(Number(v), `${path}.Counts.member.${i + 1}`));
  if (values.length > maxValues)
    throw invalidValue(`${path}.Values`, `${values.length} values`, `At most ${maxValues} values per datum.`);
  if (countsRaw.length > 0 && countsRaw.length !== values.length) {
    throw invalidValue(
      `${path}.Counts`,
      `${countsRaw.length} counts`,
      'Counts must have one entry per value in Values.',
    );
  }
  const counts = countsRaw.length > 0 ? countsRaw : values.map(() => 1);
  let count = 0;
  let sum = 0;
  values.forEach((v, i) => {
    count += counts[i]!;
    sum += v * counts[i]!;
  });
  return { count, sum, min: Math.min(...values), max: Math.max(...values), values, counts };
}

function parseStatisticSet(s: Loose, path: string): Pick<StoredPoint, 'count' | 'sum' | 'min' | 'max'> {
  const field = (name: string): number => {
    const v = readNumber(s, name, `${path}.StatisticValues.${name}`);
    if (v === undefined) throw validation(`${path}.StatisticValues.${name}`, 'Member must not be null', undefined);
    return finite(v, `${path}.StatisticValues.${name}`);
  };
  const set = { count: field('SampleCount'), sum: field('Sum'), min: field('Minimum'), max: field('Maximum') };
  if (set.count <= 0 || set.min > set.max)
    throw invalidValue(
      `${path}.StatisticValues`,
      JSON.stringify(s),
      'SampleCount must be positive and Minimum ≤ Maximum.',
    );
  return set;
}

function parseSamples(
  o: Loose,
  path: string,
): Pick<StoredPoint, 'count' | 'sum' | 'min' | 'max' | 'values' | 'counts'> {
  const value = readNumber(o, 'Value', `${path}.Value`);
  const stats = readObject(o, 'StatisticValues');
  const hasValues = readList(o, 'Values').length > 0;
  const given = [value !== undefined && 'Value', stats && 'StatisticValues', hasValues && 'Values'].filter(Boolean);
  if (given.length > 1) {
    throw new AwsError(
      'InvalidParameterCombination',
      `The parameters ${given.map((g) => `${path}.${g}`).join(' and ')} are mutually exclusive and you have specified more than one.`,
    );
  }
  if (value !== undefined) {
    finite(value, `${path}.Value`);
    return { count: 1, sum: value, min: value, max: value, values: [value], counts: [1] };
  }
  if (stats) return parseStatisticSet(stats, path);
  if (hasValues) return parseValues(o, path);
  throw new AwsError(
    'InvalidParameterCombination',
    `One of ${path}.Value, ${path}.Values or ${path}.StatisticValues must be specified.`,
  );
}

function parseDatum(item: unknown, i: number, namespace: string, now: number): { id: MetricId; point: StoredPoint } {
  const path = `MetricData.member.${i + 1}`;
  const o = asLoose(item, path);
  const metricName = requireString(o, 'MetricName', `${path}.MetricName`);
  const dimensions = readList(o, 'Dimensions').map((d, k) => {
    const dl = asLoose(d, `${path}.Dimensions.member.${k + 1}`);
    return {
      Name: requireString(dl, 'Name', `${path}.Dimensions.member.${k + 1}.Name`),
      Value: requireString(dl, 'Value', `${path}.Dimensions.member.${k + 1}.Value`),
    };
  });
  if (dimensions.length > 30)
    throw invalidValue(`${path}.Dimensions`, `${dimensions.length} dimensions`, 'At most 30 dimensions per metric.');
  const t = readTime(o, 'Timestamp', `${path}.Timestamp`) ?? now;
  if (t < now - twoWeeksMs || t > now + twoHoursMs) {
    throw invalidValue(
      `${path}.Timestamp`,
      new Date(t).toISOString(),
      'The timestamp must be within the past two weeks and at most two hours in the future.',
    );
  }
  const unit = readString(o, 'Unit', `${path}.Unit`);
  if (unit !== undefined && !units.has(unit)) throw invalidValue(`${path}.Unit`, unit, 'Not a CloudWatch unit.');
  const point: StoredPoint = { t, ...parseSamples(o, path) };
  if (unit !== undefined) point.unit = unit;
  return { id: { namespace, metricName, dimensions }, point };
}

export function putMetricData(world: World, raw: Loose, now: number): Loose {
  const namespace = requireString(raw, 'Namespace');
  if (namespace.startsWith('AWS/'))
    throw invalidValue('Namespace', namespace, 'Namespaces starting with AWS/ are reserved for AWS services.');
  const items = readList(raw, 'MetricData');
  if (items.length === 0) throw validation('metricData', 'Member must not be null', undefined);
  if (items.length > maxMetricData) {
    throw validation(
      'metricData',
      `Member must have length less than or equal to ${maxMetricData}`,
      `[${items.length} datums]`,
    );
  }
  const parsed = items.map((item, i) => parseDatum(item, i, namespace, now));
  for (const { id, point } of parsed) world.metrics.put(id, point);
  return {};
}
