// The live sessions: one per service and level, persisted as one SecretStorage entry,
// expired by the wall clock. Timers are only hints: every firing and a periodic tick
// compare `expiration` with clock.now(), so a suspended machine or a moved clock is
// caught on the next tick rather than trusted to a long setTimeout.
// Several windows of one user share the truth through a SessionSync (connect()): a
// change made here is told to the other windows, theirs are applied here without being
// told again or audited again (the window where it happened audits), and a session that
// ended early (tombstoned) is never served, restored or saved again by any window.
import { InfraWatchError } from '../errors';
import { silentLog, type Clock, type Disposable, type Log, type SecretStore } from '../ports';
import { getSessionKey, type Session } from '../session';
import { Emitter, type Event } from './emitter';
import { type EndedEntry, type EndedReason, getStoredSessionsText, parseStoredSessions, type PeerMessage, type PeerState, sessionsSecretKey } from './sessionSchema';
import { systemTimers, type TimerFunctions } from './timers';

export { systemTimers, type TimerFunctions };

/** What one window tells the others. */
export type PeerUpdate = Extract<PeerMessage, { type: 'upsert' } | { type: 'ended' }>;

/** The shared tombstones (endedSessions.ts). */
export interface EndedPort {
  has(id: string): boolean;
  list(): EndedEntry[];
  /** Learnt from another window; fires onDidAdd when new. */
  note(entry: EndedEntry): boolean;
  /** Written by this window, before anyone is told; true when this call created it. */
  add(entry: EndedEntry): Promise<boolean>;
  readonly onDidAdd: Event<EndedEntry>;
}

/** The other windows (sessionPeers.ts). */
export interface PeersPort {
  hello(): Promise<PeerState[]>;
  publish(message: PeerUpdate): Promise<void>;
}

export interface SessionSync {
  ended: EndedPort;
  peers?: PeersPort;
}

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

const maxTimerMs = 2 ** 31 - 1;

