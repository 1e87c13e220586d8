// Catalog metrics × resources → GetMetricData queries. Ids are stable and positional
// (`m0`, `m1`, … in resource-major order) so results map back without parsing labels.
import { type Dimension, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { type MetricSpec, type ServiceSpec } from '../catalog';
import { type Resource } from '../discovery';
import { choosePeriod } from './period';

export interface MetricRange {
  startMs: number;
  endMs: number;
  /** "Now" as the caller sees it: the retention rules depend on the age of the start. */
  nowMs: number;
}

/** What one query asks for, kept beside it so a result can be charted. */
export interface PlannedQuery {
  id: string;
  resource: Resource;
  metric: MetricSpec;
  period: number;
}

/**
 * Dimensions a metric is only published with (S3 storage metrics exist per StorageType;
 * without it the query matches nothing). Used when the resource does not carry them.
 */
const requiredExtraDimensions: Readonly<Record<string, Readonly<Record<string, Dimension>>>> = {
  'AWS/S3': {
    BucketSizeBytes: { Name: 'StorageType', Value: 'StandardStorage' },
    NumberOfObjects: { Name: 'StorageType', Value: 'AllStorageTypes' },
  },
};

function getDimensions(spec: ServiceSpec, resource: Resource, metric: MetricSpec): Dimension[] {
  const extra = requiredExtraDimensions[spec.namespace]?.[metric.name];
  const own = resource.dimensions.map((d) => ({ Name: d.Name, Value: d.Value }));
  if (!extra || own.some((d) => d.Name === extra.Name)) return own;
  return [...own, { ...extra }];
}

export function getQueryId(index: number): string {
  return `m${index}`;
}

/** One query per (resource, metric), with the metric's period and catalog statistic. */
export function planQueries(
  resources: readonly Resource[],
  metrics: readonly MetricSpec[],
  range: MetricRange,
): PlannedQuery[] {
  const plans: PlannedQuery[] = [];
  for (const resource of resources) {
    for (const metric of metrics) {
      const period = choosePeriod(range.startMs, range.endMs, range.nowMs, metric);
      plans.push({ id: getQueryId(plans.length), resource, metric, period });
    }
  }
  return plans;
}

export function toQuery(spec: ServiceSpec, plan: PlannedQuery): MetricDataQuery {
  return {
    Id: plan.id,
    Label: `${plan.resource.label} ${plan.metric.name}`,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: spec.namespace,
        MetricName: plan.metric.name,
        Dimensions: getDimensions(spec, plan.resource, plan.metric),
      },
      Period: plan.period,
      // Percentiles go through as written in the catalog (`p95`): GetMetricData takes them in Stat.
      Stat: plan.metric.stat,
    },
  };
}

export function buildQueries(
  spec: ServiceSpec,
  resources: readonly Resource[],
  metrics: readonly MetricSpec[],
  range: MetricRange,
): MetricDataQuery[] {
  return planQueries(resources, metrics, range).map((plan) => toQuery(spec, plan));
}
