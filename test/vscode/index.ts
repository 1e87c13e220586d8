// Mocha inside code-server's extension host. The workbench `require`s this module (the
// `extensionTestsPath` of the payload URL) and awaits run(); scripts/testVscode.ts
// reads the JSON results this writes, since the host's console reaches only the page.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type MochaType from 'mocha';

export interface InHostTestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: { message: string; stack?: string };
}

export interface InHostResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: InHostTestResult[];
}

function loadMocha(): typeof MochaType {
  // mocha 12 is ESM-only; Node 20.19+ can require() it, exposing the class as `default`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('mocha') as typeof MochaType & { default?: typeof MochaType };
  return loaded.default ?? loaded;
}

function describeError(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

function collectResults(runner: MochaType.Runner, Mocha: typeof MochaType, results: InHostResults): void {
  const started = Date.now();
  const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
  const add = (test: MochaType.Runnable, state: InHostTestResult['state'], err?: unknown) => {
    results[state] += 1;
    results.tests.push({
      title: test.title,
      fullTitle: test.fullTitle(),
      state,
      durationMs: test.duration ?? 0,
      ...(err === undefined ? {} : { error: describeError(err) }),
    });
  };
  runner.on(EVENT_TEST_PASS, (test) => add(test, 'passed'));
  // Also fires for failing hooks, whose tests then never run: count the hook as a failure.
  runner.on(EVENT_TEST_FAIL, (test, err) => add(test, 'failed', err));
  runner.on(EVENT_TEST_PENDING, (test) => add(test, 'pending'));
  runner.once(EVENT_RUN_END, () => (results.durationMs = Date.now() - started));
}

/** The spec reporter (for the page console) plus result collection. */
function createReporter(Mocha: typeof MochaType, results: InHostResults) {
  return class CollectingSpecReporter extends Mocha.reporters.Spec {
    constructor(runner: MochaType.Runner, options?: MochaType.MochaOptions) {
      super(runner, options);
      collectResults(runner, Mocha, results);
    }
  };
}

function writeResults(results: InHostResults): void {
  const file = process.env.INFRAWATCH_TEST_RESULTS;
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
}

function runMocha(mocha: MochaType): Promise<number> {
  return new Promise((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err); // a test file that throws while loading
    }
  });
}

export async function run(): Promise<void> {
  const Mocha = loadMocha();
  // The host's console.log reaches the page unformatted ("%s" stays) and cannot be
  // replaced, so the reporter gets pre-formatted strings.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const results: InHostResults = { passed: 0, failed: 0, pending: 0, durationMs: 0, tests: [] };
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  mocha.reporter(createReporter(Mocha, results));
  // Smoke first: when the extension does not even load, that is the failure to read.
  // INFRAWATCH_INHOST_ONLY=renew,smoke runs only the files whose names start so (while working on them).
  const only = (process.env.INFRAWATCH_INHOST_ONLY ?? '').split(',').filter(Boolean);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js') && (only.length === 0 || only.some((o) => f.startsWith(o))))
    .sort((a, b) => Number(b.startsWith('smoke')) - Number(a.startsWith('smoke')) || a.localeCompare(b));
  if (files.length === 0) throw new Error(`no *.test.js files next to ${__filename}`);
  for (const file of files) mocha.addFile(join(__dirname, file));
  try {
    const failures = await runMocha(mocha);
    if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
  } catch (err) {
    if (results.failed === 0) {
      results.failed = 1;
      results.tests.push({
        title: 'load',
        fullTitle: 'loading the in-host test files',
        state: 'failed',
        durationMs: 0,
        error: describeError(err),
      });
    }
    throw err;
  } finally {
    writeResults(results);
  }
}
