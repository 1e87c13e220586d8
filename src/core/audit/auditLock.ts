// A cross-process lock around each append: every VS Code window runs its own extension
// host, and all of them write the same trail in global storage. Without the lock two
// windows would both continue from the same head and fork the chain.
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { InfraWatchError } from '../errors';
import { isProcessAlive } from '../processAlive';

export interface LockOptions {
  /** Give up after this long; default 5 s. */
  timeoutMs?: number;
  /** A lock file older than this is a crashed writer's; default 10 s. */
  staleMs?: number;
}

async function isStale(path: string, staleMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const pid = Number(text.trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid)) return true;
    return Date.now() - info.mtimeMs > staleMs;
  } catch {
    // Gone (released meanwhile) or unreadable mid-write: try again.
    return false;
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates `path` exclusively; returns the release function. */
export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  const staleMs = options.staleMs ?? 10_000;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(path, staleMs)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) throw new InfraWatchError('Unknown', `Writing the audit trail failed: another window holds ${path}; delete it if no VS Code window is running`);
    await delay(Math.min(50, 2 + attempt));
  }
}
