// The host of one logs panel: FilterLogEvents pages for the chosen range and filter,
// "load more" through nextToken, and follow mode through a LogFollower that pushes only
// new events (de-duplicated by eventId).
import * as vscode from 'vscode';
import { type ServiceId, getService, isServiceId } from '../../core/catalog';
import { InfraWatchError } from '../../core/errors';
import { type LogEvent, fetchLogEvents, getLogGroupName, maxEventsPerPage } from '../../core/logs/fetchLogs';
import { LogFollower } from '../../core/logs/logFollower';
import { type Disposable, systemClock } from '../../core/ports';
import {
  type LogsToHost,
  limits,
  logsToHostSchema,
  logsToWebviewSchema,
  panelStateSchema,
  parseMessage,
} from '../../shared/messages';
import { type TimeRange, resolveRange } from '../../shared/timeRange';
import { findResource } from './findResource';
import { type PanelDeps } from './panelDeps';
import { type PanelContext, type PanelDefinition } from './panelLifecycle';

export interface LogsTarget {
  service: ServiceId;
  resourceId: string;
  resourceLabel: string;
  logGroupName: string;
  range: TimeRange;
  filterPattern: string;
  follow: boolean;
  focusTime?: number;
}

/** Empty pages the API may return while it searches, before we stop and offer "more". */
const maxPagesPerLoad = 20;

function toMessageEvents(events: readonly LogEvent[]) {
  return events.map((e) => ({
    id: e.id.slice(0, 256),
    timestamp: e.timestamp,
    stream: e.stream.slice(0, 512),
    message: e.message.slice(0, limits.logMessage),
  }));
}

type LogsDefinition = PanelDefinition<LogsTarget, typeof logsToHostSchema, typeof logsToWebviewSchema, LogsPanel>;

/** The logs panel kind: one panel per resource (its log group). */
export function getLogsDefinition(deps: PanelDeps): LogsDefinition {
  return {
    viewType: 'infrawatch.logs',
    bundle: 'logs',
    pageTitle: 'InfraWatch Logs',
    name: 'Logs panel',
    column: vscode.ViewColumn.Beside,
    schemas: { incoming: logsToHostSchema, outgoing: logsToWebviewSchema },
    getKey: (target) => `${target.service}:${target.resourceId}`,
    restore: async (raw) => {
      const state = parseMessage(panelStateSchema, raw);
      if (!state || state.panel !== 'logs' || !isServiceId(state.service)) return undefined;
      const resource = await findResource(deps, state.service, state.resourceId);
      const logGroupName = getLogGroupName(getService(state.service), resource);
      if (!logGroupName) return undefined;
      return {
        service: state.service,
        resourceId: resource.id,
        resourceLabel: resource.label,
        logGroupName,
        range: state.range,
        filterPattern: state.filterPattern ?? '',
        follow: state.follow ?? false,
      };
    },
    createHost: (context, target) => new LogsPanel(context, target, deps),
  };
}

