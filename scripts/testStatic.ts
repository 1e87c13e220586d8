// The static tier of `npm test`: the type-checks, the lint (which keeps `vscode` out of
// src/core, src/shared and webview), Prettier's formatting, the repository rules (command
// ids, outside documents, import cycles) and the rule that the AWS SDK is reached only
// through the client factory and its lazily loaded bundle. Each check counts as one test.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findAwsImportHits } from './lib/awsImportCheck';
import { findImportCycles, getImportGraph } from './lib/importCycles';
import { repoRoot } from './lib/paths';

const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);

const checks: { title: string; command: string; args: string[]; when?: () => boolean }[] = [
  { title: 'type-check: extension, core and tests', command: bin('tsc'), args: ['-p', 'tsconfig.json'] },
  {
    title: 'type-check: webviews',
    command: bin('tsc'),
    args: ['-p', 'tsconfig.webview.json'],
    when: () => existsSync(join(repoRoot, 'webview')),
  },
  { title: 'lint (eslint)', command: bin('eslint'), args: ['.'] },
  { title: 'formatted (prettier --check)', command: bin('prettier'), args: ['--check', '.'] },
  {
    title: 'command ids only in src/vscode/commandIds.ts',
    command: bin('tsx'),
    args: [join('scripts', 'checkCommandIds.ts')],
  },
  {
    title: 'no reference to documents outside the repository',
    command: bin('tsx'),
    args: [join('scripts', 'checkOutsideDocs.ts')],
  },
];

/** No module may reach itself through its imports: each cycle is named, one per line. */
function checkImportCycles(): { ok: boolean; output: string } {
  const cycles = findImportCycles(getImportGraph([join(repoRoot, 'src'), join(repoRoot, 'webview')]), repoRoot);
  return { ok: cycles.length === 0, output: cycles.map((cycle) => `import cycle: ${cycle}`).join('\n') };
}

/** AWS SDK values come only through the factory and the lazily loaded bundle. */
function checkAwsImports(): { ok: boolean; output: string } {
  const hits = findAwsImportHits(repoRoot);
  return { ok: hits.length === 0, output: hits.join('\n') };
}

function runCommand(check: (typeof checks)[number]): { ok: boolean; output: string } {
  const run = spawnSync(check.command, check.args, { cwd: repoRoot, encoding: 'utf8' });
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}

const started = performance.now();
let passed = 0;
let failed = 0;
const runs = [
  ...checks
    .filter((check) => !check.when || check.when())
    .map((check) => ({ title: check.title, run: () => runCommand(check) })),
  { title: 'no import cycle in src/ or webview/', run: checkImportCycles },
  {
    title: 'AWS SDK values and clients only from the factory (src/core/awsClients.ts, src/core/awsSdk.ts)',
    run: checkAwsImports,
  },
];
for (const { title, run } of runs) {
  const { ok, output } = run();
  if (ok) {
    passed += 1;
    console.log(`  ✔ ${title}`);
  } else {
    failed += 1;
    console.log(
      `  ✘ ${title}\n${output
        .trim()
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}`,
    );
  }
}
console.log(`\n  static: ${passed} passed, ${failed} failed`);
const countsFile = process.env.INFRAWATCH_TIER_COUNTS;
if (countsFile)
  writeFileSync(countsFile, JSON.stringify({ passed, failed, pending: 0, durationMs: performance.now() - started }));
process.exitCode = failed > 0 ? 1 : 0;
