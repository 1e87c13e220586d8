// A cap on the credential endpoint's open connections that never turns away a new one.
// Slow or idle sockets (slowloris) would otherwise pile up until file descriptors run out
// and the audit trail fails with EMFILE. At the cap, a new connection closes an old one:
// first the keep-alive socket idle longest (its client simply reconnects), else the
// socket that has waited longest without completing a request. A real AWS client sends
// its whole request as soon as it connects, so it is never the oldest unfinished one.
import { type Socket } from 'node:net';

export class ConnectionCap {
  /** Connected, no request completed yet; oldest first. */
  private readonly waiting = new Set<Socket>();
  /** Answered at least once; least recently answered first. */
  private readonly idle = new Set<Socket>();

  constructor(
    private readonly cap: number,
    /** A socket closed before it completed a request, and whether it was closed for room. */
    private readonly onUnanswered: (evicted: boolean) => void,
  ) {}

  get size(): number {
    return this.waiting.size + this.idle.size;
  }

  admit(socket: Socket): void {
    if (this.size >= this.cap) this.evictOne();
    this.waiting.add(socket);
    socket.once('close', () => {
      if (this.waiting.delete(socket)) this.onUnanswered(false);
      this.idle.delete(socket);
    });
  }

  /** A request on this socket was answered: it moves to the back of the idle queue. */
  answered(socket: Socket): void {
    this.waiting.delete(socket);
    this.idle.delete(socket);
    this.idle.add(socket);
  }

  private evictOne(): void {
    const idle = first(this.idle);
    if (idle !== undefined) {
      this.idle.delete(idle);
      idle.destroy();
      return;
    }
    const waiting = first(this.waiting);
    if (waiting === undefined) return;
    this.waiting.delete(waiting);
    this.onUnanswered(true);
    waiting.destroy();
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const item of set) return item;
  return undefined;
}
