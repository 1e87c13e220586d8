// The in-host tier: mocha inside code-server's real extension host, against the local
// AWS endpoint. Options: --no-build (reuse dist/), --timeout <seconds>. The VS Code flavour
// comes from $INFRAWATCH_VSCODE (floor, the default, or newest; tools/vscode-versions.json).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace, getExtensionSettings, startAwsFixture } from './lib/awsFixture';
import { launchBrowser } from './lib/browser';
import { bundleInHostTests, runNpmScript } from './lib/build';
import { startCodeServer } from './lib/codeServer';
import { printInHostResults, readInHostResults, writeTierCounts } from './lib/inHostReport';
import { runInHostSuite } from './lib/inHostRun';
import { ensureDir, logsDir, repoRoot, testResultsDir } from './lib/paths';
import { makeTempBase } from './lib/processes';
import { getSelectedVscodeFlavour } from './lib/vscodeVersions';

function step(message: string): void {
  console.log(`in-host: ${message}`);
}

function parseTimeoutMs(argv: string[]): number {
  const index = argv.indexOf('--timeout');
  const seconds = index >= 0 ? Number(argv[index + 1]) : Number(process.env.INFRAWATCH_INHOST_TIMEOUT_S ?? 600);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`--timeout needs a number of seconds, got ${argv[index + 1]}`);
  return seconds * 1000;
}

async function prepare(argv: string[]) {
  if (!argv.includes('--no-build')) {
    step('building the extension (npm run build)');
    await runNpmScript('build');
  }
  const testsIndex = await bundleInHostTests();
  const base = makeTempBase();
  const fixture = await startAwsFixture(join(base, 'aws'));
  step(`local AWS endpoint at ${fixture.url}`);
  const workspace = createWorkspace(ensureDir(join(base, 'workspace')));
  return { testsIndex, fixture, workspace };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const timeoutMs = parseTimeoutMs(argv);
  const flavour = getSelectedVscodeFlavour();
  step(`VS Code ${flavour.vscodeVersion} (${flavour.name}: code-server ${flavour.codeServerVersion})`);
  const { testsIndex, fixture, workspace } = await prepare(argv);
  const resultsFile = join(ensureDir(testResultsDir), `in-host-results-${flavour.name}.json`);
  const pageLogFile = join(logsDir, `in-host-page-${flavour.name}.log`);
  rmSync(resultsFile, { force: true });
  const server = await startCodeServer({
    workspace,
    flavour,
    label: 'in-host',
    userSettings: getExtensionSettings(fixture),
    env: {
      ...fixture.env,
      INFRAWATCH_TEST_RESULTS: resultsFile,
      INFRAWATCH_TEST_ENDPOINT: fixture.url,
      INFRAWATCH_TEST_IDENTITIES: JSON.stringify(fixture.identities),
    },
  });
  step(`code-server at ${server.url} (log: ${server.logFile})`);
  const browser = await launchBrowser();
  try {
    const code = await runInHostSuite({
      page: browser.page,
      server,
      workspace,
      extensionDir: repoRoot,
      testsIndex,
      timeoutMs,
      pageLogFile,
    });
    return report(resultsFile, pageLogFile, code);
  } finally {
    await browser.close();
    server.stop();
    await fixture.close();
  }
}

function report(resultsFile: string, pageLogFile: string, exitCode: number): number {
  const results = readInHostResults(resultsFile);
  if (!results) {
    throw new Error(
      `the workbench reported exit code ${exitCode} but the suite wrote no results to ${resultsFile}: ` +
        `the extension host probably failed to load the tests; see ${pageLogFile}`,
    );
  }
  printInHostResults(results);
  let failed = results.failed;
  if (exitCode !== 0 && failed === 0) {
    console.error(`in-host: the workbench reported exit code ${exitCode} although no test failed`);
    failed = 1;
  }
  writeTierCounts({ passed: results.passed, failed, pending: results.pending, durationMs: results.durationMs });
  console.log(`\nin-host: ${results.passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`in-host: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
