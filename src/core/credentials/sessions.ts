// The live sessions: one per service and level, persisted as one SecretStorage entry
// (sessionVault.ts), expired by the wall clock. Timers are only hints (expirySchedule.ts):
// every firing and a periodic tick compare `expiration` with clock.now(), so a suspended
// machine or a moved clock is caught on the next tick rather than trusted to a long setTimeout.
// Several windows of one user share the truth through a SessionSync (connect();
// sessionSync.ts): a change made here is told to the other windows, theirs are applied here
// without being told again or audited again (the window where it happened audits), and a
// session that ended early (tombstoned) is never served, restored or saved again by any window.
import { InfraWatchError } from '../errors';
import { silentLog, type Clock, type Disposable, type Log, type SecretStore } from '../ports';
import { getSessionKey, type Session } from '../session';
import { Emitter, type Event } from './emitter';
import { ExpirySchedule } from './expirySchedule';
import { type EndedEntry, type PeerState } from './sessionSchema';
import { SessionVault } from './sessionVault';
import {
  describeForLog,
  getErrorText,
  isNewer,
  pickRestored,
  type PeerUpdate,
  type SessionSync,
  WindowLink,
} from './sessionSync';
import { type TimerFunctions } from './timers';

export type WithdrawReason = 'expired' | 'revoked' | 'replaced';

export interface SessionStoreOptions {
  secrets: SecretStore;
  clock: Clock;
  log?: Log;
  timers?: TimerFunctions;
  /** Re-check period; default 15 s. */
  tickMs?: number;
  /** How long before expiry onWarning fires; default 5 minutes. */
  warningMs?: number;
  /** A session left the store: stop serving it (credential server, environments). */
  withdraw?(session: Session, reason: WithdrawReason): void;
  /**
   * Serve a session that came from another window or from a restore, before it joins the
   * store (so listeners find its endpoint ready); `previous` is the one it replaces.
   */
  serve?(session: Session, previous: Session | undefined): Promise<void>;
}

