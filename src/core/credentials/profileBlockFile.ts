// Writes the InfraWatch block into the user's AWS config file, safely among several
// windows: under a lock file, the file is read again, changed in memory, written to a
// temporary file beside it with the same mode and renamed over it, so a reader sees the old
// or the new file, never half of one. A link (a dotfiles repo) is followed, not replaced.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InfraWatchError } from '../errors';
import { isProcessAlive } from '../processAlive';
import { parseConfig, setProfiles, type ProfileEntry } from './profileBlock';

/** The file the AWS CLI and SDKs read profiles from: AWS_CONFIG_FILE, else ~/.aws/config. */
export function getAwsConfigPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const named = env.AWS_CONFIG_FILE?.trim();
  if (named) return named === '~' || named.startsWith('~/') ? join(home, named.slice(1)) : named;
  return join(home, '.aws', 'config');
}

async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw error;
  }
}

async function readText(path: string): Promise<{ text: string; mode: number }> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, mode: info.mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', mode: 0o600 };
    throw error;
  }
}

const staleLockMs = 30_000;

/** Takes `${path}.infrawatch.lock` (holding our pid); a dead or long-gone holder's lock is taken over. */
async function lock(path: string, timeoutMs: number): Promise<() => Promise<void>> {
  const lockPath = `${path}.infrawatch.lock`;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]).catch(() => undefined);
    const pid = Number(holder?.[0]);
    const stale =
      holder !== undefined &&
      ((Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid)) ||
        Date.now() - holder[1].mtimeMs > staleLockMs);
    if (stale) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new InfraWatchError(
        'Validation',
        `InfraWatch could not change ${path}: ${lockPath} is held by process ${holder?.[0] ?? '?'}. Try again, or delete that file if no InfraWatch window is writing.`,
      );
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export interface UpdateOptions {
  path: string;
  launcher: string;
  /** From the profiles in the block now to the ones it should hold. */
  change(entries: ProfileEntry[]): ProfileEntry[];
  lockTimeoutMs?: number;
  platform?: NodeJS.Platform;
}

/** Changes the block; returns the profiles it holds after. Nothing is written when nothing changes. */
export async function updateProfileBlock(options: UpdateOptions): Promise<ProfileEntry[]> {
  const target = await resolveTarget(options.path);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const unlock = await lock(target, options.lockTimeoutMs ?? 10_000);
  try {
    const { text, mode } = await readText(target);
    const entries = options.change(parseConfig(options.path, text).entries);
    const next = setProfiles(options.path, text, entries, options.launcher, options.platform);
    if (next !== text) {
      const temp = `${target}.infrawatch-${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temp, next, { encoding: 'utf8', mode, flag: 'wx' });
        await rename(temp, target);
      } finally {
        await rm(temp, { force: true });
      }
    }
    return entries;
  } finally {
    await unlock();
  }
}

/** The profiles the block holds now (none when there is no file). */
export async function readProfileBlock(path: string): Promise<ProfileEntry[]> {
  const { text } = await readText(await resolveTarget(path));
  return parseConfig(path, text).entries;
}
