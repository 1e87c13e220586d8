import { join } from 'node:path';
import * as vscode from 'vscode';
import { AuditTrail } from '../../core/audit/auditTrail';
import { type AuditEventInput, type AuditPort } from '../../core/audit/events';
import { JsonlAuditLog } from '../../core/audit/jsonlAuditLog';
import { createSecretAnchorStore } from '../auditAnchorStore';
import { SecretGuard } from '../../core/audit/secretGuard';
import { type AccessLevel, type ServiceId, getService } from '../../core/catalog';
import { type CredentialServer, startCredentialServer } from '../../core/credentials/credentialServer';
import { getDeliveredEnvironment } from '../../core/credentials/delivery';
import { type EnvironmentChanges, type EnvironmentTarget } from '../../core/credentials/environment';
import { readInheritedAws } from '../../core/credentials/inheritedAws';
import { EndedSessions } from '../../core/credentials/endedSessions';
import { getPeersDir, SessionPeers } from '../../core/credentials/sessionPeers';
import { SessionStore, type WithdrawReason } from '../../core/credentials/sessions';
import { TokenFiles } from '../../core/credentials/tokenFiles';
import { InfraWatchError } from '../../core/errors';
import { type Clock, type Log } from '../../core/ports';
import { type Redactor } from '../../core/redact';
import { type Session, getSessionAuditFields } from '../../core/session';
import { type SessionRuntime } from '../../core/sessionRuntime';
import { formatDuration } from '../../core/sts/duration';
import { type AccessController } from '../accessController';
import { commandIds } from '../commandIds';
import { executeCommand } from '../commandRegistry';
import { getSettings } from '../config';
import { AuditForwarder } from './auditForwarder';
import { type RequestOptions, runRequest } from './requestFlow';

export interface SessionServiceDeps {
  context: vscode.ExtensionContext;
  controller: AccessController;
  log: Log;
  redactor: Redactor;
  clock: Clock;
}

/**
 * The sessions of this window: the store (SecretStorage-backed, expiry by the wall clock),
 * the loopback credential endpoint that serves them, and the audit trail of every step.
 */
export class SessionService implements vscode.Disposable {
  readonly store: SessionStore;
  private readonly guard = new SecretGuard();
  private server: Promise<CredentialServer> | undefined;
  private audit: Promise<AuditPort> | undefined;
  private trail: AuditTrail | undefined;
  private readonly endpoints = new Map<string, { uri: string; token: string }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly restoredOnce = new vscode.EventEmitter<void>();
  /** Fires when the sessions saved before a reload are back in service. */
  readonly onDidRestore = this.restoredOnce.event;
  private readonly endpointsChanged = new vscode.EventEmitter<void>();
  /** Fires when a session starts or stops being served here (grant, renew, revoke, expiry, another window's). */
  readonly onDidChangeEndpoints = this.endpointsChanged.event;
  readonly configDir: string;
  private readonly tokenFiles: TokenFiles;
  private readonly forwarder: AuditForwarder;
  /** The tombstone watcher and the socket to the other windows. */
  private readonly windowLinks: { dispose(): void }[] = [];

  constructor(readonly deps: SessionServiceDeps) {
    this.configDir = vscode.Uri.joinPath(deps.context.globalStorageUri, 'aws').fsPath;
    this.tokenFiles = new TokenFiles(vscode.Uri.joinPath(deps.context.globalStorageUri, 'aws', 'tokens').fsPath);
    this.forwarder = new AuditForwarder({
      controller: deps.controller,
      dir: deps.context.globalStorageUri.fsPath,
      clock: deps.clock,
      log: deps.log,
    });
    this.store = new SessionStore({
      secrets: {
        get: async (key) => deps.context.secrets.get(key),
        store: async (key, value) => deps.context.secrets.store(key, value),
        delete: async (key) => deps.context.secrets.delete(key),
      },
      clock: deps.clock,
      log: deps.log,
      withdraw: (session, reason) => void this.withdraw(session, reason),
      // From another window or a restore: renew keeps the address (and token) a replaced
      // session had, so this window's open terminals follow; nothing served yet means add.
      serve: (session, previous) => this.serve(session, 'renew', previous),
    });
    this.subscriptions.push(
      this.store.onExpired((session) => void this.onExpired(session)),
      this.store.onWarning((session) => void this.onWarning(session)),
    );
  }

  /**
   * Joins the other windows of this user, then brings back the sessions saved before a
   * reload and those the other windows serve, until they expire.
   */
  async restore(): Promise<Session[]> {
    await this.joinWindows();
    const restored = await this.store.restore();
    this.restoredOnce.fire();
    if (restored.length > 0)
      this.deps.log.info(
        `Restored ${restored.length} session(s): ${restored.map((s) => `${s.service} ${s.level}`).join(', ')}`,
      );
    return restored;
  }

