// What the panel hosts need from the rest of the extension, passed in by activate() so
// the panels hold no global state and tests can hand in their own.
import type * as vscode from 'vscode';
import { type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type ServiceId } from '../../core/catalog';
import { type AlarmSummary, type Resource } from '../../core/discovery';
import { type Clock, type Log } from '../../core/ports';

export interface PanelClients {
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
}

export interface PanelDeps {
  extensionUri: vscode.Uri;
  log: Log;
  /** The clients to read metrics and logs with; undefined while nobody is signed in. */
  getClients(): PanelClients | undefined;
  /** The alarms as last fetched (for thresholds); empty when unknown. */
  getAlarms(): readonly AlarmSummary[];
  /** The service's discovered resources (used to restore panels and for service panels). */
  getResources(service: ServiceId): Promise<readonly Resource[]>;
  /** Starts the Request Access flow for a service. */
  requestAccess(service: ServiceId): unknown;
  /** Where failures also go (the error funnel); the panel has already shown them. */
  onError(action: string, error: unknown): void;
  clock?: Clock;
  /** How often follow mode polls FilterLogEvents (default 2 s). */
  followIntervalMs?: number;
}