function describe(session: Session): string {
  return `${session.id} (${session.service} ${session.level})`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The later grant wins a service and level (then the later expiry, then the id): every window picks the same. */
export function isNewer(a: Session, b: Session): boolean {
  if (a.grantedAt !== b.grantedAt) return a.grantedAt > b.grantedAt;
  if (a.credentials.expiration !== b.credentials.expiration) return a.credentials.expiration > b.credentials.expiration;
  return a.id > b.id;
}

export class SessionStore implements Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly warned = new Set<string>();
  private readonly log: Log;
  private readonly timers: TimerFunctions;
  private readonly tickMs: number;
  private readonly warningMs: number;
  private readonly changeEmitter: Emitter<void>;
  private readonly warningEmitter: Emitter<Session>;
  private readonly expiredEmitter: Emitter<Session>;
  private timeout: unknown;
  private interval: unknown;
  private writing: Promise<void> = Promise.resolve();
  /** Restore and other windows' changes apply one at a time, in arrival order. */
  private applying: Promise<unknown> = Promise.resolve();
  private sync: SessionSync | undefined;
  private syncSubscription: Disposable | undefined;
  private disposed = false;

  readonly onDidChange: Event<void>;
  readonly onWarning: Event<Session>;
  readonly onExpired: Event<Session>;

  constructor(private readonly options: SessionStoreOptions) {
    this.log = options.log ?? silentLog;
    this.timers = options.timers ?? systemTimers;
    this.tickMs = options.tickMs ?? 15_000;
    this.warningMs = options.warningMs ?? 5 * 60_000;
    const onListenerError = (error: unknown): void => this.log.error(`Session listener failed: ${error instanceof Error ? error.message : String(error)}`);
    this.changeEmitter = new Emitter<void>(onListenerError);
    this.warningEmitter = new Emitter<Session>(onListenerError);
    this.expiredEmitter = new Emitter<Session>(onListenerError);
    this.onDidChange = this.changeEmitter.event;
    this.onWarning = this.warningEmitter.event;
    this.onExpired = this.expiredEmitter.event;
  }

  /** Adds a new session; one already held for the same service and level is withdrawn. */
  async add(session: Session): Promise<void> {
    await this.replace(session, true);
  }

  /** Replaces the session for the same service and level; the caller re-serves it in place. */
  async renew(session: Session): Promise<void> {
    await this.replace(session, false);
  }

  /** Ends a session in every window: tombstone first, then save, then tell the others. */
  async revoke(id: string): Promise<Session | undefined> {
    const session = this.get(id);
    if (session === undefined) return undefined;
    this.remove(session);
    this.withdraw(session, 'revoked');
    this.log.info(`Session ${describe(session)} revoked.`);
    const entry = await this.tombstone(session, 'revoked');
    await this.commit();
    if (entry) await this.publish({ type: 'ended', entry });
    return session;
  }

  /**
   * Joins the other windows: their tombstones withdraw what this window serves; call it
   * before restore() so the restore asks them too.
   */
  connect(sync: SessionSync): void {
    this.sync = sync;
    this.syncSubscription?.dispose();
    this.syncSubscription = sync.ended.onDidAdd((entry) => void this.enqueue(() => this.applyEnded(entry)));
  }

  /**
   * Several windows see the same session expire (each by its own clock check); true for
   * exactly one of them, which audits it. Without other windows, always true.
   */
  async claimExpiry(session: Session): Promise<boolean> {
    if (!this.sync) return true;
    try {
      return await this.sync.ended.add({ id: session.id, expiration: session.credentials.expiration, reason: 'expired' });
    } catch (error) {
      this.log.error(`Recording that session ${describe(session)} expired failed: ${errorText(error)}`);
      return true;
    }
  }

  /** This window's answer to another window's hello: live sessions and known tombstones. */
  getPeerState(): PeerState {
    const ended = this.sync?.ended;
    return { type: 'state', sessions: this.list().filter((s) => !ended?.has(s.id)), ended: ended?.list() ?? [] };
  }

  /** A change another window made (and audited): applied here, not told again. */
  receive(message: PeerUpdate): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (message.type === 'upsert') return this.enqueue(() => this.applyUpsert(message.session));
    // A new tombstone reaches applyEnded through onDidAdd, once, whether the file or the message came first.
    if (this.sync) {
      this.sync.ended.note(message.entry);
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

  soonest(): Session | undefined {
    return this.list()[0];
  }

  /**
   * Loads the sessions saved in SecretStorage and those the other windows hold, less the
   * tombstoned and the expired; the later grant wins each service and level. Unreadable
   * or expired entries are dropped from the store too.
   */
  restore(): Promise<Session[]> {
    return this.enqueue(async () => {
      const text = await this.options.secrets.get(sessionsSecretKey);
      const { sessions: stored, rejected } = text === undefined ? { sessions: [], rejected: 0 } : parseStoredSessions(text);
      if (rejected > 0) this.log.warn(`${rejected} stored session record(s) could not be read and were discarded.`);
      const states = await this.sync?.peers?.hello().catch((error: unknown) => {
        this.log.warn(`Asking the other windows for their sessions failed: ${errorText(error)}`);
        return [];
      }) ?? [];
      for (const entry of states.flatMap((state) => state.ended)) this.sync?.ended.note(entry);
      const now = this.options.clock.now();
      const candidates = [...stored, ...states.flatMap((state) => state.sessions)];
      const live = candidates.filter((session) => session.credentials.expiration > now && !this.isEnded(session.id));
      const chosen = new Map<string, Session>();
      for (const session of live) {
        const key = getSessionKey(session.service, session.level);
        const current = chosen.get(key) ?? this.sessions.get(key);
        if (current === undefined || (current.id !== session.id && isNewer(session, current))) chosen.set(key, session);
      }
      const restored: Session[] = [];
      for (const session of chosen.values()) if (await this.adopt(session)) restored.push(session);
      const expired = stored.filter((session) => session.credentials.expiration <= now).length;
      this.log.info(`Restored ${restored.length} session(s); ${expired} had expired.`);
      if (restored.length > 0) this.changeEmitter.fire();
      await this.persist();
      this.schedule();
      return restored;
    });
  }

  /** Compares every session with the wall clock now; also call it after a resume. */
  check(): void {
    if (this.disposed) return;
    const now = this.options.clock.now();
    const expired = this.list().filter((session) => now >= session.credentials.expiration);
    for (const session of expired) this.expire(session);
    for (const session of this.list()) {
      if (this.warned.has(session.id) || now < session.credentials.expiration - this.warningMs) continue;
      this.warned.add(session.id);
      this.warningEmitter.fire(session);
    }
    if (expired.length > 0) {
      this.changeEmitter.fire();
      this.persist().catch((error: unknown) => this.log.error(`Removing expired sessions from secret storage failed: ${(error as Error).message}`));
    }
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    this.syncSubscription?.dispose();
    this.timers.clearTimeout(this.timeout);
    this.timers.clearInterval(this.interval);
    this.timeout = this.interval = undefined;
    this.changeEmitter.dispose();
    this.warningEmitter.dispose();
    this.expiredEmitter.dispose();
  }

  private put(session: Session): Session | undefined {
    if (session.credentials.expiration <= this.options.clock.now()) {
      throw new InfraWatchError('Expired', `Adding the session failed: it expired at ${new Date(session.credentials.expiration).toISOString()}`);
    }
    const key = getSessionKey(session.service, session.level);
    const previous = this.sessions.get(key);
    if (previous !== undefined) this.warned.delete(previous.id);
    this.warned.delete(session.id);
    this.sessions.set(key, session);
    return previous;
  }

  /** The replaced session is tombstoned (a stale copy must not come back), then the others are told. */
  private async replace(session: Session, withdrawPrevious: boolean): Promise<void> {
    const previous = this.put(session);
    if (previous !== undefined && previous.id !== session.id) {
      if (withdrawPrevious) this.withdraw(previous, 'replaced');
      await this.tombstone(previous, 'replaced');
    }
    await this.commit();
    await this.publish({ type: 'upsert', session });
  }

  private isEnded(id: string): boolean {
    return this.sync?.ended.has(id) ?? false;
  }

  /** Serves and stores a session from elsewhere; false when it is not wanted here. */
  private async adopt(session: Session): Promise<boolean> {
    if (this.disposed || this.isEnded(session.id) || session.credentials.expiration <= this.options.clock.now()) return false;
    const held = this.find(session.service, session.level);
    if (held !== undefined && (held.id === session.id || !isNewer(session, held))) return false;
    try {
      await this.options.serve?.(session, held);
    } catch (error) {
      this.log.error(`Serving session ${describe(session)} failed: ${errorText(error)}`);
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
    this.log.info(`Session ${describe(session)} granted in another window.`);
    this.changeEmitter.fire();
    this.schedule();
    await this.persist().catch((error: unknown) => this.log.error(`Saving sessions to secret storage failed: ${errorText(error)}`));
  }

  /** Another window ended a session early. A replaced one stays until its successor's upsert renews it in place. */
  private async applyEnded(entry: EndedEntry): Promise<void> {
    const session = this.get(entry.id);
    if (session === undefined || entry.reason === 'replaced' || this.disposed) return;
    this.remove(session);
    this.withdraw(session, entry.reason === 'expired' ? 'expired' : 'revoked');
    this.log.info(`Session ${describe(session)} ${entry.reason} in another window.`);
    this.changeEmitter.fire();
    this.schedule();
    await this.persist().catch((error: unknown) => this.log.error(`Saving sessions to secret storage failed: ${errorText(error)}`));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.applying.then(work);
    this.applying = next.catch((error: unknown) => this.log.error(`Applying a session change failed: ${errorText(error)}`));
    return next;
  }

  /** Written before anyone is told; a failure is logged, and the revoke still goes ahead here and by message. */
  private async tombstone(session: Session, reason: EndedReason): Promise<EndedEntry | undefined> {
    const entry: EndedEntry = { id: session.id, expiration: session.credentials.expiration, reason };
    if (!this.sync) return entry;
    try {
      await this.sync.ended.add(entry);
    } catch (error) {
      this.log.error(`Recording that session ${describe(session)} ended failed: ${errorText(error)}`);
    }
    return entry;
  }

  private async publish(message: PeerUpdate): Promise<void> {
    await this.sync?.peers?.publish(message).catch((error: unknown) => this.log.warn(`Telling the other windows failed: ${errorText(error)}`));
  }

  private remove(session: Session): void {
    this.sessions.delete(getSessionKey(session.service, session.level));
    this.warned.delete(session.id);
  }

  private expire(session: Session): void {
    this.remove(session);
    this.withdraw(session, 'expired');
    this.log.info(`Session ${describe(session)} expired.`);
    this.expiredEmitter.fire(session);
  }

  private withdraw(session: Session, reason: WithdrawReason): void {
    try {
      this.options.withdraw?.(session, reason);
    } catch (error) {
      this.log.error(`Withdrawing session ${describe(session)} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async commit(): Promise<void> {
    this.changeEmitter.fire();
    this.schedule();
    await this.persist();
  }

  /** Writes the whole current set, never a tombstoned one; writes run one at a time, each with the latest state. */
  private persist(): Promise<void> {
    const write = async (): Promise<void> => {
      const sessions = this.list().filter((session) => !this.isEnded(session.id));
      try {
        if (sessions.length === 0) await this.options.secrets.delete(sessionsSecretKey);
        else await this.options.secrets.store(sessionsSecretKey, getStoredSessionsText(sessions));
      } catch (error) {
        throw new InfraWatchError('Unknown', `Saving sessions to secret storage failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    };
    const next = this.writing.then(write);
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** One timeout for the next due warning or expiry, and the tick while sessions exist. */
  private schedule(): void {
    if (this.disposed) return;
    this.timers.clearTimeout(this.timeout);
    this.timeout = undefined;
    if (this.sessions.size === 0) {
      this.timers.clearInterval(this.interval);
      this.interval = undefined;
      return;
    }
    this.interval ??= this.timers.setInterval(() => this.check(), this.tickMs);
    const now = this.options.clock.now();
    let due = Number.POSITIVE_INFINITY;
    for (const session of this.sessions.values()) {
      const expiration = session.credentials.expiration;
      due = Math.min(due, this.warned.has(session.id) ? expiration : expiration - this.warningMs);
    }
    this.timeout = this.timers.setTimeout(() => this.check(), Math.min(maxTimerMs, Math.max(0, due - now)));
  }
}
