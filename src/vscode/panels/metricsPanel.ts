// The host of one metrics panel (a service, or one resource of it): answers the webview's
// requests with GetMetricData results through src/core/metrics, and its actions with the
// extension's commands.
import * as vscode from 'vscode';
import { type ServiceId, getService, isServiceId } from '../../core/catalog';
import { type Resource } from '../../core/discovery';
import { InfraWatchError } from '../../core/errors';
import { getLogGroupName } from '../../core/logs/fetchLogs';
import { getCharts } from '../../core/metrics/charts';
import { fetchMetricData } from '../../core/metrics/fetchMetrics';
import { planQueries, toQuery } from '../../core/metrics/queries';
import { systemClock } from '../../core/ports';
import {
  type MetricsToHost,
  limits,
  metricsToHostSchema,
  metricsToWebviewSchema,
  panelStateSchema,
  parseMessage,
} from '../../shared/messages';
import { type TimeRange, resolveRange } from '../../shared/timeRange';
import { findResource } from './findResource';
import { type PanelDeps } from './panelDeps';
import { type PanelContext, type PanelDefinition } from './panelLifecycle';

export interface MetricsTarget {
  service: ServiceId;
  /** Undefined: every resource of the service. */
  resource?: Resource;
  range: TimeRange;
}

export interface MetricsPanelActions {
  openLogs(service: ServiceId, resourceId: string | undefined, time: number | undefined): void;
}

type MetricsDefinition = PanelDefinition<
  MetricsTarget,
  typeof metricsToHostSchema,
  typeof metricsToWebviewSchema,
  MetricsPanel
>;

/** The metrics panel kind: one panel per service, or per resource of it. */
export function getMetricsDefinition(deps: PanelDeps, actions: MetricsPanelActions): MetricsDefinition {
  return {
    viewType: 'infrawatch.metrics',
    bundle: 'metrics',
    pageTitle: 'InfraWatch Metrics',
    name: 'Metrics panel',
    column: vscode.ViewColumn.Active,
    schemas: { incoming: metricsToHostSchema, outgoing: metricsToWebviewSchema },
    getKey: (target) => `${target.service}:${target.resource?.id ?? '*'}`,
    restore: async (raw) => {
      const state = parseMessage(panelStateSchema, raw);
      if (!state || state.panel !== 'metrics' || !isServiceId(state.service)) return undefined;
      const resource =
        state.resourceId === undefined ? undefined : await findResource(deps, state.service, state.resourceId);
      return { service: state.service, resource, range: state.range };
    },
    createHost: (context, target) => new MetricsPanel(context, target, deps, actions),
  };
}

export class MetricsPanel implements vscode.Disposable {
  private loading: AbortController | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly context: PanelContext<typeof metricsToWebviewSchema>,
    private readonly target: MetricsTarget,
    private readonly deps: PanelDeps,
    private readonly actions: MetricsPanelActions,
  ) {}

  get title(): string {
    const spec = getService(this.target.service);
    return this.target.resource ? `Metrics: ${this.target.resource.label}` : `Metrics: ${spec.displayName}`;
  }

  onMessage(message: MetricsToHost): void {
    switch (message.type) {
      case 'ready':
        this.sendInit();
        return void this.load(undefined);
      case 'setRange':
        this.target.range = message.range;
        return void this.load(message.requestId);
      case 'refresh':
        return void this.load(message.requestId);
      case 'requestAccess':
        return void this.deps.requestAccess(this.target.service);
      case 'openLogsAt':
        return this.actions.openLogs(this.target.service, message.resourceId ?? this.target.resource?.id, message.time);
      case 'openLogs':
        return this.actions.openLogs(this.target.service, message.resourceId ?? this.target.resource?.id, undefined);
      case 'report':
        return this.deps.log[message.level](`Metrics panel: ${message.message}`);
    }
  }

  private sendInit(): void {
    const spec = getService(this.target.service);
    const resource = this.target.resource;
    this.context.post({
      type: 'init',
      panel: 'metrics',
      title: this.title.slice(0, limits.text),
      service: spec.id,
      serviceName: spec.displayName,
      resource: resource
        ? { id: resource.id.slice(0, limits.text), label: resource.label.slice(0, limits.text) }
        : undefined,
      metrics: spec.metrics.map((m) => ({ name: m.name, stat: m.stat, unit: m.unit })),
      range: this.target.range,
      hasLogs: resource !== undefined && getLogGroupName(spec, resource) !== undefined,
    });
  }

  private async load(requestId: string | undefined): Promise<void> {
    this.loading?.abort();
    const loading = new AbortController();
    this.loading = loading;
    try {
      const message = await this.fetchCharts(loading.signal);
      if (loading.signal.aborted) return;
      this.lastError = undefined;
      this.context.post({ type: 'metrics', requestId, ...message });
    } catch (error) {
      if (loading.signal.aborted) return;
      this.fail(requestId, error);
    }
  }

  private async fetchCharts(signal: AbortSignal) {
    const clients = this.deps.getClients();
    if (!clients)
      throw new InfraWatchError('NoCredentials', 'Loading metrics failed: InfraWatch has no AWS credentials yet');
    const spec = getService(this.target.service);
    const now = (this.deps.clock ?? systemClock).now();
    const { start, end } = resolveRange(this.target.range, now);
    const resources = this.target.resource
      ? [this.target.resource]
      : (await this.deps.getResources(spec.id)).slice(0, limits.seriesPerChart);
    const plans = planQueries(resources, spec.metrics, { startMs: start, endMs: end, nowMs: now });
    const series = await fetchMetricData(
      clients.cloudwatch,
      plans.map((p) => toQuery(spec, p)),
      { startMs: start, endMs: end },
      signal,
    );
    const { charts, truncated } = getCharts(spec, plans, series, this.deps.getAlarms());
    return { start, end, charts, truncated };
  }

  private fail(requestId: string | undefined, error: unknown): void {
    // Auto-refresh repeats a failure every minute: tell the error funnel once, not each time.
    this.lastError = this.context.fail(requestId, error, 'Loading metrics', { repeatOf: this.lastError });
  }

  pause(): void {
    this.loading?.abort();
  }

  dispose(): void {
    this.loading?.abort();
  }
}
