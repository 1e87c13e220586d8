// The host of one metrics panel (a service, or one resource of it): answers the webview's
// requests with GetMetricData results through src/core/metrics, and its actions with the
// extension's commands.
import * as vscode from 'vscode';
import { type ServiceId, getService } from '../../core/catalog';
import { type Resource } from '../../core/discovery';
import { InfraWatchError, fromAwsError } from '../../core/errors';
import { getLogGroupName } from '../../core/logs/fetchLogs';
import { getCharts } from '../../core/metrics/charts';
import { fetchMetricData } from '../../core/metrics/fetchMetrics';
import { planQueries, toQuery } from '../../core/metrics/queries';
import { systemClock } from '../../core/ports';
import { type MetricsToHost, limits, metricsToHostSchema, metricsToWebviewSchema } from '../../shared/messages';
import { type TimeRange, resolveRange } from '../../shared/timeRange';
import { PanelChannel } from './panelChannel';
import { type PanelDeps } from './panelDeps';
import { getThemeKind, renderPanelHtml } from './panelHtml';

export interface MetricsTarget {
  service: ServiceId;
  /** Undefined: every resource of the service. */
  resource?: Resource;
  range: TimeRange;
}

export interface MetricsPanelActions {
  openLogs(service: ServiceId, resourceId: string | undefined, time: number | undefined): void;
}

export class MetricsPanel implements vscode.Disposable {
  private readonly channel: PanelChannel<typeof metricsToHostSchema, typeof metricsToWebviewSchema>;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: AbortController | undefined;
  private lastError: string | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly target: MetricsTarget,
    private readonly deps: PanelDeps,
    private readonly actions: MetricsPanelActions,
  ) {
    this.channel = new PanelChannel(panel.webview, { incoming: metricsToHostSchema, outgoing: metricsToWebviewSchema }, deps.log, 'Metrics panel', (m) => this.onMessage(m));
    panel.webview.html = renderPanelHtml(panel.webview, deps.extensionUri, 'metrics');
    this.disposables.push(
      this.channel,
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pause();
      }),
      vscode.window.onDidChangeActiveColorTheme((theme) => this.channel.post({ type: 'theme', kind: getThemeKind(theme.kind) })),
    );
  }

  get title(): string {
    const spec = getService(this.target.service);
    return this.target.resource ? `Metrics: ${this.target.resource.label}` : `Metrics: ${spec.displayName}`;
  }

  reveal(): void {
    this.panel.reveal();
  }

  private onMessage(message: MetricsToHost): void {
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
    this.channel.post({
      type: 'init',
      panel: 'metrics',
      title: this.title.slice(0, limits.text),
      service: spec.id,
      serviceName: spec.displayName,
      resource: resource ? { id: resource.id.slice(0, limits.text), label: resource.label.slice(0, limits.text) } : undefined,
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
      this.channel.post({ type: 'metrics', requestId, ...message });
    } catch (error) {
      if (loading.signal.aborted) return;
      this.fail(requestId, error);
    }
  }

  private async fetchCharts(signal: AbortSignal) {
    const clients = this.deps.getClients();
    if (!clients) throw new InfraWatchError('NoCredentials', 'Loading metrics failed: InfraWatch has no AWS credentials yet');
    const spec = getService(this.target.service);
    const now = (this.deps.clock ?? systemClock).now();
    const { start, end } = resolveRange(this.target.range, now);
    const resources = this.target.resource ? [this.target.resource] : (await this.deps.getResources(spec.id)).slice(0, limits.seriesPerChart);
    const plans = planQueries(resources, spec.metrics, { startMs: start, endMs: end, nowMs: now });
    const series = await fetchMetricData(clients.cloudwatch, plans.map((p) => toQuery(spec, p)), { startMs: start, endMs: end }, signal);
    const { charts, truncated } = getCharts(spec, plans, series, this.deps.getAlarms());
    return { start, end, charts, truncated };
  }

  private fail(requestId: string | undefined, error: unknown): void {
    const known = fromAwsError(error, 'Loading metrics');
    this.channel.post({ type: 'failed', requestId, message: known.message.slice(0, limits.text), code: known.code });
    // Auto-refresh repeats a failure every minute: tell the error funnel once, not each time.
    if (known.message !== this.lastError) this.deps.onError('Loading metrics', known);
    this.lastError = known.message;
  }

  private pause(): void {
    this.loading?.abort();
    this.channel.reset();
  }

  dispose(): void {
    this.loading?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
