// npm run bench: the performance figures, printed as a table (Markdown, ready for the
// README's performance table) and saved as test-results/bench.json.
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { measureCold } from './bench/activation';
import { getAssumeRoleRows, measureRequestToCredentials } from './bench/assumeRoleBench';
import { getChartRows, measureCharts } from './bench/charts';
import { getCredentialProcessRows, measureCredentialProcess } from './bench/credentialProcess';
import { measureCredentialEndpoint } from './bench/credentialsLoad';
import { getCredentialEndpointRows } from './bench/credentialsRows';
import { getLogsScrollRows, measureLogsScroll } from './bench/logsScroll';
import { getMetricCallRows, measureMetricCalls } from './bench/metricCalls';
import { getPolicyCheckRows, measurePolicyCheck } from './bench/policyCheck';
import { type ListingRun, measureResourceListing } from './bench/resources';
import { formatMs, percentile } from './bench/stats';
import { measureViewOpen } from './bench/viewOpen';
import { ensureDir, testResultsDir } from './lib/paths';

interface Row {
  measure: string;
  result: string;
  budget: string;
}

const root = join(__dirname, '..');

async function main(): Promise<void> {
  const rows: Row[] = [];
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const want = (name: string): boolean => !only || only.includes(name);

  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  const bytes = statSync(join(root, 'dist', 'extension.js')).size;
  rows.push({
    measure: 'Extension bundle, minified',
    result: `${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes.toLocaleString('en')} bytes)`,
    budget: '< 1.5 MB',
  });
  const awsBytes = statSync(join(root, 'dist', 'aws.js')).size;
  rows.push({
    measure: 'AWS part (`dist/aws.js`), minified, loaded on the first AWS call',
    result: `${(awsBytes / 1024 / 1024).toFixed(2)} MB (${awsBytes.toLocaleString('en')} bytes)`,
    budget: '—',
  });

  if (want('activation')) {
    const { load, activate, awsLoad } = measureCold(15);
    rows.push({
      measure: '`activate()` call, cold (p50 / p99 of 15 processes)',
      result: `${formatMs(percentile(activate, 50))} / ${formatMs(percentile(activate, 99))}`,
      budget: '< 20 ms',
    });
    rows.push({
      measure: 'Bundle load (`require`) before `activate()`, cold (p50)',
      result: formatMs(percentile(load, 50)),
      budget: '< 30 ms',
    });
    rows.push({
      measure: 'AWS part (`dist/aws.js`) loaded on the first AWS call, after activation (p50 / p99)',
      result: `${formatMs(percentile(awsLoad, 50))} / ${formatMs(percentile(awsLoad, 99))}`,
      budget: '—',
    });
  }
  if (want('resources')) {
    const r = await measureResourceListing(10_000);
    const run = (x: ListingRun): string => `${formatMs(x.totalMs)}, longest event-loop block ${formatMs(x.maxBlockMs)}`;
    rows.push({
      measure: `Discover ${r.first.resources.toLocaleString('en')} resources (${r.pages} ListMetrics pages), first call in the process`,
      result: run(r.first),
      budget: 'no block > 50 ms',
    });
    rows.push({ measure: 'Same, steady state (second listing)', result: run(r.second), budget: 'no block > 50 ms' });
  }
  if (want('view')) {
    const { warm, cold } = await measureViewOpen(5);
    rows.push({
      measure: 'Open the view → services listed, code-server, extension host started (p50 / max of 5)',
      result: `${formatMs(percentile(warm, 50))} / ${formatMs(Math.max(...warm))}`,
      budget: '—',
    });
    rows.push({
      measure: 'Same, clicked as soon as the reloaded window shows the icon (p50 / max of 5)',
      result: `${formatMs(percentile(cold, 50))} / ${formatMs(Math.max(...cold))}`,
      budget: '—',
    });
  }

  if (want('assumeRole')) rows.push(...getAssumeRoleRows(await measureRequestToCredentials()));
  if (want('credentials')) rows.push(...getCredentialEndpointRows(await measureCredentialEndpoint()));
  if (want('credentialProcess')) rows.push(...getCredentialProcessRows(await measureCredentialProcess()));
  if (want('charts')) rows.push(...getChartRows(await measureCharts()));
  if (want('metricCalls')) rows.push(...getMetricCallRows(await measureMetricCalls()));
  if (want('logsScroll')) rows.push(...getLogsScrollRows(await measureLogsScroll()));
  if (want('policy')) rows.push(...getPolicyCheckRows(measurePolicyCheck()));

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  console.log(`\nInfraWatch bench — ${new Date().toISOString().slice(0, 10)} — ${machine}\n`);
  console.log('| measure | result | budget |\n|---|---|---|');
  for (const row of rows) console.log(`| ${row.measure} | ${row.result} | ${row.budget} |`);
  writeFileSync(join(ensureDir(testResultsDir), 'bench.json'), JSON.stringify({ machine, rows }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
