// Times our own activation: loading the minified bundle (in fresh processes, as the
// extension host does once per window) and the activate() call itself.
import { execFileSync } from 'node:child_process';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import { createFakeContext, createFakeVscode } from './fakeVscode';

const root = join(__dirname, '..', '..');
const bundle = join(root, 'dist', 'extension.js');
const awsBundle = join(root, 'dist', 'aws.js');

type Loader = { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

export interface Activation {
  loadMs: number;
  activateMs: number;
  /** The files next to the bundle that were loaded by the require and activate() (e.g. aws.js). */
  loadedBeside: string[];
}

/** The files next to a bundle that this process has loaded (e.g. aws.js beside extension.js). */
export function getLoadedBeside(path: string): string[] {
  return Object.keys(require.cache).filter((file) => dirname(file) === dirname(path) && file !== path);
}

/** Loads a bundle with the fake vscode module and calls activate(). */
export function loadAndActivate(path = bundle): Activation {
  const loader = Module as unknown as Loader;
  const original = loader._load;
  const fake = createFakeVscode();
  loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : original(request, parent, isMain));
  try {
    delete require.cache[require.resolve(path)];
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- timing the CommonJS load is the point
    const ext = require(path) as { activate(context: unknown): unknown };
    const t1 = performance.now();
    ext.activate(createFakeContext());
    const t2 = performance.now();
    return { loadMs: t1 - t0, activateMs: t2 - t1, loadedBeside: getLoadedBeside(path) };
  } finally {
    loader._load = original;
  }
}

/** [load ms, activate ms, ms to then load the AWS part (dist/aws.js) as the first AWS call does] of the dist bundles. */
export function measureOnce(path = bundle, aws = awsBundle): [number, number, number] {
  const { loadMs, activateMs } = loadAndActivate(path);
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as loadAwsSdk() does in the bundle
  require(aws);
  return [loadMs, activateMs, performance.now() - t0];
}

/**
 * This file as plain JavaScript, for the timed processes: under tsx every require() would
 * also go through tsx's resolve hooks, which the extension host does not have.
 */
function buildPlainCopy(): string {
  const out = join(root, 'node_modules', '.cache', 'infrawatch-bench', 'activation.js');
  buildSync({
    entryPoints: [__filename],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    external: ['esbuild'],
    logLevel: 'error',
  });
  return out;
}

/**
 * Cold samples, each in a new Node process (module caches empty, as in a new window). The
 * process exits once timed: what activate() started (file watchers) would keep it alive.
 */
export function measureCold(samples: number): { load: number[]; activate: number[]; awsLoad: number[] } {
  const load: number[] = [];
  const activate: number[] = [];
  const awsLoad: number[] = [];
  const plain = buildPlainCopy();
  const call = `m.measureOnce(${JSON.stringify(bundle)},${JSON.stringify(awsBundle)})`;
  for (let i = 0; i < samples; i += 1) {
    const out = execFileSync(
      process.execPath,
      ['-e', `const m=require(${JSON.stringify(plain)});console.log(JSON.stringify(${call}));process.exit(0)`],
      { encoding: 'utf8' },
    );
    const [l, a, aws] = JSON.parse(out.trim().split('\n').pop()!) as [number, number, number];
    load.push(l);
    activate.push(a);
    awsLoad.push(aws);
  }
  return { load, activate, awsLoad };
}
