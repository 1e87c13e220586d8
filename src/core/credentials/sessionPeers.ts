// The windows of one user on one machine, talking directly: each listens on a unix socket
// in a per-user folder (0700, checked before use) and tells every other socket about a
// grant, renew or revoke. No broker process: each window keeps serving its own terminals
// when another window closes. Messages are newline-delimited JSON, validated on arrival.
// Sessions (with their secrets) travel only over these same-user sockets, never to disk.
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, unlink, chmod } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfraWatchError } from '../errors';
import { silentLog, type Disposable, type Log } from '../ports';
import { isProcessAlive } from '../processAlive';
import { type PeerMessage, peerMessageSchema, type PeerState } from './sessionSchema';

export interface PeerHandlers {
  /** This window's live sessions and the ended ids it knows: the answer to `hello`. */
  getState(): PeerState;
  onMessage(message: Exclude<PeerMessage, { type: 'hello' } | { type: 'state' }>): void;
}

export interface SessionPeersOptions {
  dir: string;
  handlers: PeerHandlers;
  log?: Log;
  /** How long one peer may take to connect and answer; default 1 s. */
  timeoutMs?: number;
}

// Unix socket paths are limited to 108 bytes on Linux (104 on macOS), the NUL included.
const maxSocketPath = 103;
// A state with every session of every service is a few tens of KiB; anything far larger is not ours.
const maxLineBytes = 4 * 1024 * 1024;

/** The folder for one VS Code user-data dir (its extension storage path) and one uid. */
export function getPeersDir(storagePath: string, uid = process.getuid?.() ?? 0, base = tmpdir()): string {
  const hash = createHash('sha256').update(`${uid}\0${storagePath}`).digest('hex').slice(0, 16);
  return join(base, `infrawatch-${hash}`);
}

/** Creates the folder 0700, then refuses unless it is a real folder of this uid with mode 0700. */
export async function preparePeersDir(dir: string): Promise<void> {
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const stat = await lstat(dir);
  const uid = process.getuid?.();
  const problem = !stat.isDirectory()
    ? 'it is not a folder (a link or a file)'
    : uid !== undefined && stat.uid !== uid
      ? `it belongs to uid ${stat.uid}, not ${uid}`
      : (stat.mode & 0o777) !== 0o700
        ? `its mode is ${(stat.mode & 0o777).toString(8)}, not 700`
        : undefined;
  if (problem)
    throw new InfraWatchError(
      'Validation',
      `Sharing sessions between windows is off: ${dir} is unsafe because ${problem}. Remove it; InfraWatch creates it again.`,
    );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Splits a stream into lines; gives up on a line longer than maxLineBytes. */
function readLines(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > maxLineBytes) {
      socket.destroy();
      return;
    }
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() !== '') onLine(line);
      newline = buffered.indexOf('\n');
    }
  });
}

function parse(line: string): PeerMessage | undefined {
  try {
    const parsed = peerMessageSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export class SessionPeers implements Disposable {
  readonly socketPath: string;
  private readonly log: Log;
  private readonly timeoutMs: number;
  private readonly server: Server;
  private closed = false;

  private constructor(
    private readonly options: SessionPeersOptions,
    socketPath: string,
  ) {
    this.log = options.log ?? silentLog;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.socketPath = socketPath;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Prepares the folder and listens; throws (say why) when the folder is unsafe or the path too long. */
  static async open(options: SessionPeersOptions): Promise<SessionPeers> {
    await preparePeersDir(options.dir);
    const socketPath = join(options.dir, `${process.pid}-${randomBytes(4).toString('hex')}.sock`);
    if (Buffer.byteLength(socketPath) > maxSocketPath) {
      throw new InfraWatchError(
        'Validation',
        `Sharing sessions between windows is off: the socket path ${socketPath} is longer than ${maxSocketPath} bytes (set a shorter TMPDIR)`,
      );
    }
    const peers = new SessionPeers(options, socketPath);
    await new Promise<void>((resolve, reject) => {
      peers.server.once('error', reject);
      peers.server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o600);
    return peers;
  }

  /** Every other window's state; a window that does not answer in time is left out. */
  async hello(): Promise<PeerState[]> {
    const states = await Promise.all((await this.others()).map((path) => this.exchange(path, { type: 'hello' }, true)));
    return states.filter((s): s is PeerState => s !== undefined && s.type === 'state');
  }

  /** Tells every other window; resolves once each has taken it or failed. */
  async publish(message: Exclude<PeerMessage, { type: 'hello' } | { type: 'state' }>): Promise<void> {
    await Promise.all((await this.others()).map((path) => this.exchange(path, message, false)));
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    void unlink(this.socketPath).catch(() => undefined);
  }

  private async others(): Promise<string[]> {
    if (this.closed) return [];
    const names = await readdir(this.options.dir).catch(() => [] as string[]);
    return names
      .filter((n) => /^\d+-[0-9a-f]+\.sock$/.test(n))
      .map((n) => join(this.options.dir, n))
      .filter((p) => p !== this.socketPath);
  }

  /** Sends one message; with `expectReply`, resolves with the first valid line back. */
  private exchange(path: string, message: PeerMessage, expectReply: boolean): Promise<PeerMessage | undefined> {
    return new Promise((resolve) => {
      const socket = connect(path);
      let settled = false;
      const finish = (value: PeerMessage | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.log.warn(`A window did not answer within ${this.timeoutMs} ms (${path}).`);
        finish(undefined);
      }, this.timeoutMs);
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') void this.removeIfDead(path);
        else this.log.warn(`Telling another window failed: ${error.message}`);
        finish(undefined);
      });
      socket.on('connect', () => {
        if (expectReply) socket.write(`${JSON.stringify(message)}\n`);
        else socket.end(`${JSON.stringify(message)}\n`, () => finish(undefined));
      });
      if (expectReply) readLines(socket, (line) => finish(parse(line)));
      socket.on('close', () => finish(undefined));
    });
  }

  /** A socket left by a window that crashed: remove it, unless its process still runs. */
  private async removeIfDead(path: string): Promise<void> {
    const pid = Number(/(\d+)-[0-9a-f]+\.sock$/.exec(path)?.[1]);
    if (!Number.isInteger(pid) || isProcessAlive(pid)) return;
    await unlink(path).catch(() => undefined);
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    socket.setTimeout(this.timeoutMs * 5, () => socket.destroy());
    readLines(socket, (line) => {
      const message = parse(line);
      if (message === undefined) {
        this.log.warn('A message from another window was not understood; it is ignored.');
        return;
      }
      try {
        if (message.type === 'hello') socket.end(`${JSON.stringify(this.options.handlers.getState())}\n`);
        else if (message.type !== 'state') this.options.handlers.onMessage(message);
      } catch (error) {
        this.log.error(`Handling a message from another window failed: ${errorMessage(error)}`);
      }
    });
  }
}
