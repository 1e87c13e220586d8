import * as vscode from 'vscode';
import { type AuditRecord } from '../../core/audit/events';
import { CloudWatchAuditSink } from '../../core/audit/cloudWatchSink';
import { type AwsClients } from '../../core/awsClients';
import { type Clock, type Log } from '../../core/ports';
import { getAuditStreamName } from '../../core/audit/orgStreams';
import { type AccessController } from '../accessController';
import { createBaseClients } from '../baseCredentials';
import { getSettings } from '../config';

interface OpenSink {
  key: string;
  sink: Promise<CloudWatchAuditSink>;
  clients: Promise<AwsClients>;
}

/**
 * Sends every local audit record on to the organisation's CloudWatch Logs group when the
 * policy names one. The sink keeps unsent records on disk, so an outage or a restart
 * loses nothing; the local JSONL file stays the source of truth either way.
 */
export class AuditForwarder implements vscode.Disposable {
  private open: OpenSink | undefined;
  /** The identity last found unnamable, so its warning is logged once. */
  private unnamed: string | undefined;

  constructor(private readonly deps: { controller: AccessController; dir: string; clock: Clock; log: Log }) {}

  async forward(record: AuditRecord): Promise<void> {
    const sink = this.getSink();
    if (!sink) return;
    try {
      await (await sink).enqueue(record);
    } catch (error) {
      this.deps.log.error(
        `Queueing audit record ${record.seq} for CloudWatch Logs failed; it stays in the local trail`,
        error instanceof Error ? error : String(error),
      );
    }
  }

  private getSink(): Promise<CloudWatchAuditSink> | undefined {
    const { policy, state, region: clientRegion } = this.deps.controller.snapshot;
    const audit = policy?.audit;
    if (!audit?.logGroup || state.kind !== 'ready') return undefined;
    const region = audit.region ?? clientRegion;
    const key = `${audit.logGroup}|${region}|${state.identity.arn}`;
    if (this.open?.key === key) return this.open.sink;
    this.close();
    // One stream per principal and machine, named so the IAM kit can let each principal write
    // only its own (core/audit/orgStreams.ts); the admin panel verifies records against it.
    const streamName = getAuditStreamName(state.identity.arn, vscode.env.machineId.slice(0, 16));
    if (streamName === undefined) {
      if (this.unnamed !== key)
        this.deps.log.warn(
          `Audit records are not sent to ${audit.logGroup}: ${state.identity.arn} is not an IAM user, role session, federated user or root, so no stream can be named for it; they stay in the local trail.`,
        );
      this.unnamed = key;
      return undefined;
    }
    // The sink does its own backoff, so the client must not retry underneath it.
    const clients = createBaseClients(getSettings(), region, { maxAttempts: 1 }).then((c) => c.clients);
    const sink = clients.then((c) =>
      CloudWatchAuditSink.open({
        logs: c.logs,
        logGroup: audit.logGroup,
        streamName,
        dir: this.deps.dir,
        clock: this.deps.clock,
        log: this.deps.log,
      }),
    );
    this.open = { key, sink, clients };
    return sink;
  }

  private close(): void {
    const open = this.open;
    this.open = undefined;
    if (!open) return;
    void open.sink.then((s) => s.close()).catch(() => undefined);
    void open.clients.then((c) => c.dispose()).catch(() => undefined);
  }

  dispose(): void {
    this.close();
  }
}
