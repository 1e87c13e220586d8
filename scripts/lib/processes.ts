// Child processes, ports, temp dirs and waits shared by the test runners and the demo.
// Everything started here is torn down on exit, Ctrl-C or SIGTERM, so no run leaves a
// code-server or Chromium behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Cleanup = () => void;
const cleanups = new Set<Cleanup>();
/** Process groups we started, with how long each may take to stop after SIGTERM. */
const groups = new Map<number, number>();
let handlersInstalled = false;
let stopping = false;

function runCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort at exit: one failed cleanup must not keep the others from running.
    }
  }
}

/**
 * On a signal, first ask every group to stop and wait for them without blocking the
 * event loop (tsx SIGKILLs a child that does not acknowledge a relayed signal within
 * 30 ms), then exit; the 'exit' handler finishes synchronously (stragglers, temp dirs).
 */
async function stopOnSignal(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const pid of groups.keys()) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + Math.max(0, ...groups.values());
  while ([...groups.keys()].some(isGroupAlive) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  process.exit(code);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', runCleanups);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    // `on`, not `once`: a second Ctrl-C must not fall through to Node's default exit.
    process.on(signal, () => void stopOnSignal(code));
  }
}

/** Runs `cleanup` (synchronously) at process exit or on a signal; returns an unregister. */
export function registerCleanup(cleanup: Cleanup): () => void {
  installHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Stops a detached child's process group at exit or on a signal; returns an unregister. */
export function registerProcessGroup(pid: number, graceMs = 3000): () => void {
  groups.set(pid, graceMs);
  const unregister = registerCleanup(() => killProcessGroup(pid, graceMs));
  return () => {
    groups.delete(pid);
    unregister();
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Whether any process of the group still runs. kill(-pid, 0) also finds zombies: the leader
 * is our child, and while killProcessGroup blocks the event loop Node cannot reap it, so
 * on Linux the group's members are read from /proc and zombies do not count.
 */
export function isGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch {
    return false;
  }
  return liveGroupMember(pid) ?? true;
}

/** Whether /proc lists a non-zombie process in group `pgid`; undefined without /proc. */
function liveGroupMember(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  return entries.some((entry) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      return false; // ended while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(pgrp) === pgid && state !== 'Z';
  });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Stops a detached child's whole process group: SIGTERM, then SIGKILL if it is still
 * there after `graceMs`. Synchronous so it also works inside an 'exit' handler.
 */
export function killProcessGroup(pid: number, graceMs = 3000): void {
  if (!isGroupAlive(pid)) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isGroupAlive(pid) && Date.now() < deadline) sleepSync(50);
  if (isGroupAlive(pid)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone between the check and the kill.
    }
  }
}

export interface DetachedProcess {
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  stop(): void;
}

/** Starts a process in its own process group, output appended to `logFile`. */
export function startDetached(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): DetachedProcess {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${command}: see ${options.logFile}`);
  const pid = child.pid;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => resolve(err.message));
  });
  const unregister = registerProcessGroup(pid);
  return {
    child,
    pid,
    logFile: options.logFile,
    exited,
    stop: () => {
      unregister();
      killProcessGroup(pid);
    },
  };
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first free port from `preferred` upwards (a few tries), for human-facing URLs. */
export async function getPortFrom(preferred: number, tries = 20): Promise<number> {
  for (let port = preferred; port < preferred + tries; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new Error(`ports ${preferred}-${preferred + tries - 1} are all in use: pass another --port`);
}

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Extra detail for the timeout error, e.g. the tail of a log. */
  detail?: () => string;
}

/** Polls `probe` until it returns a value other than undefined/false, or times out. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  const detail = options.detail ? `\n${options.detail()}` : '';
  throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${cause}${detail}`);
}

/**
 * A fresh, short temp folder (unix socket paths must stay under 107 bytes), removed at
 * exit unless `keep` is set.
 */
export function makeTempBase(keep = false): string {
  const root = existsSync('/tmp') ? '/tmp' : tmpdir();
  const dir = mkdtempSync(join(root, `iw-${process.pid}-`));
  if (!keep) registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function tailFile(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `--- last ${lines} lines of ${file} ---\n${text}`;
}
