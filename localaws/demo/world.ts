// The state behind the CloudWatch and Logs handlers for one account and region — the
// "world" — seeded with the demo: metrics for every catalog service, an incident 90
// minutes before start, alarms, log groups. Everything is anchored to the server clock's
// start time and derived lazily, so creating a world takes well under a millisecond.

import { catalog } from '../../src/core/catalog';
import type { AlarmDefinition } from '../cloudwatch/alarms';
import { getDemoAlarms } from './alarms';
import { getDemoLogProfiles } from './logs';
import { createLogGenerator } from './logsGenerator';
import { createMinuteModel, seedOf, type IncidentWindow } from './model';
import { getDemoResources } from './resources';
import { LogStore } from '../logs/store';
import { MetricStore } from '../cloudwatch/metricsStore';

export interface WorldOptions {
  /** Epoch ms: the server clock's start; the incident is placed relative to it. */
  startTime: number;
  accountId: string;
  region: string;
  /** Seed the demo resources (default true); false gives an empty world. */
  demo?: boolean;
}

export interface World {
  startTime: number;
  accountId: string;
  region: string;
  metrics: MetricStore;
  alarms: AlarmDefinition[];
  /** Built on first use (the log generators are cheap, but nobody may ask). */
  readonly logs: LogStore;
  incident: { start: number; end: number };
}

const minuteMs = 60_000;
const historyMs = 7 * 24 * 3_600_000;
/** The incident begins 90 minutes before start and lasts 35 minutes. */
export const incidentOffsetMinutes = 90;
export const incidentDurationMinutes = 35;

export function createWorld(options: WorldOptions): World {
  const startMinute = Math.floor(options.startTime / minuteMs);
  const window: IncidentWindow = {
    startMinute: startMinute - incidentOffsetMinutes,
    endMinute: startMinute - incidentOffsetMinutes + incidentDurationMinutes,
  };
  const dataFrom = startMinute * minuteMs - historyMs;
  const demo = options.demo !== false;
  const metrics = new MetricStore();
  if (demo) seedMetrics(metrics, window, dataFrom, startMinute);
  let logs: LogStore | undefined;
  return {
    startTime: options.startTime,
    accountId: options.accountId,
    region: options.region,
    metrics,
    alarms: demo ? getDemoAlarms(options.startTime, options.accountId, options.region) : [],
    get logs(): LogStore {
      logs ??= demo ? seedLogs(window, dataFrom) : new LogStore();
      return logs;
    },
    incident: { start: window.startMinute * minuteMs, end: window.endMinute * minuteMs },
  };
}

function seedMetrics(store: MetricStore, window: IncidentWindow, dataFrom: number, anchorMinute: number): void {
  for (const resource of getDemoResources()) {
    const spec = catalog[resource.service];
    for (const metric of spec.metrics) {
      const model = resource.metrics[metric.name];
      if (!model) continue;
      const dimensions = [...resource.dimensions, ...(model.extraDimensions ?? [])];
      const id = { namespace: spec.namespace, metricName: metric.name, dimensions };
      const seed = seedOf(`${spec.namespace}/${metric.name}/${dimensions.map((d) => d.Value).join('/')}`);
      store.addModel(id, metric.unit, createMinuteModel(model, seed, window, anchorMinute), dataFrom);
    }
  }
}

function seedLogs(window: IncidentWindow, dataFrom: number): LogStore {
  const store = new LogStore();
  const generatorWindow = {
    dataFrom,
    incidentStart: window.startMinute * minuteMs,
    incidentEnd: window.endMinute * minuteMs,
  };
  for (const [name, profile] of getDemoLogProfiles()) {
    store.addGroup({
      name,
      creationTime: dataFrom - 30 * 24 * 3_600_000,
      retentionInDays: 30,
      streams: new Map(),
      generator: createLogGenerator(name, profile, generatorWindow),
    });
  }
  return store;
}