  list(): Session[] {
    return this.store.list();
  }

  getEndpoint(session: Session): { uri: string; token: string } | undefined {
    return this.endpoints.get(session.id);
  }

  /** "InfraWatch: Request Access": asks, assumes the role, and puts the session to work. */
  async request(
    preset: { service?: ServiceId; level?: AccessLevel } = {},
    options: RequestOptions = {},
  ): Promise<Session | undefined> {
    const session = await runRequest(this.getRuntime(), preset, options);
    if (!session) return undefined;
    const previous = this.store.find(session.service, session.level);
    // Served before it is stored: listeners of the store (terminals) find its endpoint ready.
    await this.serve(session, previous ? 'renew' : 'add', previous);
    await this.store.add(session);
    const event = previous ? 'session.renewed' : 'access.granted';
    await this.record({
      ...getSessionAuditFields(session),
      event,
      outcome: 'success',
      expiresAt: new Date(session.credentials.expiration).toISOString(),
    });
    return session;
  }

  /** What the request flow may use of this service (core/sessionRuntime.ts). */
  private getRuntime(): SessionRuntime {
    const { controller, clock, log } = this.deps;
    return {
      access: controller,
      clock,
      log,
      audit: this.auditTrail,
      find: (service, level) => this.store.find(service, level),
    };
  }

  async revoke(session: Session): Promise<void> {
    await this.store.revoke(session.id);
    await this.record({ ...getSessionAuditFields(session), event: 'session.revoked', outcome: 'success' });
    this.deps.log.info(`Revoked ${session.service} ${session.level} (${session.id})`);
  }

  /**
   * The variables a terminal (`collection`) or a debuggee or Open Terminal (`process`)
   * needs for this session, in the configured mode, setting aside only what the
   * environment they inherit (this host's) would otherwise put before the session.
   */
  async getEnvironment(session: Session, target: EnvironmentTarget): Promise<EnvironmentChanges> {
    const endpoint = this.endpoints.get(session.id);
    if (!endpoint)
      throw new InfraWatchError(
        'Expired',
        `The ${session.service} ${session.level} session is no longer served: request access again`,
      );
    return getDeliveredEnvironment({
      session,
      endpoint: { ...endpoint },
      target,
      settings: getSettings(),
      inherited: await readInheritedAws(process.env),
      configDir: this.configDir,
      tokenFiles: this.tokenFiles,
    });
  }

  /** This window's audit trail: the guard, the local log, the forwarder and the retry queue. */
  get auditTrail(): AuditTrail {
    this.trail ??= new AuditTrail({
      // A failed open is forgotten, so the next record tries again (the disk may have room by then).
      open: () =>
        (this.audit ??= JsonlAuditLog.open({
          dir: this.deps.context.globalStorageUri.fsPath,
          clock: this.deps.clock,
          log: this.deps.log,
          anchor: createSecretAnchorStore(this.deps.context.secrets),
        }).catch((error: unknown) => {
          this.audit = undefined;
          throw error;
        })),
      guard: this.guard,
      log: this.deps.log,
      forward: (record) => void this.forwarder.forward(record),
      onProblem: (message) =>
        void vscode.window
          .showErrorMessage(message, 'Show Log')
          .then((picked) => picked && executeCommand(commandIds.showLog)),
      onRecovered: (message) => void vscode.window.showInformationMessage(message),
    });
    return this.trail;
  }

  /**
   * Records what already happened. A record that cannot be written is shown to the user at
   * once and retried (next record, or a timer), never dropped silently; it does not undo the
   * outcome it records. What must be recorded before it happens uses auditTrail.require().
   */
  async record(event: AuditEventInput): Promise<void> {
    await this.auditTrail.record(event);
  }

  private registerSecrets(session: Session): void {
    for (const secret of [session.credentials.secretAccessKey, session.credentials.sessionToken]) {
      this.guard.add(secret);
      this.deps.redactor.add(secret);
    }
  }

  private getServer(): Promise<CredentialServer> {
    this.server ??= startCredentialServer({
      clock: this.deps.clock,
      log: this.deps.log,
      // Served fetches one record each; refusals as one record a minute of counts, so a
      // flood of bad requests cannot flood the audit trail.
      onFetch: (sessionId, ok) => {
        const session = ok ? this.store.get(sessionId) : undefined;
        if (!session) return;
        void this.record({
          ...getSessionAuditFields(session),
          actor: session.assumedRoleArn,
          event: 'credentials.fetched',
          outcome: 'success',
        });
      },
      onRefused: ({ minute, counts }) => {
        // The requesters are unknown: the actor is the endpoint's owner, who was asked.
        const actor =
          this.deps.controller.snapshot.identity?.arn ?? 'unidentified (the owner of this credential endpoint)';
        void this.record({ event: 'credentials.refused', actor, outcome: 'denied', detail: { minute, ...counts } });
      },
    });
    return this.server;
  }

