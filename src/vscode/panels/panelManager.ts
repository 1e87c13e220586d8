// One panel per resource (or service): opening again reveals the open one. Serializers
// bring panels back after a window reload from the state each webview saved.
import * as vscode from 'vscode';
import { type ServiceId, getService, isServiceId } from '../../core/catalog';
import { type Resource } from '../../core/discovery';
import { InfraWatchError } from '../../core/errors';
import { getLogGroupName } from '../../core/logs/fetchLogs';
import { systemClock } from '../../core/ports';
import { type PanelState, panelStateSchema, parseMessage } from '../../shared/messages';
import { type TimeRange, defaultRange, getRangeAround } from '../../shared/timeRange';
import { LogsPanel } from './logsPanel';
import { MetricsPanel } from './metricsPanel';
import { type PanelDeps } from './panelDeps';
import { getWebviewOptions, panelViewTypes } from './panelHtml';

/** Logs opened at a chart point show this much time around it. */
const logsSpanAroundPointMs = 30 * 60_000;

export class PanelManager implements vscode.Disposable {
  private readonly metrics = new Map<string, MetricsPanel>();
  private readonly logs = new Map<string, LogsPanel>();

  constructor(private readonly deps: PanelDeps) {}

  /** Opens (or reveals) the metrics of a service, or of one of its resources. */
  openMetrics(service: ServiceId, resource?: Resource, range: TimeRange = defaultRange): MetricsPanel {
    const key = `${service}:${resource?.id ?? '*'}`;
    const open = this.metrics.get(key);
    if (open) {
      open.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(panelViewTypes.metrics, 'Metrics', vscode.ViewColumn.Active, getWebviewOptions(this.deps.extensionUri));
    return this.adoptMetrics(panel, key, { service, resource, range });
  }

  /** Opens (or reveals) a resource's logs; with `time`, around that moment. */
  async openLogs(service: ServiceId, resourceOrId: Resource | string | undefined, time?: number): Promise<LogsPanel> {
    const resource = await this.findResource(service, resourceOrId);
    const spec = getService(service);
    const logGroupName = getLogGroupName(spec, resource);
    if (!logGroupName) throw new InfraWatchError('Validation', `Opening logs failed: InfraWatch knows no log group for ${spec.displayName} resources`);
    const now = (this.deps.clock ?? systemClock).now();
    const range: TimeRange = time === undefined ? { kind: 'preset', preset: '1h' } : getRangeAround(time, logsSpanAroundPointMs, now);
    const key = `${service}:${resource.id}`;
    const open = this.logs.get(key);
    if (open) {
      open.reveal(time, time === undefined ? undefined : range);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(panelViewTypes.logs, 'Logs', vscode.ViewColumn.Beside, getWebviewOptions(this.deps.extensionUri));
    return this.adoptLogs(panel, key, { service, resource, logGroupName, range, filterPattern: '', follow: false, focusTime: time });
  }

  /** Restores a panel VS Code kept across a reload; a state we cannot use closes it. */
  async restore(kind: 'metrics' | 'logs', panel: vscode.WebviewPanel, rawState: unknown): Promise<void> {
    const state = parseMessage(panelStateSchema, rawState);
    if (!state || state.panel !== kind || !isServiceId(state.service)) {
      this.deps.log.warn(`Not restoring a ${kind} panel: its saved state is missing or invalid`);
      panel.dispose();
      return;
    }
    panel.webview.options = getWebviewOptions(this.deps.extensionUri);
    try {
      if (kind === 'metrics') await this.restoreMetrics(panel, state as PanelState & { service: ServiceId });
      else await this.restoreLogs(panel, state as PanelState & { service: ServiceId });
    } catch (error) {
      this.deps.log.warn(`Not restoring a ${kind} panel`, error instanceof Error ? error : String(error));
      panel.dispose();
    }
  }

  private async restoreMetrics(panel: vscode.WebviewPanel, state: PanelState & { service: ServiceId }): Promise<void> {
    const resource = state.resourceId === undefined ? undefined : await this.findResource(state.service, state.resourceId);
    const key = `${state.service}:${resource?.id ?? '*'}`;
    if (this.metrics.has(key)) return panel.dispose();
    this.adoptMetrics(panel, key, { service: state.service, resource, range: state.range });
  }

  private async restoreLogs(panel: vscode.WebviewPanel, state: PanelState & { service: ServiceId }): Promise<void> {
    const resource = await this.findResource(state.service, state.resourceId);
    const logGroupName = getLogGroupName(getService(state.service), resource);
    const key = `${state.service}:${resource.id}`;
    if (!logGroupName || this.logs.has(key)) return panel.dispose();
    this.adoptLogs(panel, key, { service: state.service, resource, logGroupName, range: state.range, filterPattern: state.filterPattern ?? '', follow: state.follow ?? false });
  }

  private adoptMetrics(panel: vscode.WebviewPanel, key: string, target: { service: ServiceId; resource?: Resource; range: TimeRange }): MetricsPanel {
    const host = new MetricsPanel(panel, target, this.deps, {
      openLogs: (service, resourceId, time) => void this.openLogs(service, resourceId, time).catch((error: unknown) => this.deps.onError('Opening logs', error)),
    });
    panel.title = host.title;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'infrawatch.svg');
    this.metrics.set(key, host);
    panel.onDidDispose(() => {
      host.dispose();
      this.metrics.delete(key);
    });
    return host;
  }

  private adoptLogs(panel: vscode.WebviewPanel, key: string, t: { service: ServiceId; resource: Resource; logGroupName: string; range: TimeRange; filterPattern: string; follow: boolean; focusTime?: number }): LogsPanel {
    const host = new LogsPanel(panel, { ...t, resourceId: t.resource.id, resourceLabel: t.resource.label }, this.deps);
    panel.title = host.title;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'infrawatch.svg');
    this.logs.set(key, host);
    panel.onDidDispose(() => {
      host.dispose();
      this.logs.delete(key);
    });
    return host;
  }

