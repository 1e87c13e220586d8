// `npm test`: every tier in order (static, unit, integration, clients, adversarial, in-host, e2e), each visible as it
// runs (static runs beside unit and integration, its output shown after them), then a per-tier
// table and, as the very last line, "N passed, N failed".
// The in-host and e2e tiers run once per VS Code flavour (tools/vscode-versions.json: floor,
// then newest), shown as e.g. `in-host@floor`.
// `--tier unit,integration` runs a subset; `--vscode floor` (or newest) runs one flavour.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFiles } from './lib/build';
import { repoRoot } from './lib/paths';
import { makeTempBase } from './lib/processes';
import { mochaTier, runTier, scriptTier, type TierCommand, type TierResult } from './lib/tierRunner';
import { getVscodeFlavours, vscodeFlavourEnv } from './lib/vscodeVersions';

const minutes = 60_000;

/**
 * The clients tier's files, longest first (about 140, 115, 70 and 45 s; the others under 15 s):
 * two workers take them in this order, and a long file taken last would run alone at the end.
 */
function clientFilesLongestFirst(): string[] {
  const longest = ['awsCli', 'boto3', 'sdkV3', 'profiles'];
  const rank = (file: string) => {
    const index = longest.findIndex((name) => file.endsWith(`/${name}.test.ts`));
    return index < 0 ? longest.length : index;
  };
  return findFiles(join(repoRoot, 'test', 'clients'), '.test.ts').sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
}

interface Tier {
  command: TierCommand;
  /** Where its tests live and what they are called, to say "no tests" plainly. */
  dir: string;
  suffix: string;
  /** Runs on real VS Code: once per flavour. */
  perVscode?: boolean;
  /** Added to the command on every flavour after the first. */
  laterFlavourArgs?: string[];
  /** Runs in the background while these tiers (the next in order) run; its output follows when they end. */
  besideTiers?: string[];
}

const tiers: Record<string, Tier> = {
  // CPU-bound type-checks and lint beside the unit and integration tiers, which leave much of
  // the second core idle (integration: 26 s of CPU in 42 s). Measured: both pass beside it,
  // and the three take 58 s instead of 79 one after another.
  static: {
    command: scriptTier('static', 'scripts/testStatic.ts', 5 * minutes),
    dir: 'src',
    suffix: '.ts',
    besideTiers: ['unit', 'integration'],
  },
  // The local AWS endpoint's own tests (localaws/test) run in the same tiers as the extension's.
  unit: {
    command: mochaTier('unit', '{test,localaws/test}/unit/**/*.test.ts', 5 * minutes),
    dir: 'test/unit',
    suffix: '.test.ts',
  },
  integration: {
    command: mochaTier('integration', '{test,localaws/test}/integration/**/*.test.ts', 10 * minutes, [
      '--timeout',
      '30000',
    ]),
    dir: 'test/integration',
    suffix: '.test.ts',
  },
  // Every AWS client users have, each its own process; the test files run two at a time.
  clients: {
    command: mochaTier('clients', clientFilesLongestFirst(), 12 * minutes, [
      '--timeout',
      '180000',
      '--parallel',
      '--jobs',
      '2',
    ]),
    dir: 'test/clients',
    suffix: '.test.ts',
  },
  // Each defect found by trying as an attacker or as a user with two windows would: full
  // disks (a real tmpfs), crashes, crafted input, a hostile page in Chromium, two windows.
  adversarial: {
    command: mochaTier('adversarial', 'test/adversarial/**/*.test.ts', 15 * minutes, ['--timeout', '180000']),
    dir: 'test/adversarial',
    suffix: '.test.ts',
  },
  'in-host': {
    command: scriptTier('in-host', 'scripts/testVscode.ts', 15 * minutes),
    dir: 'test/vscode',
    suffix: '.test.ts',
    perVscode: true,
    // The extension does not change between flavours: the first run builds it, the next reuse dist/.
    laterFlavourArgs: ['--no-build'],
  },
  e2e: {
    command: mochaTier('e2e', 'test/e2e/**/*.e2e.test.ts', 20 * minutes, ['--timeout', '180000']),
    dir: 'test/e2e',
    suffix: '.e2e.test.ts',
    perVscode: true,
  },
};

/** One tier to run: a tier, on one VS Code flavour when it runs on VS Code. */
interface Run {
  name: string;
  tier: Tier;
  flavour?: string;
  /** Not the tier's first flavour in this run. */
  laterFlavour?: boolean;
}

