// The static tier of `npm test`: the type-checks and the lint (which keeps `vscode` out
// of src/core, src/shared and webview). Each check counts as one test.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from './lib/paths';

const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);

const checks: { title: string; command: string; args: string[]; when?: () => boolean }[] = [
  { title: 'type-check: extension, core and tests', command: bin('tsc'), args: ['-p', 'tsconfig.json'] },
  { title: 'type-check: webviews', command: bin('tsc'), args: ['-p', 'tsconfig.webview.json'], when: () => existsSync(join(repoRoot, 'webview')) },
  { title: 'lint (eslint)', command: bin('eslint'), args: ['.'] },
  { title: 'command ids only in src/vscode/commandIds.ts', command: bin('tsx'), args: [join('scripts', 'checkCommandIds.ts')] },
  { title: 'no reference to documents outside the repository', command: bin('tsx'), args: [join('scripts', 'checkOutsideDocs.ts')] },
];

const started = performance.now();
let passed = 0;
let failed = 0;
for (const check of checks) {
  if (check.when && !check.when()) continue;
  const run = spawnSync(check.command, check.args, { cwd: repoRoot, encoding: 'utf8' });
  if (run.status === 0) {
    passed += 1;
    console.log(`  ✔ ${check.title}`);
  } else {
    failed += 1;
    console.log(`  ✘ ${check.title}\n${(run.stdout + run.stderr).trim().split('\n').map((l) => `      ${l}`).join('\n')}`);
  }
}
console.log(`\n  static: ${passed} passed, ${failed} failed`);
const countsFile = process.env.INFRAWATCH_TIER_COUNTS;
if (countsFile) writeFileSync(countsFile, JSON.stringify({ passed, failed, pending: 0, durationMs: performance.now() - started }));
process.exitCode = failed > 0 ? 1 : 0;