  private async findResource(service: ServiceId, resourceOrId: Resource | string | undefined): Promise<Resource> {
    if (resourceOrId !== undefined && typeof resourceOrId !== 'string') return resourceOrId;
    const spec = getService(service);
    if (resourceOrId === undefined) throw new InfraWatchError('Validation', `Opening logs failed: pick one ${spec.displayName} resource`);
    const found = (await this.deps.getResources(service)).find((r) => r.id === resourceOrId);
    if (found) return found;
    // Not (yet) discovered, e.g. right after a reload: a one-dimension id is its own value.
    if (spec.resourceDimensions.length === 1) return { id: resourceOrId, label: resourceOrId, dimensions: [{ Name: spec.resourceDimensions[0], Value: resourceOrId }] };
    throw new InfraWatchError('Validation', `Opening ${spec.displayName} ${resourceOrId} failed: CloudWatch no longer lists it`);
  }

  /** Stops every panel's work. The panels stay open, so VS Code can restore them after a reload. */
  dispose(): void {
    for (const host of [...this.metrics.values(), ...this.logs.values()]) host.dispose();
    this.metrics.clear();
    this.logs.clear();
  }
}

/** Registers the serializers that bring panels back after a reload; returns the manager. */
export function registerPanelSerializers(context: vscode.ExtensionContext, deps: PanelDeps): PanelManager {
  const manager = new PanelManager(deps);
  const serializer = (kind: 'metrics' | 'logs'): vscode.WebviewPanelSerializer => ({
    deserializeWebviewPanel: (panel, state) => manager.restore(kind, panel, state),
  });
  context.subscriptions.push(
    manager,
    vscode.window.registerWebviewPanelSerializer(panelViewTypes.metrics, serializer('metrics')),
    vscode.window.registerWebviewPanelSerializer(panelViewTypes.logs, serializer('logs')),
  );
  return manager;
}