export class LogsPanel implements vscode.Disposable {
  private loading: AbortController | undefined;
  private nextToken: string | undefined;
  private lastShown: LogEvent[] = [];
  private follower: Disposable | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly context: PanelContext<typeof logsToWebviewSchema>,
    private readonly target: LogsTarget,
    private readonly deps: PanelDeps,
  ) {}

  get title(): string {
    return `Logs: ${this.target.resourceLabel}`;
  }

  /** Opened again: at a new moment to look at, reload the page around it. */
  show({ focusTime, range }: LogsTarget): void {
    if (focusTime === undefined) return;
    Object.assign(this.target, { focusTime, range, follow: false });
    this.stopFollowing();
    if (this.context.isReady) this.start();
  }

  onMessage(message: LogsToHost): void {
    switch (message.type) {
      case 'ready':
        return this.start();
      case 'setRange':
        this.target.range = message.range;
        return void this.reload(message.requestId);
      case 'setFilter':
        this.target.filterPattern = message.filterPattern;
        return void this.reload(message.requestId);
      case 'refresh':
        return void this.reload(message.requestId);
      case 'loadMore':
        return void this.loadMore(message.requestId);
      case 'setFollow':
        this.target.follow = message.follow;
        return message.follow ? this.startFollowing() : this.stopFollowing();
      case 'copyLine':
        void vscode.env.clipboard.writeText(message.text);
        return void vscode.window.setStatusBarMessage('InfraWatch: copied the log line', 2_000);
      case 'requestAccess':
        return void this.deps.requestAccess(this.target.service);
      case 'report':
        return this.deps.log[message.level](`Logs panel: ${message.message}`);
    }
  }

  private start(): void {
    const { service, resourceId, logGroupName, range, filterPattern, follow, focusTime } = this.target;
    this.context.post({
      type: 'init',
      panel: 'logs',
      title: this.title.slice(0, limits.text),
      service,
      resourceId: resourceId.slice(0, limits.text),
      logGroupName,
      filterPattern,
      range,
      follow,
      focusTime,
    });
    this.target.focusTime = undefined;
    void this.reload(undefined);
  }

  private async reload(requestId: string | undefined): Promise<void> {
    this.stopFollowing();
    const { start, end } = resolveRange(this.target.range, this.now());
    await this.fetchInto(requestId, 'replace', { startTime: start, endTime: end, nextToken: undefined });
    if (this.target.follow) this.startFollowing();
  }

  private async loadMore(requestId: string): Promise<void> {
    if (!this.nextToken)
      return void this.context.post({ type: 'logs', requestId, mode: 'append', events: [], hasMore: false });
    const { start, end } = resolveRange(this.target.range, this.now());
    await this.fetchInto(requestId, 'append', { startTime: start, endTime: end, nextToken: this.nextToken });
  }

  /** Reads pages until one message's worth of events (or the end), then posts them. */
  private async fetchInto(
    requestId: string | undefined,
    mode: 'replace' | 'append',
    window: { startTime: number; endTime: number; nextToken: string | undefined },
  ): Promise<void> {
    this.loading?.abort();
    const loading = new AbortController();
    this.loading = loading;
    try {
      const clients = this.getClients();
      const events: LogEvent[] = [];
      let token = window.nextToken;
      for (let page = 0; page < maxPagesPerLoad && events.length < maxEventsPerPage; page += 1) {
        const query = {
          logGroupName: this.target.logGroupName,
          filterPattern: this.target.filterPattern,
          startTime: window.startTime,
          endTime: window.endTime,
          nextToken: token,
          limit: maxEventsPerPage - events.length,
        };
        const result = await fetchLogEvents(clients.logs, query, loading.signal);
        events.push(...result.events);
        token = result.nextToken;
        if (!token) break;
      }
      if (loading.signal.aborted) return;
      this.nextToken = token;
      this.lastShown = mode === 'replace' ? events : [...this.lastShown, ...events].slice(-maxEventsPerPage);
      this.lastError = undefined;
      this.context.post({
        type: 'logs',
        requestId,
        mode,
        events: toMessageEvents(events),
        hasMore: token !== undefined,
      });
    } catch (error) {
      if (!loading.signal.aborted) this.fail(requestId, error);
    }
  }

  private startFollowing(): void {
    this.stopFollowing();
    const clients = this.deps.getClients();
    if (!clients)
      return this.fail(
        undefined,
        new InfraWatchError('NoCredentials', 'Following the logs failed: InfraWatch has no AWS credentials yet'),
      );
    const newest = this.lastShown.reduce(
      (t, e) => Math.max(t, e.timestamp),
      resolveRange(this.target.range, this.now()).end - 60_000,
    );
    const follower = new LogFollower(clients.logs, {
      logGroupName: this.target.logGroupName,
      filterPattern: this.target.filterPattern,
      startTime: newest,
    });
    follower.markSeen(this.lastShown);
    this.follower = follower.start(
      this.deps.followIntervalMs ?? 2_000,
      (events) => {
        this.lastShown = [...this.lastShown, ...events].slice(-maxEventsPerPage);
        for (let i = 0; i < events.length; i += limits.eventsPerMessage) {
          this.context.post({
            type: 'logs',
            mode: 'append',
            events: toMessageEvents(events.slice(i, i + limits.eventsPerMessage)),
            hasMore: this.nextToken !== undefined,
          });
        }
      },
      (error) => this.fail(undefined, error),
    );
  }

  private stopFollowing(): void {
    this.follower?.dispose();
    this.follower = undefined;
  }

  private getClients() {
    const clients = this.deps.getClients();
    if (!clients)
      throw new InfraWatchError('NoCredentials', 'Reading the logs failed: InfraWatch has no AWS credentials yet');
    return clients;
  }

  private now(): number {
    return (this.deps.clock ?? systemClock).now();
  }

  private fail(requestId: string | undefined, error: unknown): void {
    // Follow mode repeats a failure every poll: tell the error funnel once, not each time.
    this.lastError = this.context.fail(requestId, error, 'Reading the logs', {
      doing: `Reading ${this.target.logGroupName}`,
      repeatOf: this.lastError,
    });
  }

  pause(): void {
    this.loading?.abort();
    this.stopFollowing();
  }

  dispose(): void {
    this.pause();
  }
}
