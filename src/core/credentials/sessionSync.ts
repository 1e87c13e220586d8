// How the windows of one user agree on the live sessions (sessions.ts applies it): the
// shared tombstones and the socket among the windows, as ports, and the rule every window
// uses to pick one session per service and level.
import { type Log } from '../ports';
import { getSessionKey, type Session } from '../session';
import { type Event } from './emitter';
import { type EndedEntry, type EndedReason, type PeerMessage, type PeerState } from './sessionSchema';

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

/** The later grant wins a service and level (then the later expiry, then the id): every window picks the same. */
export function isNewer(a: Session, b: Session): boolean {
  if (a.grantedAt !== b.grantedAt) return a.grantedAt > b.grantedAt;
  if (a.credentials.expiration !== b.credentials.expiration) return a.credentials.expiration > b.credentials.expiration;
  return a.id > b.id;
}

/**
 * Of the sessions saved here and those the other windows hold, the ones to bring back: live,
 * not tombstoned, and newer than what this window already holds for their service and level.
 */
export function pickRestored(
  candidates: Session[],
  options: { now: number; isEnded(id: string): boolean; held(key: string): Session | undefined },
): Session[] {
  const chosen = new Map<string, Session>();
  for (const session of candidates) {
    if (session.credentials.expiration <= options.now || options.isEnded(session.id)) continue;
    const key = getSessionKey(session.service, session.level);
    const current = chosen.get(key) ?? options.held(key);
    if (current === undefined || (current.id !== session.id && isNewer(session, current))) chosen.set(key, session);
  }
  return [...chosen.values()];
}

/** A session as the log names it. */
export function describeForLog(session: Session): string {
  return `${session.id} (${session.service} ${session.level})`;
}

export function getErrorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * This window's side of a SessionSync; before connect() a window on its own. A failure to
 * reach the others is logged, never thrown: this window keeps working alone.
 */
export class WindowLink {
  private sync: SessionSync | undefined;

  constructor(private readonly log: Log) {}

  connect(sync: SessionSync): void {
    this.sync = sync;
  }

  get connected(): boolean {
    return this.sync !== undefined;
  }

  isEnded(id: string): boolean {
    return this.sync?.ended.has(id) ?? false;
  }

  /** Learnt from another window; the tombstones' onDidAdd fires when it is new. */
  note(entry: EndedEntry): void {
    this.sync?.ended.note(entry);
  }

  /** True for exactly one of the windows that saw the session expire; alone, always true. */
  async claimExpiry(session: Session): Promise<boolean> {
    if (!this.sync) return true;
    try {
      return await this.sync.ended.add({
        id: session.id,
        expiration: session.credentials.expiration,
        reason: 'expired',
      });
    } catch (error) {
      this.log.error(`Recording that session ${describeForLog(session)} expired failed: ${getErrorText(error)}`);
      return true;
    }
  }

  /** Written before anyone is told; a failure is logged, and the change still goes ahead here and by message. */
  async tombstone(session: Session, reason: EndedReason): Promise<EndedEntry> {
    const entry: EndedEntry = { id: session.id, expiration: session.credentials.expiration, reason };
    try {
      await this.sync?.ended.add(entry);
    } catch (error) {
      this.log.error(`Recording that session ${describeForLog(session)} ended failed: ${getErrorText(error)}`);
    }
    return entry;
  }

  async publish(message: PeerUpdate): Promise<void> {
    await this.sync?.peers
      ?.publish(message)
      .catch((error: unknown) => this.log.warn(`Telling the other windows failed: ${getErrorText(error)}`));
  }

  /** The sessions the other windows hold; their tombstones are noted here first. */
  async hello(): Promise<Session[]> {
    const states =
      (await this.sync?.peers?.hello().catch((error: unknown) => {
        this.log.warn(`Asking the other windows for their sessions failed: ${getErrorText(error)}`);
        return [];
      })) ?? [];
    for (const entry of states.flatMap((state) => state.ended)) this.note(entry);
    return states.flatMap((state) => state.sessions);
  }

  /** This window's answer to another window's hello: its live sessions and the known tombstones. */
  getState(sessions: Session[]): PeerState {
    const ended = this.sync?.ended;
    return { type: 'state', sessions: sessions.filter((s) => !ended?.has(s.id)), ended: ended?.list() ?? [] };
  }
}
