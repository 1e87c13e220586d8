// Runs one test tier as a child process with its output visible, and reads its counts
// from the JSON file the tier writes ($INFRAWATCH_TIER_COUNTS), never from its prose.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { killProcessGroup, makeTempBase, registerProcessGroup } from './processes';

export interface TierCounts {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
}

export interface TierResult extends TierCounts {
  name: string;
  /** Set when the tier did not finish normally: it crashed, timed out or ran nothing. */
  crash?: string;
}

export interface TierCommand {
  name: string;
  args: string[];
  timeoutMs: number;
  /** Extra environment for the tier (e.g. which VS Code it runs on). */
  env?: Record<string, string>;
  /** Its output goes here instead of the console (a tier run beside another). */
  logFile?: string;
}

const mochaBin = join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
const reporter = './scripts/lib/countingReporter.ts';

/** A mocha tier in plain Node via tsx, with the counting spec reporter; `spec`: a glob or files in the order to run. */
export function mochaTier(name: string, spec: string | string[], timeoutMs: number, extra: string[] = []): TierCommand {
  return { name, timeoutMs, args: [mochaBin, '--import=tsx', '--reporter', reporter, ...extra, ...[spec].flat()] };
}

/** A TypeScript script run with tsx that writes its own counts file. */
export function scriptTier(name: string, script: string, timeoutMs: number, extra: string[] = []): TierCommand {
  return { name, timeoutMs, args: ['--import=tsx', script, ...extra] };
}

function readCounts(file: string): TierCounts | undefined {
  if (!existsSync(file)) return undefined;
  const counts = JSON.parse(readFileSync(file, 'utf8')) as Partial<TierCounts>;
  if (typeof counts.passed !== 'number' || typeof counts.failed !== 'number') return undefined;
  return {
    passed: counts.passed,
    failed: counts.failed,
    pending: counts.pending ?? 0,
    durationMs: counts.durationMs ?? 0,
  };
}

function spawnTier(command: TierCommand, countsFile: string): Promise<{ exit: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout can stop the tier and everything it started.
    const out = command.logFile === undefined ? 'inherit' : openSync(command.logFile, 'w');
    const child = spawn(process.execPath, command.args, {
      cwd: repoRoot,
      stdio: ['ignore', out, out],
      detached: true,
      env: {
        ...process.env,
        // The SDK's notice that its releases after January 2027 need Node 22: the floor
        // decision (README, "Supported VS Code versions") answers it; not repeated per run.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...command.env,
        INFRAWATCH_TIER_COUNTS: countsFile,
      },
    });
    if (typeof out === 'number') closeSync(out);
    const pid = child.pid!;
    const unregister = registerProcessGroup(pid, 10_000);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killProcessGroup(pid, 10_000);
    }, command.timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      unregister();
      // Grandchildren a crashed tier left behind share its group.
      killProcessGroup(pid, 2_000);
      resolve({ exit: signal ? `signal ${signal}` : `exit code ${code}`, timedOut });
    });
  });
}

export async function runTier(command: TierCommand): Promise<TierResult> {
  const countsFile = join(makeTempBase(), 'counts.json');
  const started = Date.now();
  const { exit, timedOut } = await spawnTier(command, countsFile);
  const counts = readCounts(countsFile);
  rmSync(countsFile, { force: true });
  const durationMs = Date.now() - started;
  if (timedOut) {
    return {
      name: command.name,
      passed: counts?.passed ?? 0,
      failed: (counts?.failed ?? 0) + 1,
      pending: 0,
      durationMs,
      crash: `timed out after ${Math.round(command.timeoutMs / 1000)} s and was stopped`,
    };
  }
  if (!counts) {
    return {
      name: command.name,
      passed: 0,
      failed: 1,
      pending: 0,
      durationMs,
      crash: `crashed before reporting results (${exit})`,
    };
  }
  const result: TierResult = { name: command.name, ...counts, durationMs };
  if (exit !== 'exit code 0' && counts.failed === 0) {
    // Counted nothing wrong yet exited badly: an error outside any test.
    return { ...result, failed: 1, crash: `reported no failure but ended with ${exit}` };
  }
  if (counts.passed + counts.failed === 0) {
    return { ...result, failed: 1, crash: 'ran no tests' };
  }
  return result;
}
