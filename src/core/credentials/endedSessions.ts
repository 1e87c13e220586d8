// Tombstones: sessions that ended (revoked, replaced) before their credentials expire, one
// small non-secret file each (`<id>`: expiration and reason) in a folder every window of
// this user-data dir shares. A window that missed the socket message still sees the file
// (fs.watch, and a 1 s poll where watching is unreliable); restore skips them and a save
// never writes them back. One file per id rather than one appended file: pruning is an
// unlink of a file past its expiration, so it cannot race another window's append and
// lose a tombstone.
import { randomBytes } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLog, type Clock, type Disposable, type Log } from '../ports';
import { Emitter, type Event } from './emitter';
import { type EndedEntry, endedEntrySchema, sessionIdPattern } from './sessionSchema';
import { systemTimers, type TimerFunctions } from './timers';

export interface EndedSessionsOptions {
  dir: string;
  clock: Clock;
  log?: Log;
  timers?: TimerFunctions;
  /** Poll period behind fs.watch; default 1 s. */
  pollMs?: number;
}

// Kept this long past expiry: a window whose expiry timer fires late still finds the
// "expired" entry another window claimed, and does not audit the expiry a second time.
const keepAfterExpiryMs = 60 * 60_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class EndedSessions implements Disposable {
  private readonly known = new Map<string, EndedEntry>();
  /** Names already reported unreadable: the poll must not repeat the warning every second. */
  private readonly unreadable = new Set<string>();
  private readonly log: Log;
  private readonly timers: TimerFunctions;
  private readonly addedEmitter: Emitter<EndedEntry>;
  private watcher: FSWatcher | undefined;
  private poll: unknown;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private disposed = false;

  /** An entry another window wrote (or this one learnt of), seen for the first time. */
  readonly onDidAdd: Event<EndedEntry>;

  constructor(private readonly options: EndedSessionsOptions) {
    this.log = options.log ?? silentLog;
    this.timers = options.timers ?? systemTimers;
    this.addedEmitter = new Emitter<EndedEntry>((error) =>
      this.log.error(`Ended-session listener failed: ${message(error)}`),
    );
    this.onDidAdd = this.addedEmitter.event;
  }

  has(id: string): boolean {
    return this.known.has(id);
  }

  list(): EndedEntry[] {
    return [...this.known.values()];
  }

  /** Remembers an entry another window announced (it wrote the file); fires onDidAdd once. */
  note(entry: EndedEntry): boolean {
    if (this.known.has(entry.id) || entry.expiration <= this.options.clock.now()) return false;
    this.known.set(entry.id, entry);
    this.addedEmitter.fire(entry);
    return true;
  }

  /**
   * Writes the tombstone before anyone is told: complete (written aside, then linked, so a
   * reader never sees half a file) and exclusive: true only for the one window that created
   * it, which is how several windows seeing one expiry agree on who audits it.
   */
  async add(entry: EndedEntry): Promise<boolean> {
    const parsed = endedEntrySchema.parse(entry);
    if (parsed.expiration > this.options.clock.now()) this.known.set(parsed.id, parsed);
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.options.dir, `.${parsed.id}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temp, JSON.stringify({ expiration: parsed.expiration, reason: parsed.reason }), { mode: 0o600 });
    try {
      await link(temp, join(this.options.dir, parsed.id));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Reads the folder once, then follows it until disposed. */
  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    await this.scan();
    if (this.disposed) return;
    try {
      this.watcher = watch(this.options.dir, () => void this.scan());
      this.watcher.on('error', (error) =>
        this.log.warn(`Watching ended sessions failed (polling instead): ${error.message}`),
      );
    } catch (error) {
      this.log.warn(`Watching ended sessions failed (polling instead): ${message(error)}`);
    }
    this.poll = this.timers.setInterval(() => void this.scan(), this.options.pollMs ?? 1_000);
  }

  /** New files become known (onDidAdd); files past their expiration are removed. */
  scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = this.read().finally(() => {
      this.scanning = undefined;
      if (this.rescan && !this.disposed) {
        this.rescan = false;
        void this.scan();
      }
    });
    return this.scanning;
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    this.timers.clearInterval(this.poll);
    this.addedEmitter.dispose();
  }

  private async read(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.options.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.log.warn(`Reading ended sessions failed: ${message(error)}`);
      return;
    }
    const now = this.options.clock.now();
    for (const name of names) {
      if (!sessionIdPattern.test(name)) continue;
      const held = this.known.get(name);
      if (held !== undefined && held.expiration > now) continue;
      if (held === undefined && this.unreadable.has(name)) continue;
      const entry = held ?? (await this.readEntry(name));
      if (entry === undefined) continue;
      if (entry.expiration + keepAfterExpiryMs <= now) {
        this.known.delete(name);
        await unlink(join(this.options.dir, name)).catch(() => undefined);
      } else if (entry.expiration > now) {
        this.note(entry);
      } else {
        this.known.delete(name);
      }
    }
  }

  private async readEntry(id: string): Promise<EndedEntry | undefined> {
    try {
      const raw = JSON.parse(await readFile(join(this.options.dir, id), 'utf8')) as object;
      const parsed = endedEntrySchema.safeParse({ ...raw, id });
      if (parsed.success) return parsed.data;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    }
    if (!this.unreadable.has(id)) this.log.warn(`Ended-session entry ${id} could not be read; it is ignored.`);
    this.unreadable.add(id);
    return undefined;
  }
}