function optionValue(argv: string[], option: string): string | undefined {
  const index = argv.indexOf(option);
  const inline = argv.find((a) => a.startsWith(`${option}=`));
  return inline ? inline.slice(option.length + 1) : index >= 0 ? argv[index + 1] : undefined;
}

function listOption(argv: string[], option: string, known: string[]): string[] | undefined {
  const value = optionValue(argv, option);
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0 || names.length === 0) {
    console.error(`unknown ${option.slice(2)}(s): ${unknown.join(', ') || '(none given)'}; known: ${known.join(', ')}`);
    process.exit(2);
  }
  return names;
}

/** The runs, in order: `--tier a,b` and `--vscode floor|newest` (both optional) narrow them. */
function planRuns(argv: string[]): Run[] {
  const flavours = getVscodeFlavours().map((f) => f.name);
  const tierNames = listOption(argv, '--tier', Object.keys(tiers)) ?? Object.keys(tiers);
  const chosenFlavours = listOption(argv, '--vscode', flavours) ?? flavours;
  const runs: Run[] = [];
  for (const name of Object.keys(tiers).filter((n) => tierNames.includes(n))) {
    const tier = tiers[name]!;
    if (!tier.perVscode) runs.push({ name, tier });
    else
      for (const [i, flavour] of chosenFlavours.entries())
        runs.push({ name: `${name}@${flavour}`, tier, flavour, laterFlavour: i > 0 });
  }
  return runs;
}

function printHeader(title: string): void {
  console.log(`\n=== ${title} ${'='.repeat(Math.max(0, 60 - title.length))}`);
}

/** Runs one tier; with `logFile` its output goes there instead of the console. */
async function runOne({ name, tier, flavour, laterFlavour }: Run, logFile?: string): Promise<TierResult> {
  if (findFiles(join(repoRoot, tier.dir), tier.suffix).length === 0) {
    return {
      name,
      passed: 0,
      failed: 1,
      pending: 0,
      durationMs: 0,
      crash: `no *${tier.suffix} files under ${tier.dir}`,
    };
  }
  const args = [...tier.command.args, ...(laterFlavour ? (tier.laterFlavourArgs ?? []) : [])];
  const command: TierCommand = flavour
    ? { ...tier.command, name, args, env: { ...tier.command.env, [vscodeFlavourEnv]: flavour } }
    : { ...tier.command, logFile };
  const result = await runTier(command);
  if (result.crash) console.error(`\n${name}: TIER FAILED: ${result.crash}`);
  return result;
}

interface BesideRun {
  run: Run;
  logFile: string;
  result: Promise<TierResult>;
}

function startBeside(run: Run): BesideRun {
  printHeader(`${run.name} (beside ${run.tier.besideTiers!.join(', ')}; its output follows them)`);
  const logFile = join(makeTempBase(), `${run.name}.log`);
  return { run, logFile, result: runOne(run, logFile) };
}

/** Waits for the tiers run beside the others and shows their output. */
async function joinBeside(beside: BesideRun[], results: Map<Run, TierResult>): Promise<void> {
  for (const { run, logFile, result } of beside.splice(0)) {
    results.set(run, await result);
    printHeader(`${run.name} (output)`);
    if (existsSync(logFile)) process.stdout.write(readFileSync(logFile, 'utf8'));
  }
}

function printTable(results: TierResult[]): void {
  const rows = results.map((r) => [
    r.name,
    String(r.passed),
    String(r.failed),
    String(r.pending),
    `${(r.durationMs / 1000).toFixed(1)} s`,
    r.crash ?? (r.failed > 0 ? 'FAILED' : 'ok'),
  ]);
  const header = ['tier', 'passed', 'failed', 'pending', 'time', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const runs = planRuns(process.argv.slice(2));
  const byRun = new Map<Run, TierResult>();
  const beside: BesideRun[] = [];
  for (const run of runs) {
    const tierName = run.name.split('@')[0]!;
    if (beside.some((b) => !b.run.tier.besideTiers!.includes(tierName))) await joinBeside(beside, byRun);
    if (run.tier.besideTiers) {
      beside.push(startBeside(run));
      continue;
    }
    printHeader(run.name);
    byRun.set(run, await runOne(run));
  }
  await joinBeside(beside, byRun);
  const results = runs.map((run) => byRun.get(run)!);
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