  private async serve(session: Session, how: 'add' | 'renew', previous?: Session): Promise<void> {
    this.registerSecrets(session);
    const server = await this.getServer();
    const endpoint = how === 'renew' ? server.renew(session) : server.add(session);
    this.guard.add(endpoint.token);
    this.deps.redactor.add(endpoint.token);
    if (previous) this.endpoints.delete(previous.id);
    this.endpoints.set(session.id, endpoint);
    this.endpointsChanged.fire();
  }

  /**
   * The tombstones in globalStorage (shared by every window of this user-data dir) and a
   * socket among the other windows'; either failing leaves this window working on its own.
   */
  private async joinWindows(): Promise<void> {
    const storage = this.deps.context.globalStorageUri.fsPath;
    const log = this.deps.log;
    const ended = new EndedSessions({ dir: join(storage, 'sessions-ended'), clock: this.deps.clock, log });
    this.windowLinks.push(ended);
    await ended
      .start()
      .catch((error: unknown) =>
        log.error('Following ended sessions failed', error instanceof Error ? error : String(error)),
      );
    let peers: SessionPeers | undefined;
    if (process.platform === 'win32') {
      log.info('Sessions are shared with other windows through ended-session files only on Windows (no unix sockets).');
    } else {
      peers = await SessionPeers.open({
        dir: getPeersDir(storage),
        log,
        handlers: {
          getState: () => this.store.getPeerState(),
          onMessage: (message) => void this.store.receive(message),
        },
      }).catch((error: unknown) => {
        log.warn(error instanceof Error ? error.message : String(error));
        return undefined;
      });
      if (peers) this.windowLinks.push(peers);
    }
    this.store.connect({ ended, ...(peers ? { peers } : {}) });
  }

  private async withdraw(session: Session, reason: WithdrawReason): Promise<void> {
    if (reason === 'replaced') return; // renew keeps serving the same address with the new credentials
    const endpoint = this.endpoints.get(session.id);
    this.endpoints.delete(session.id);
    this.endpointsChanged.fire();
    // Started before any await: a session granted meanwhile at the same address keeps its file.
    const retired = endpoint ? this.tokenFiles.retire(endpoint.uri) : Promise.resolve();
    (await this.server)?.remove(session.id, reason === 'expired' ? 'expired' : 'revoked');
    await retired.catch((error: unknown) =>
      this.deps.log.error('Retiring a token file failed', error instanceof Error ? error : String(error)),
    );
  }

  private async onExpired(session: Session): Promise<void> {
    // Every window withdraws and tells its user; one of them records it.
    if (await this.store.claimExpiry(session))
      await this.record({ ...getSessionAuditFields(session), event: 'session.expired', outcome: 'success' });
    const label = `${getService(session.service).displayName} ${session.level}`;
    const picked = await vscode.window.showInformationMessage(
      `Your ${label} session expired; its credentials are withdrawn.`,
      'Request Again',
    );
    // The same answers again (only the MFA code is asked), then the offer of a terminal.
    const again = { durationSeconds: session.durationSeconds, reason: session.reason, ticket: session.ticket };
    if (picked)
      await executeCommand(commandIds.requestAccess, {
        kind: 'service',
        service: session.service,
        level: session.level,
        again,
      });
  }

  private async onWarning(session: Session): Promise<void> {
    const left = formatDuration(Math.max(0, session.credentials.expiration - this.deps.clock.now()) / 1000);
    const label = `${getService(session.service).displayName} ${session.level}`;
    const picked = await vscode.window.showWarningMessage(`Your ${label} session ends in ${left}.`, 'Renew');
    if (picked) await executeCommand(commandIds.renewSession, session.id);
  }

  dispose(): void {
    this.windowLinks.forEach((link) => link.dispose());
    this.restoredOnce.dispose();
    this.endpointsChanged.dispose();
    this.subscriptions.forEach((s) => s.dispose());
    this.store.dispose();
    this.forwarder.dispose();
    void this.server?.then((s) => s.close());
    void this.tokenFiles.removeAll();
    this.trail?.dispose();
    void this.audit?.then((a) => (a as JsonlAuditLog).close());
  }
}
