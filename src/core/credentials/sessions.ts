// The live sessions: one per service and level, persisted as one SecretStorage entry,
// expired by the wall clock. Timers are only hints: every firing and a periodic tick
// compare `expiration` with clock.now(), so a suspended machine or a moved clock is
// caught on the next tick rather than trusted to a long setTimeout.
import { InfraWatchError } from '../errors';
import { silentLog, type Clock, type Disposable, type Log, type SecretStore } from '../ports';
import { getSessionKey, type Session } from '../session';
import { Emitter, type Event } from './emitter';
import { getStoredSessionsText, parseStoredSessions, sessionsSecretKey } from './sessionSchema';

export interface TimerFunctions {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

function unref(handle: unknown): unknown {
  (handle as { unref?: () => void }).unref?.();
  return handle;
}

export const systemTimers: TimerFunctions = {
  setTimeout: (callback, ms) => unref(setTimeout(callback, ms)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, ms) => unref(setInterval(callback, ms)),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

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
}

const maxTimerMs = 2 ** 31 - 1;

function describe(session: Session): string {
  return `${session.id} (${session.service} ${session.level})`;
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
    const previous = this.put(session);
    if (previous !== undefined && previous.id !== session.id) this.withdraw(previous, 'replaced');
    await this.commit();
  }

  /** Replaces the session for the same service and level; the caller re-serves it in place. */
  async renew(session: Session): Promise<void> {
    this.put(session);
    await this.commit();
  }

  async revoke(id: string): Promise<Session | undefined> {
    const session = this.get(id);
    if (session === undefined) return undefined;
    this.remove(session);
    this.withdraw(session, 'revoked');
    this.log.info(`Session ${describe(session)} revoked.`);
    await this.commit();
    return session;
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

  /** Loads persisted sessions; expired or unreadable ones are dropped from the store too. */
  async restore(): Promise<Session[]> {
    const text = await this.options.secrets.get(sessionsSecretKey);
    if (text === undefined) return [];
    const { sessions, rejected } = parseStoredSessions(text);
    if (rejected > 0) this.log.warn(`${rejected} stored session record(s) could not be read and were discarded.`);
    const now = this.options.clock.now();
    const live = sessions.filter((session) => session.credentials.expiration > now);
    const restored: Session[] = [];
    for (const session of live) {
      const held = this.find(session.service, session.level);
      if (held !== undefined && held.credentials.expiration >= session.credentials.expiration) continue;
      this.put(session);
      restored.push(session);
    }
    this.log.info(`Restored ${restored.length} session(s); ${sessions.length - live.length} had expired.`);
    if (restored.length > 0) this.changeEmitter.fire();
    await this.persist();
    this.schedule();
    return restored;
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

  /** Writes the whole current set; writes run one at a time, each with the latest state. */
  private persist(): Promise<void> {
    const write = async (): Promise<void> => {
      const sessions = this.list();
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
