import * as vscode from 'vscode';
import { type AuditEventInput, type AuditPort } from '../../core/audit/events';
import { JsonlAuditLog } from '../../core/audit/jsonlAuditLog';
import { SecretGuard } from '../../core/audit/secretGuard';
import { type AccessLevel, type ServiceId, getService } from '../../core/catalog';
import { type CredentialServer, startCredentialServer } from '../../core/credentials/credentialServer';
import { getDeliveredEnvironment } from '../../core/credentials/delivery';
import { type EnvironmentChanges, type EnvironmentTarget } from '../../core/credentials/environment';
import { readInheritedAws } from '../../core/credentials/inheritedAws';
import { SessionStore, type WithdrawReason } from '../../core/credentials/sessions';
import { TokenFiles } from '../../core/credentials/tokenFiles';
import { InfraWatchError } from '../../core/errors';
import { type Clock, type Log } from '../../core/ports';
import { type Redactor } from '../../core/redact';
import { type Session, describeSession } from '../../core/session';
import { formatDuration } from '../../core/sts/duration';
import { type AccessController } from '../accessController';
import { getSettings } from '../config';
import { AuditForwarder } from './auditForwarder';
import { runRequest } from './requestFlow';

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
  private readonly endpoints = new Map<string, { uri: string; token: string }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly restoredOnce = new vscode.EventEmitter<void>();
  /** Fires when the sessions saved before a reload are back in service. */
  readonly onDidRestore = this.restoredOnce.event;
  readonly configDir: string;
  private readonly tokenFiles: TokenFiles;
  private readonly forwarder: AuditForwarder;

  constructor(readonly deps: SessionServiceDeps) {
    this.configDir = vscode.Uri.joinPath(deps.context.globalStorageUri, 'aws').fsPath;
    this.tokenFiles = new TokenFiles(vscode.Uri.joinPath(deps.context.globalStorageUri, 'aws', 'tokens').fsPath);
    this.forwarder = new AuditForwarder({ controller: deps.controller, dir: deps.context.globalStorageUri.fsPath, clock: deps.clock, log: deps.log });
    this.store = new SessionStore({
      secrets: {
        get: async (key) => deps.context.secrets.get(key),
        store: async (key, value) => deps.context.secrets.store(key, value),
        delete: async (key) => deps.context.secrets.delete(key),
      },
      clock: deps.clock,
      log: deps.log,
      withdraw: (session, reason) => void this.withdraw(session, reason),
    });
    this.subscriptions.push(
      this.store.onExpired((session) => void this.onExpired(session)),
      this.store.onWarning((session) => void this.onWarning(session)),
    );
  }

  /** Sessions saved before a window reload, back in service until they expire. */
  async restore(): Promise<Session[]> {
    const restored = await this.store.restore();
    for (const session of restored) await this.serve(session, 'add');
    this.restoredOnce.fire();
    if (restored.length > 0) this.deps.log.info(`Restored ${restored.length} session(s): ${restored.map((s) => `${s.service} ${s.level}`).join(', ')}`);
    return restored;
  }

  list(): Session[] {
    return this.store.list();
  }

  getEndpoint(session: Session): { uri: string; token: string } | undefined {
    return this.endpoints.get(session.id);
  }

  /** "InfraWatch: Request Access": asks, assumes the role, and puts the session to work. */
  async request(preset: { service?: ServiceId; level?: AccessLevel } = {}, options: { renew?: boolean } = {}): Promise<Session | undefined> {
    const session = await runRequest(this, preset, options);
    if (!session) return undefined;
    const previous = this.store.find(session.service, session.level);
    // Served before it is stored: listeners of the store (terminals) find its endpoint ready.
    await this.serve(session, previous ? 'renew' : 'add', previous);
    await this.store.add(session);
    const event = previous ? 'session.renewed' : 'access.granted';
    await this.record({ ...this.auditFields(session), event, outcome: 'success', expiresAt: new Date(session.credentials.expiration).toISOString() });
    return session;
  }

  async revoke(session: Session): Promise<void> {
    await this.store.revoke(session.id);
    await this.record({ ...this.auditFields(session), event: 'session.revoked', outcome: 'success' });
    this.deps.log.info(`Revoked ${session.service} ${session.level} (${session.id})`);
  }

  /**
   * The variables a terminal (`collection`) or a debuggee or Open Terminal (`process`)
   * needs for this session, in the configured mode, setting aside only what the
   * environment they inherit (this host's) would otherwise put before the session.
   */
  async getEnvironment(session: Session, target: EnvironmentTarget): Promise<EnvironmentChanges> {
    const endpoint = this.endpoints.get(session.id);
    if (!endpoint) throw new InfraWatchError('Expired', `The ${session.service} ${session.level} session is no longer served: request access again`);
    return getDeliveredEnvironment({
      session, endpoint: { ...endpoint }, target, settings: getSettings(), inherited: await readInheritedAws(process.env),
      configDir: this.configDir, tokenFiles: this.tokenFiles,
    });
  }

  async record(event: AuditEventInput): Promise<void> {
    try {
      this.audit ??= JsonlAuditLog.open({ dir: this.deps.context.globalStorageUri.fsPath, clock: this.deps.clock, log: this.deps.log, guard: this.guard });
      const record = await (await this.audit).append(event);
      void this.forwarder.forward(record);
    } catch (error) {
      // An audit failure must be seen, but must not hide the outcome it was recording.
      this.deps.log.error(`Writing the audit record ${event.event} failed`, error instanceof Error ? error : String(error));
    }
  }

  auditFields(session: Session): Omit<AuditEventInput, 'event' | 'outcome'> {
    const d = describeSession(session);
    return {
      actor: d.requestedBy, role: d.role, account: d.account, service: d.service, level: d.level,
      durationSeconds: d.durationSeconds, requestId: d.id, accessKeyId: d.accessKeyId,
      ...(d.reason ? { reason: d.reason } : {}), ...(d.ticket ? { ticket: d.ticket } : {}),
    };
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
      onFetch: (sessionId, ok, reason) => {
        const session = this.store.get(sessionId);
        if (!session) return;
        void this.record({ ...this.auditFields(session), actor: session.assumedRoleArn, event: 'credentials.fetched', outcome: ok ? 'success' : 'denied', ...(reason ? { detail: { reason } } : {}) });
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
  }

  private async withdraw(session: Session, reason: WithdrawReason): Promise<void> {
    if (reason === 'replaced') return; // renew keeps serving the same address with the new credentials
    const endpoint = this.endpoints.get(session.id);
    this.endpoints.delete(session.id);
    // Started before any await: a session granted meanwhile at the same address keeps its file.
    const retired = endpoint ? this.tokenFiles.retire(endpoint.uri) : Promise.resolve();
    (await this.server)?.remove(session.id, reason === 'expired' ? 'expired' : 'revoked');
    await retired.catch((error: unknown) => this.deps.log.error('Retiring a token file failed', error instanceof Error ? error : String(error)));
  }

  private async onExpired(session: Session): Promise<void> {
    await this.record({ ...this.auditFields(session), event: 'session.expired', outcome: 'success' });
    const label = `${getService(session.service).displayName} ${session.level}`;
    const picked = await vscode.window.showInformationMessage(`Your ${label} session expired; its credentials are withdrawn.`, 'Request Again');
    if (picked) await vscode.commands.executeCommand('infrawatch.requestAccess', { kind: 'service', service: session.service, level: session.level });
  }

  private async onWarning(session: Session): Promise<void> {
    const left = formatDuration(Math.max(0, session.credentials.expiration - this.deps.clock.now()) / 1000);
    const label = `${getService(session.service).displayName} ${session.level}`;
    const picked = await vscode.window.showWarningMessage(`Your ${label} session ends in ${left}.`, 'Renew');
    if (picked) await vscode.commands.executeCommand('infrawatch.renewSession', session.id);
  }

  dispose(): void {
    this.restoredOnce.dispose();
    this.subscriptions.forEach((s) => s.dispose());
    this.store.dispose();
    this.forwarder.dispose();
    void this.server?.then((s) => s.close());
    void this.tokenFiles.removeAll();
    void this.audit?.then((a) => (a as JsonlAuditLog).close());
  }
}