export class SessionStore implements Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly log: Log;
  private readonly schedule: ExpirySchedule;
  private readonly changeEmitter: Emitter<void>;
  private readonly warningEmitter: Emitter<Session>;
  private readonly expiredEmitter: Emitter<Session>;
  private readonly vault: SessionVault;
  /** Restore and other windows' changes apply one at a time, in arrival order. */
  private applying: Promise<unknown> = Promise.resolve();
  private readonly link: WindowLink;
  private syncSubscription: Disposable | undefined;
  private disposed = false;

  readonly onDidChange: Event<void>;
  readonly onWarning: Event<Session>;
  readonly onExpired: Event<Session>;

  constructor(private readonly options: SessionStoreOptions) {
    this.log = options.log ?? silentLog;
    this.vault = new SessionVault(options.secrets);
    this.link = new WindowLink(this.log);
    this.schedule = new ExpirySchedule({
      timers: options.timers,
      tickMs: options.tickMs ?? 15_000,
      warningMs: options.warningMs ?? 5 * 60_000,
      check: () => this.check(),
    });
    const onListenerError = (error: unknown): void =>
      this.log.error(`Session listener failed: ${error instanceof Error ? error.message : String(error)}`);
    this.changeEmitter = new Emitter<void>(onListenerError);
    this.warningEmitter = new Emitter<Session>(onListenerError);
    this.expiredEmitter = new Emitter<Session>(onListenerError);
    this.onDidChange = this.changeEmitter.event;
    this.onWarning = this.warningEmitter.event;
    this.onExpired = this.expiredEmitter.event;
  }

  /**
   * Adds a session; one already held for the same service and level is withdrawn ('replaced':
   * a renew keeps serving its address) and tombstoned, so a stale copy cannot come back.
   */
  async add(session: Session): Promise<void> {
    const previous = this.put(session);
    if (previous !== undefined && previous.id !== session.id) {
      this.withdraw(previous, 'replaced');
      await this.link.tombstone(previous, 'replaced');
    }
    await this.commit();
    await this.link.publish({ type: 'upsert', session });
  }

  /** Ends a session in every window: tombstone first, then save, then tell the others. */
  async revoke(id: string): Promise<Session | undefined> {
    const session = this.get(id);
    if (session === undefined) return undefined;
    this.remove(session);
    this.withdraw(session, 'revoked');
    this.log.info(`Session ${describeForLog(session)} revoked.`);
    const entry = await this.link.tombstone(session, 'revoked');
    await this.commit();
    await this.link.publish({ type: 'ended', entry });
    return session;
  }

  /**
   * Joins the other windows: their tombstones withdraw what this window serves; call it
   * before restore() so the restore asks them too.
   */
  connect(sync: SessionSync): void {
    this.link.connect(sync);
    this.syncSubscription?.dispose();
    this.syncSubscription = sync.ended.onDidAdd((entry) => void this.enqueue(() => this.applyEnded(entry)));
  }

  /**
   * Several windows see the same session expire (each by its own clock check); true for
   * exactly one of them, which audits it. Without other windows, always true.
   */
  claimExpiry(session: Session): Promise<boolean> {
    return this.link.claimExpiry(session);
  }

  /** This window's answer to another window's hello: live sessions and known tombstones. */
  getPeerState(): PeerState {
    return this.link.getState(this.list());
  }

  /** A change another window made (and audited): applied here, not told again. */
  receive(message: PeerUpdate): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (message.type === 'upsert') return this.enqueue(() => this.applyUpsert(message.session));
    // A new tombstone reaches applyEnded through onDidAdd, once, whether the file or the message came first.
    if (this.link.connected) {
      this.link.note(message.entry);
      return this.applying.then(() => undefined);
    }
    return this.enqueue(() => this.applyEnded(message.entry));
  }

  get(id: string): Session | undefined {
    for (const session of this.sessions.values()) if (session.id === id) return session;
    return undefined;
  }

  find(service: Session['service'], level: Session['level']): Session | undefined {
    return this.sessions.get(getSessionKey(service, level));
  }

  /** Soonest expiry first. */
  list(): Session[] {
    return [...this.sessions.values()].sort((a, b) => a.credentials.expiration - b.credentials.expiration);
  }

  /**
   * Loads the sessions saved in SecretStorage and those the other windows hold, less the
   * tombstoned and the expired; the later grant wins each service and level. Unreadable
   * or expired entries are dropped from the store too.
   */
  restore(): Promise<Session[]> {
    return this.enqueue(async () => {
      const { sessions: stored, rejected } = await this.vault.read();
      if (rejected > 0) this.log.warn(`${rejected} stored session record(s) could not be read and were discarded.`);
      const theirs = await this.link.hello();
      const now = this.options.clock.now();
      const candidates = [...stored, ...theirs];
      const chosen = pickRestored(candidates, {
        now,
        isEnded: (id) => this.isEnded(id),
        held: (key) => this.sessions.get(key),
      });
      const restored: Session[] = [];
      for (const session of chosen) if (await this.adopt(session)) restored.push(session);
      const expired = stored.filter((session) => session.credentials.expiration <= now).length;
      this.log.info(`Restored ${restored.length} session(s); ${expired} had expired.`);
      if (restored.length > 0) this.changeEmitter.fire();
      await this.persist();
      this.reschedule();
      return restored;
    });
  }

  /** Compares every session with the wall clock now; also call it after a resume. */
  check(): void {
    if (this.disposed) return;
    const now = this.options.clock.now();
    const expired = this.list().filter((session) => now >= session.credentials.expiration);
    for (const session of expired) this.expire(session);
    for (const session of this.schedule.takeWarnings(this.list(), now)) this.warningEmitter.fire(session);
    if (expired.length > 0) {
      this.changeEmitter.fire();
      this.persist().catch((error: unknown) =>
        this.log.error(`Removing expired sessions from secret storage failed: ${(error as Error).message}`),
      );
    }
    this.reschedule();
  }

  dispose(): void {
    this.disposed = true;
    this.syncSubscription?.dispose();
    this.schedule.dispose();
    this.changeEmitter.dispose();
    this.warningEmitter.dispose();
    this.expiredEmitter.dispose();
  }

  private put(session: Session): Session | undefined {
    if (session.credentials.expiration <= this.options.clock.now()) {
      throw new InfraWatchError(
        'Expired',
        `Adding the session failed: it expired at ${new Date(session.credentials.expiration).toISOString()}`,
      );
    }
    const key = getSessionKey(session.service, session.level);
    const previous = this.sessions.get(key);
    if (previous !== undefined) this.schedule.forget(previous.id);
    this.schedule.forget(session.id);
    this.sessions.set(key, session);
    return previous;
  }

  private isEnded(id: string): boolean {
    return this.link.isEnded(id);
  }

  /** Serves and stores a session from elsewhere; false when it is not wanted here. */
  private async adopt(session: Session): Promise<boolean> {
    if (this.disposed || this.isEnded(session.id) || session.credentials.expiration <= this.options.clock.now())
      return false;
    const held = this.find(session.service, session.level);
    if (held !== undefined && (held.id === session.id || !isNewer(session, held))) return false;
    try {
      await this.options.serve?.(session, held);
    } catch (error) {
      this.log.error(`Serving session ${describeForLog(session)} failed: ${getErrorText(error)}`);
      return false;
    }
    // Re-checked: a tombstone or a newer grant may have arrived while it was being served.
    const now = this.find(session.service, session.level);
    if (this.isEnded(session.id) || (now !== undefined && now !== held && !isNewer(session, now))) return false;
    this.put(session);
    if (held !== undefined) this.withdraw(held, 'replaced');
    return true;
  }

  private async applyUpsert(session: Session): Promise<void> {
    if (!(await this.adopt(session))) return;
    this.log.info(`Session ${describeForLog(session)} granted in another window.`);
    this.changeEmitter.fire();
    this.reschedule();
    await this.persist().catch((error: unknown) =>
      this.log.error(`Saving sessions to secret storage failed: ${getErrorText(error)}`),
    );
  }

  /** Another window ended a session early. A replaced one stays until its successor's upsert renews it in place. */
  private async applyEnded(entry: EndedEntry): Promise<void> {
    const session = this.get(entry.id);
    if (session === undefined || entry.reason === 'replaced' || this.disposed) return;
    this.remove(session);
    this.withdraw(session, entry.reason === 'expired' ? 'expired' : 'revoked');
    this.log.info(`Session ${describeForLog(session)} ${entry.reason} in another window.`);
    this.changeEmitter.fire();
    this.reschedule();
    await this.persist().catch((error: unknown) =>
      this.log.error(`Saving sessions to secret storage failed: ${getErrorText(error)}`),
    );
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.applying.then(work);
    this.applying = next.catch((error: unknown) =>
      this.log.error(`Applying a session change failed: ${getErrorText(error)}`),
    );
    return next;
  }

  private remove(session: Session): void {
    this.sessions.delete(getSessionKey(session.service, session.level));
    this.schedule.forget(session.id);
  }

  private expire(session: Session): void {
    this.remove(session);
    this.withdraw(session, 'expired');
    this.log.info(`Session ${describeForLog(session)} expired.`);
    this.expiredEmitter.fire(session);
  }

  private withdraw(session: Session, reason: WithdrawReason): void {
    try {
      this.options.withdraw?.(session, reason);
    } catch (error) {
      this.log.error(
        `Withdrawing session ${describeForLog(session)} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async commit(): Promise<void> {
    this.changeEmitter.fire();
    this.reschedule();
    await this.persist();
  }

  /** Saves the whole current set, never a tombstoned one. */
  private persist(): Promise<void> {
    return this.vault.write(() => this.list().filter((session) => !this.isEnded(session.id)));
  }

  /** The next due warning or expiry (none without sessions). */
  private reschedule(): void {
    if (this.disposed) return;
    this.schedule.reschedule([...this.sessions.values()], this.options.clock.now());
  }
}
