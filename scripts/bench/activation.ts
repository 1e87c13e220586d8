// Times our own activation: loading the minified bundle (in fresh processes, as the
// extension host does once per window) and the activate() call itself.
import { execFileSync } from 'node:child_process';
import Module from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFakeContext, createFakeVscode } from './fakeVscode';

const bundle = join(__dirname, '..', '..', 'dist', 'extension.js');

type Loader = { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

/** Loads the bundle with the fake vscode module and returns [load ms, activate ms]. */
export function measureOnce(): [number, number] {
  const loader = Module as unknown as Loader;
  const original = loader._load;
  const fake = createFakeVscode();
  loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : original(request, parent, isMain));
  try {
    delete require.cache[require.resolve(bundle)];
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- timing the CommonJS load is the point
    const ext = require(bundle) as { activate(context: unknown): unknown };
    const t1 = performance.now();
    ext.activate(createFakeContext());
    const t2 = performance.now();
    return [t1 - t0, t2 - t1];
  } finally {
    loader._load = original;
  }
}

/** Cold samples, each in a new Node process (module caches empty, as in a new window). */
export function measureCold(samples: number): { load: number[]; activate: number[] } {
  const load: number[] = [];
  const activate: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', `const m=require(${JSON.stringify(__filename)});console.log(JSON.stringify(m.measureOnce()))`], { encoding: 'utf8' });
    const [l, a] = JSON.parse(out.trim().split('\n').pop()!) as [number, number];
    load.push(l);
    activate.push(a);
  }
  return { load, activate };
}
