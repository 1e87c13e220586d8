// The credential-endpoint rows of the README's performance table.
import { type CredentialEndpointBench, type LoadRun } from './credentialsLoad';
import { formatMs, percentile } from './stats';

export interface BenchRow {
  measure: string;
  result: string;
  budget: string;
}

function rate(run: LoadRun): string {
  return `${Math.round((run.fetches * 1000) / run.wallMs).toLocaleString('en')} fetches/s`;
}

function latency(run: LoadRun): string {
  return `${formatMs(percentile(run.latenciesMs, 50))} / ${formatMs(percentile(run.latenciesMs, 99))}`;
}

/** The endpoint process's share of one core, and what one core of it would serve. */
function cpu(run: LoadRun): string {
  const share = Math.round((100 * run.serverCpuMs) / run.wallMs);
  const perCore = Math.round((run.fetches * 1000) / run.serverCpuMs / 100) * 100;
  return `endpoint process at ${share}% of one core, ≈ ${perCore.toLocaleString('en')} fetches per CPU-second`;
}

export function getCredentialEndpointRows(bench: CredentialEndpointBench): BenchRow[] {
  const { concurrent, paced, single, flooded, audited } = bench;
  const hundreds = (n: number): string => (Math.round(n / 100) * 100).toLocaleString('en');
  const share = (run: LoadRun): string => `${Math.round((100 * run.serverCpuMs) / run.wallMs)}%`;
  const seconds = (run: LoadRun): string => `${(run.wallMs / 1000).toFixed(0)} s`;
  return [
    {
      measure: `Credential endpoint, ${concurrent.clients} keep-alive clients as fast as answered (${seconds(concurrent)}, endpoint in its own process)`,
      result: `${rate(concurrent)}; ${cpu(concurrent)}`,
      budget: '≥ 5,000 fetches/s on one core',
    },
    {
      measure: `Same, latency p50 / p99 (${concurrent.clients} always in flight, so the mean is ${concurrent.clients} ÷ the rate)`,
      result: latency(concurrent),
      budget: 'p99 < 2 ms',
    },
    {
      measure: `${paced.clients} clients offering ${(paced.offeredPerSecond ?? 0).toLocaleString('en')} fetches/s between them: latency p50 / p99`,
      result: `${latency(paced)} (${rate(paced)} answered)`,
      budget: 'p99 < 2 ms',
    },
    { measure: '1 client: latency p50 / p99', result: `${latency(single)} (${rate(single)})`, budget: 'p99 < 2 ms' },
    {
      measure: `1 client with the valid token while ${hundreds(flooded.badOfferedPerSecond)} bad requests/s arrive (no token, wrong token, a web page's; from another process): latency p50 / p99`,
      result: `${latency(flooded)} (${rate(flooded)}; ${hundreds(flooded.badAnsweredPerSecond)} bad requests/s answered; endpoint process at ${share(flooded)} of one core)`,
      budget: 'p99 < 2 ms',
    },
    {
      measure: `${audited.clients} clients, with the extension's "credentials.fetched" audit record (fsync'ed JSONL) per fetch: rate; p99`,
      result: `${rate(audited)}; p99 ${formatMs(percentile(audited.latenciesMs, 99))}; ${cpu(audited)}`,
      budget: '—',
    },
  ];
}
