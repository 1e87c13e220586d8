// `npm test`: every tier in order (static, unit, integration, in-host, e2e), each visible as it
// runs, then a per-tier table and, as the very last line, "N passed, N failed".
// `--tier unit,integration` runs a subset.
import { join } from 'node:path';
import { findFiles } from './lib/build';
import { repoRoot } from './lib/paths';
import { mochaTier, runTier, scriptTier, type TierCommand, type TierResult } from './lib/tierRunner';

const minutes = 60_000;

interface Tier {
  command: TierCommand;
  /** Where its tests live and what they are called, to say "no tests" plainly. */
  dir: string;
  suffix: string;
}

const tiers: Record<string, Tier> = {
  static: {
    command: scriptTier('static', 'scripts/testStatic.ts', 5 * minutes),
    dir: 'src', suffix: '.ts',
  },
  unit: {
    command: mochaTier('unit', 'test/unit/**/*.test.ts', 5 * minutes),
    dir: 'test/unit', suffix: '.test.ts',
  },
  integration: {
    command: mochaTier('integration', 'test/integration/**/*.test.ts', 10 * minutes, ['--timeout', '30000']),
    dir: 'test/integration', suffix: '.test.ts',
  },
  'in-host': {
    command: scriptTier('in-host', 'scripts/testVscode.ts', 15 * minutes),
    dir: 'test/vscode', suffix: '.test.ts',
  },
  e2e: {
    command: mochaTier('e2e', 'test/e2e/**/*.e2e.test.ts', 20 * minutes, ['--timeout', '180000']),
    dir: 'test/e2e', suffix: '.e2e.test.ts',
  },
};

function parseTierNames(argv: string[]): string[] {
  const index = argv.indexOf('--tier');
  const inline = argv.find((a) => a.startsWith('--tier='));
  const value = inline ? inline.slice('--tier='.length) : index >= 0 ? argv[index + 1] : undefined;
  if (value === undefined) return Object.keys(tiers);
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(n in tiers));
  if (unknown.length > 0 || names.length === 0) {
    console.error(`unknown tier(s): ${unknown.join(', ') || '(none given)'}; known: ${Object.keys(tiers).join(', ')}`);
    process.exit(2);
  }
  return names;
}

async function runOne(name: string): Promise<TierResult> {
  const tier = tiers[name]!;
  console.log(`\n=== ${name} ${'='.repeat(Math.max(0, 60 - name.length))}`);
  if (findFiles(join(repoRoot, tier.dir), tier.suffix).length === 0) {
    return { name, passed: 0, failed: 1, pending: 0, durationMs: 0, crash: `no *${tier.suffix} files under ${tier.dir}` };
  }
  const result = await runTier(tier.command);
  if (result.crash) console.error(`\n${name}: TIER FAILED: ${result.crash}`);
  return result;
}

function printTable(results: TierResult[]): void {
  const rows = results.map((r) => [
    r.name, String(r.passed), String(r.failed), String(r.pending),
    `${(r.durationMs / 1000).toFixed(1)} s`, r.crash ?? (r.failed > 0 ? 'FAILED' : 'ok'),
  ]);
  const header = ['tier', 'passed', 'failed', 'pending', 'time', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const results: TierResult[] = [];
  for (const name of parseTierNames(process.argv.slice(2))) results.push(await runOne(name));
  printTable(results);
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  process.exitCode = failed > 0 ? 1 : 0;
  console.log(`${passed} passed, ${failed} failed`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
