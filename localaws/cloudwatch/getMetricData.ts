// GetMetricData: up to 500 MetricStat queries, MaxDatapoints (default and at most
// 100,800) points per call, the rest paged through NextToken.

import { AwsError } from '../server/types';
import {
  asLoose,
  decodeToken,
  encodeToken,
  invalidValue,
  readBoolean,
  readInteger,
  readList,
  readObject,
  readString,
  readTime,
  requireString,
  validation,
  type Loose,
} from './input';
import { seedOf } from '../demo/model';
import type { World } from '../demo/world';
import { computeSeries, isValidPeriod, pageResults, type ScanBy, type StatQuery } from './metricsQuery';
import { parseStatistic } from './metricsStats';

export const maxQueries = 500;
export const maxDatapointsPerCall = 100_800;

interface GetMetricDataInput {
  queries: StatQuery[];
  start: number;
  end: number;
  scanBy: ScanBy;
  maxDatapoints: number;
  nextToken?: string;
}

function parseDimensions(metric: Loose, path: string): { Name: string; Value: string }[] {
  return readList(metric, 'Dimensions').map((d, i) => {
    const o = asLoose(d, `${path}.Dimensions.member.${i + 1}`);
    return {
      Name: requireString(o, 'Name', `${path}.Dimensions.member.${i + 1}.Name`),
      Value: requireString(o, 'Value', `${path}.Dimensions.member.${i + 1}.Value`),
    };
  });
}

function parseQuery(item: unknown, index: number, seen: Set<string>): StatQuery {
  const path = `MetricDataQueries.member.${index + 1}`;
  const o = asLoose(item, path);
  const id = requireString(o, 'Id', `${path}.Id`);
  if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || id.length > 255) {
    throw invalidValue(
      `${path}.Id`,
      id,
      'The Id must start with a lowercase letter and contain only letters, numbers and underscores.',
    );
  }
  if (seen.has(id)) throw invalidValue(`${path}.Id`, id, 'Ids must be unique within a request.');
  seen.add(id);
  const stat = readObject(o, 'MetricStat');
  if (readString(o, 'Expression') !== undefined) {
    throw invalidValue(
      `${path}.Expression`,
      readString(o, 'Expression'),
      'Metric math is not supported by the local endpoint; use MetricStat.',
    );
  }
  if (!stat)
    throw new AwsError(
      'InvalidParameterCombination',
      `Exactly one of MetricStat and Expression must be specified for ${path}.`,
    );
  const metric = readObject(stat, 'Metric');
  if (!metric) throw validation(`${path}.MetricStat.Metric`, 'Member must not be null', undefined);
  const period = readInteger(stat, 'Period', `${path}.MetricStat.Period`);
  if (period === undefined || !isValidPeriod(period)) {
    throw invalidValue(
      `${path}.MetricStat.Period`,
      period,
      'The period must be 1, 5, 10, 20, 30, 60 or a multiple of 60 seconds.',
    );
  }
  const statName = requireString(stat, 'Stat', `${path}.MetricStat.Stat`);
  const parsedStat = parseStatistic(statName);
  if (!parsedStat)
    throw invalidValue(
      `${path}.MetricStat.Stat`,
      statName,
      'Use Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p95 or p99.9.',
    );
  const query: StatQuery = {
    id,
    metric: {
      namespace: requireString(metric, 'Namespace', `${path}.MetricStat.Metric.Namespace`),
      metricName: requireString(metric, 'MetricName', `${path}.MetricStat.Metric.MetricName`),
      dimensions: parseDimensions(metric, `${path}.MetricStat.Metric`),
    },
    period,
    stat: parsedStat,
    returnData: readBoolean(o, 'ReturnData') ?? true,
  };
  const label = readString(o, 'Label');
  const unit = readString(stat, 'Unit');
  if (label !== undefined) query.label = label;
  if (unit !== undefined) query.unit = unit;
  return query;
}

function parse(raw: Loose): GetMetricDataInput {
  const items = readList(raw, 'MetricDataQueries');
  if (items.length === 0) throw validation('metricDataQueries', 'Member must not be null', undefined);
  if (items.length > maxQueries) {
    throw validation(
      'metricDataQueries',
      `Member must have length less than or equal to ${maxQueries}`,
      `[${items.length} queries]`,
    );
  }
  const seen = new Set<string>();
  const queries = items.map((item, i) => parseQuery(item, i, seen));
  const start = readTime(raw, 'StartTime');
  const end = readTime(raw, 'EndTime');
  if (start === undefined) throw validation('startTime', 'Member must not be null', undefined);
  if (end === undefined) throw validation('endTime', 'Member must not be null', undefined);
  if (start >= end)
    throw invalidValue(
      'StartTime',
      new Date(start).toISOString(),
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  const scanBy = readString(raw, 'ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw validation('scanBy', 'Member must satisfy enum value set: [TimestampDescending, TimestampAscending]', scanBy);
  }
  const max = readInteger(raw, 'MaxDatapoints') ?? maxDatapointsPerCall;
  if (max < 1) throw invalidValue('MaxDatapoints', max, 'MaxDatapoints must be positive.');
  const input: GetMetricDataInput = { queries, start, end, scanBy, maxDatapoints: Math.min(max, maxDatapointsPerCall) };
  const nextToken = readString(raw, 'NextToken');
  if (nextToken) input.nextToken = nextToken;
  return input;
}

/** A hash of everything that decides the point stream, so a token only continues its own request. */
function requestHash(input: GetMetricDataInput): number {
  return seedOf(
    JSON.stringify([
      input.queries.map((q) => [q.id, q.metric, q.period, q.stat, q.unit, q.returnData]),
      input.start,
      input.end,
      input.scanBy,
    ]),
  );
}

export function getMetricData(world: World, raw: Loose, now: number): Loose {
  const input = parse(raw);
  const hash = requestHash(input);
  const offset =
    input.nextToken === undefined
      ? 0
      : decodeToken<{ o: number; h: number }>(
          input.nextToken,
          (t) => Number.isInteger(t.o) && t.h === hash,
          () =>
            new AwsError(
              'InvalidNextToken',
              'The NextToken does not continue this request: repeat the same queries and time range with it.',
            ),
        ).o;
  const returned = input.queries.filter((q) => q.returnData);
  const series = returned.map((q) => computeSeries(world.metrics, q, input.start, input.end, now, input.scanBy));
  const { results, nextOffset } = pageResults(returned, series, offset, input.maxDatapoints);
  const out: Loose = {
    MetricDataResults: results.map((r) => ({
      Id: r.id,
      Label: r.label,
      Timestamps: r.timestamps.map((t) => new Date(t)),
      Values: r.values,
      StatusCode: r.statusCode,
      Messages: [],
    })),
    Messages: [],
  };
  if (nextOffset !== undefined) out['NextToken'] = encodeToken({ o: nextOffset, h: hash });
  return out;
}
