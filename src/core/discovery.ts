// Resources and alarms, discovered through CloudWatch alone (ListMetrics needs only
// cloudwatch:ListMetrics, so no per-service SDK or permission is needed to list them).
import { type CloudWatchClient, type Dimension, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { type ServiceSpec, getResourceLabel } from './catalog';
import { loadAwsSdk } from './loadAwsSdk';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Resource {
  /** The resource's dimension values joined by "/"; unique within a service. */
  id: string;
  label: string;
  dimensions: Dimension[];
}

export interface AlarmSummary {
  name: string;
  arn?: string;
  state: AlarmState;
  reason: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  threshold?: number;
  comparison?: string;
}

/** Groups ListMetrics results into resources by the service's resource dimensions. */
export function groupResources(spec: ServiceSpec, metrics: readonly { Dimensions?: Dimension[] }[]): Resource[] {
  const allowed = new Set([...spec.resourceDimensions, ...(spec.extraDimensions ?? [])]);
  const byId = new Map<string, Resource>();
  for (const metric of metrics) {
    const dims = metric.Dimensions ?? [];
    if (!dims.every((d) => d.Name !== undefined && allowed.has(d.Name))) continue;
    const values = spec.resourceDimensions.map((name) => dims.find((d) => d.Name === name)?.Value);
    if (values.some((v) => v === undefined)) continue;
    const id = values.join('/');
    if (!byId.has(id)) {
      const dimensions = spec.resourceDimensions.map((name, i) => ({ Name: name, Value: values[i]! }));
      byId.set(id, { id, label: getResourceLabel(values as string[]), dimensions });
    }
  }
  return [...byId.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** Every resource of a service, over all ListMetrics pages. */
export async function fetchResources(
  client: CloudWatchClient,
  spec: ServiceSpec,
  signal?: AbortSignal,
): Promise<Resource[]> {
  const { paginateListMetrics } = await loadAwsSdk();
  const metrics: { Dimensions?: Dimension[] }[] = [];
  const pages = paginateListMetrics({ client }, { Namespace: spec.namespace });
  for await (const page of pages) {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    for (const metric of page.Metrics ?? []) metrics.push({ Dimensions: metric.Dimensions });
  }
  return groupResources(spec, metrics);
}

export function toAlarmSummary(alarm: MetricAlarm): AlarmSummary {
  return {
    name: alarm.AlarmName ?? '(unnamed alarm)',
    arn: alarm.AlarmArn,
    state: (alarm.StateValue as AlarmState | undefined) ?? 'INSUFFICIENT_DATA',
    reason: alarm.StateReason ?? '',
    namespace: alarm.Namespace ?? '',
    metricName: alarm.MetricName ?? '',
    dimensions: alarm.Dimensions ?? [],
    threshold: alarm.Threshold,
    comparison: alarm.ComparisonOperator,
  };
}

/** Every metric alarm in the region, over all DescribeAlarms pages. */
export async function fetchAlarms(client: CloudWatchClient, signal?: AbortSignal): Promise<AlarmSummary[]> {
  const { paginateDescribeAlarms } = await loadAwsSdk();
  const alarms: AlarmSummary[] = [];
  for await (const page of paginateDescribeAlarms({ client }, { AlarmTypes: ['MetricAlarm'] })) {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    for (const alarm of page.MetricAlarms ?? []) alarms.push(toAlarmSummary(alarm));
  }
  return alarms;
}

/** The alarms on one resource: same namespace, and every resource dimension matches. */
export function getResourceAlarms(
  spec: ServiceSpec,
  resource: Resource,
  alarms: readonly AlarmSummary[],
): AlarmSummary[] {
  return alarms.filter(
    (a) =>
      a.namespace === spec.namespace &&
      resource.dimensions.every((d) => a.dimensions.some((ad) => ad.Name === d.Name && ad.Value === d.Value)),
  );
}

export function getServiceAlarms(spec: ServiceSpec, alarms: readonly AlarmSummary[]): AlarmSummary[] {
  return alarms.filter((a) => a.namespace === spec.namespace);
}

const severity: Record<AlarmState, number> = { OK: 0, INSUFFICIENT_DATA: 1, ALARM: 2 };

/** The state that matters most: ALARM over INSUFFICIENT_DATA over OK; undefined for none. */
export function getWorstState(alarms: readonly AlarmSummary[]): AlarmState | undefined {
  let worst: AlarmState | undefined;
  for (const a of alarms) if (worst === undefined || severity[a.state] > severity[worst]) worst = a.state;
  return worst;
}

/** How many distinct resources of these services have an alarm in ALARM (the view's badge). */
export function countResourcesInAlarm(specs: readonly ServiceSpec[], alarms: readonly AlarmSummary[]): number {
  const keys = new Set<string>();
  for (const spec of specs) {
    for (const alarm of alarms) {
      if (alarm.state !== 'ALARM' || alarm.namespace !== spec.namespace) continue;
      const values = spec.resourceDimensions.map((name) => alarm.dimensions.find((d) => d.Name === name)?.Value);
      if (values.every((v) => v !== undefined)) keys.add(`${spec.namespace}|${values.join('/')}`);
    }
  }
  return keys.size;
}
