// A cross-process lock around each append: every VS Code window runs its own extension
// host, and all of them write the same trail in global storage. Without the lock two
// windows would both continue from the same head and fork the chain.
//
// Why not "create audit.lock, delete it when stale" (or proper-lockfile, which does the
// same with a directory): two contenders can both judge a crashed writer's lock stale,
// one deletes it and takes a fresh lock, and the other then deletes that fresh lock and
// takes its own. Deleting is not conditional, so a stale lock must never be deleted.
//
// Instead the lock is a sequence of states in `<path>.d/`: files named 1, 2, 3, … The
// state in force is the highest number. A held state names its holder (pid, host) and is
// written in full before it gets its name (link(2) of a finished temporary file, which
// fails if the name exists); a free state is an empty file, created exclusively. Taking
// the lock = having seen state n free (or held by a dead process, or not refreshed for
// staleMs) and creating n+1 as held by us; releasing = creating n+1 of ours as free.
// Files are never changed after they are named. An empty free state needs no disk blocks,
// so a full disk cannot stop a holder from releasing.
//
// Why only one contender can win: both saw the same state n and both try to create n+1;
// exactly one creation succeeds. Older numbers are deleted to keep the folder small, but
// never the highest, so a contender that was slow enough to try a number that was already
// used and deleted finds a higher number right after creating its own, and backs off.
// A holder refreshes its file's mtime, so only a holder stopped for staleMs loses the lock.
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InfraWatchError } from '../errors';
import { isProcessAlive } from '../processAlive';

export interface LockOptions {
  /** Give up after this long; default 5 s. */
  timeoutMs?: number;
  /** A held state not refreshed for this long is a stopped writer's; default 10 s. */
  staleMs?: number;
}

interface LockState {
  state: 'held' | 'free';
  pid: number;
  host: string;
  /** Tells this process's own live holds from leftovers of the same pid. */
  token: string;
}

interface Top {
  n: number;
  state: LockState | undefined;
  mtimeMs: number;
}

const host = hostname();
/** Tokens of the locks this process holds right now. */
const heldHere = new Set<string>();
const numbered = /^\d+$/;

async function listNumbers(dir: string): Promise<number[]> {
  return (await readdir(dir))
    .filter((name) => numbered.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

function parseState(text: string): LockState | undefined {
  if (text === '') return { state: 'free', pid: 0, host: '', token: '' };
  try {
    const value = JSON.parse(text) as Partial<LockState>;
    if (
      value.state === 'held' &&
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.token === 'string'
    )
      return value as LockState;
  } catch {
    // Not ours or damaged: treated as held until it is stale.
  }
  return undefined;
}

/** The state in force; undefined when no state exists yet. */
async function readTop(dir: string): Promise<Top | undefined> {
  for (;;) {
    const n = (await listNumbers(dir)).at(-1);
    if (n === undefined) return undefined;
    try {
      const path = join(dir, String(n));
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      return { n, state: parseState(text), mtimeMs: info.mtimeMs };
    } catch (error) {
      // Deleted meanwhile: a higher number exists now.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function isFree(top: Top | undefined, staleMs: number): boolean {
  if (top === undefined) return true;
  const state = top.state;
  if (state?.state === 'free') return true;
  if (state !== undefined && state.host === host) {
    if (state.pid === process.pid) return !heldHere.has(state.token);
    if (!isProcessAlive(state.pid)) return true;
  }
  return Date.now() - top.mtimeMs > staleMs;
}

/** Names a finished held state `n`; false when `n` exists already. */
async function createHeld(dir: string, n: number, state: LockState): Promise<boolean> {
  const temporary = join(dir, `tmp-${process.pid}-${randomUUID()}`);
  await writeFile(temporary, JSON.stringify(state), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, join(dir, String(n)));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Creates the empty free state `n`; false when `n` exists already. */
async function createFree(dir: string, n: number): Promise<boolean> {
  try {
    await (await open(join(dir, String(n)), 'wx', 0o600)).close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Deletes states below `n` and temporary files a crash left behind. */
async function collect(dir: string, n: number): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    if (
      numbered.test(name)
        ? Number(name) < n
        : name.startsWith('tmp-') &&
          Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs > 60_000
    ) {
      await unlink(path).catch(() => undefined);
    }
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the lock named `path` (a folder `<path>.d` beside it); returns the release function. */
export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const dir = `${path}.d`;
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  const staleMs = options.staleMs ?? 10_000;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt += 1) {
    const top = await readTop(dir);
    if (isFree(top, staleMs)) {
      const n = (top?.n ?? 0) + 1;
      const token = randomUUID();
      // Marked live before it exists, so another writer in this process never takes it for a leftover.
      heldHere.add(token);
      const created = await createHeld(dir, n, { state: 'held', pid: process.pid, host, token }).catch(
        (error: unknown) => {
          heldHere.delete(token);
          throw error;
        },
      );
      if (created && !(await listNumbers(dir)).some((other) => other > n)) {
        await collect(dir, n);
        return hold(dir, n, token, staleMs);
      }
      heldHere.delete(token);
      // n was used and deleted long ago: the state in force is higher.
      if (created) await unlink(join(dir, String(n))).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline)
      throw new InfraWatchError(
        'Unknown',
        `Writing the audit trail failed: another window holds ${path} (process ${top?.state?.pid ?? 'unknown'})`,
      );
    await delay(Math.min(50, 2 + attempt));
  }
}

function hold(dir: string, n: number, token: string, staleMs: number): () => Promise<void> {
  const file = join(dir, String(n));
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      void utimes(file, now, now).catch(() => undefined);
    },
    Math.max(100, staleMs / 3),
  );
  heartbeat.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    heldHere.delete(token);
    // Fails (false) only if another process judged this hold stale and moved on: nothing to undo.
    if (await createFree(dir, n + 1).catch(() => false)) await unlink(file).catch(() => undefined);
  };
}
