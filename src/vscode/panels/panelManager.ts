// Opens the metric and log panels for the commands: the lifecycle of each (one per
// resource or service, reveal, restore after a reload, dispose) is the one of
// panelLifecycle.ts; this only turns "open the logs of X at T" into a panel target.
import type * as vscode from 'vscode';
import { type ServiceId, getService } from '../../core/catalog';
import { type Resource } from '../../core/discovery';
import { InfraWatchError } from '../../core/errors';
import { getLogGroupName } from '../../core/logs/fetchLogs';
import { systemClock } from '../../core/ports';
import { type TimeRange, defaultRange, getRangeAround } from '../../shared/timeRange';
import { findResource } from './findResource';
import { type LogsPanel, getLogsDefinition } from './logsPanel';
import { type MetricsPanel, getMetricsDefinition } from './metricsPanel';
import { type PanelDeps } from './panelDeps';
import { PanelLifecycle } from './panelLifecycle';

/** Logs opened at a chart point show this much time around it. */
const logsSpanAroundPointMs = 30 * 60_000;

export class PanelManager implements vscode.Disposable {
  readonly metrics;
  readonly logs;

  constructor(private readonly deps: PanelDeps) {
    this.logs = new PanelLifecycle(getLogsDefinition(deps), deps);
    this.metrics = new PanelLifecycle(
      getMetricsDefinition(deps, {
        openLogs: (service, resourceId, time) =>
          void this.openLogs(service, resourceId, time).catch((error: unknown) =>
            this.deps.onError('Opening logs', error),
          ),
      }),
      deps,
    );
  }

  /** Opens (or reveals) the metrics of a service, or of one of its resources. */
  openMetrics(service: ServiceId, resource?: Resource, range: TimeRange = defaultRange): MetricsPanel {
    return this.metrics.show({ service, resource, range });
  }

  /** Opens (or reveals) a resource's logs; with `time`, around that moment. */
  async openLogs(service: ServiceId, resourceOrId: Resource | string | undefined, time?: number): Promise<LogsPanel> {
    const resource = await findResource(this.deps, service, resourceOrId);
    const spec = getService(service);
    const logGroupName = getLogGroupName(spec, resource);
    if (!logGroupName)
      throw new InfraWatchError(
        'Validation',
        `Opening logs failed: InfraWatch knows no log group for ${spec.displayName} resources`,
      );
    const now = (this.deps.clock ?? systemClock).now();
    const range: TimeRange =
      time === undefined ? { kind: 'preset', preset: '1h' } : getRangeAround(time, logsSpanAroundPointMs, now);
    return this.logs.show({
      service,
      resourceId: resource.id,
      resourceLabel: resource.label,
      logGroupName,
      range,
      filterPattern: '',
      follow: false,
      focusTime: time,
    });
  }

  /** Stops every panel's work and ends the serializers. The panels stay open, so VS Code can restore them after a reload. */
  dispose(): void {
    this.metrics.dispose();
    this.logs.dispose();
  }
}

/** Registers the serializers that bring panels back after a reload; returns the manager. */
export function registerPanelSerializers(context: vscode.ExtensionContext, deps: PanelDeps): PanelManager {
  const manager = new PanelManager(deps);
  manager.metrics.registerSerializer();
  manager.logs.registerSerializer();
  context.subscriptions.push(manager);
  return manager;
}
