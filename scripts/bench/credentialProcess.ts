// The credential_process helper's wall time per call, as a tool pays it each time it
// refreshes credentials through an InfraWatch profile: the launcher (sh) → the editor's
// Node → the bundled helper → one GET to the endpoint → JSON on stdout. Beside it, in the
// same run, the peer: AWS CLI v2's `aws configure export-credentials` (Debian's 2.9), once
// for the InfraWatch profile (the CLI running the helper) and once for a profile with static
// keys (the CLI's own cost, no credential_process).
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCredentialServer } from '../../src/core/credentials/credentialServer';
import { getProfilePaths, writeLauncher, writeWindowFile } from '../../src/core/credentials/credentialProcessDiscovery';
import { updateProfileBlock } from '../../src/core/credentials/profileBlockFile';
import { type Session } from '../../src/core/session';
import { formatMs, percentile } from './stats';

export interface CredentialProcessBench {
  helperBytes: number;
  helperMs: number[];
  cliProfileMs: number[];
  cliStaticMs: number[];
  cli: string | undefined;
}

/** Wall time of one run, from spawn to exit; asynchronous, so the endpoint in this process answers. */
function time(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - start)
        : reject(new Error(`${file} ${args.join(' ')} failed: ${stderr}`)),
    );
  });
}

async function repeat(n: number, run: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < n; i += 1) values.push(await run());
  return values;
}

const session = {
  id: 'bench',
  service: 'rds',
  level: 'read',
  region: 'us-east-1',
  roleArn: 'arn:aws:iam::111122223333:role/Bench',
  credentials: {
    accessKeyId: 'ASIABENCHBENCHBENCH1',
    secretAccessKey: 'bench-secret-bench-secret-bench-secret-00',
    sessionToken: 'bench-token',
    expiration: Date.now() + 3_600_000,
  },
} as unknown as Session;

export async function measureCredentialProcess(helperRuns = 50, cliRuns = 15): Promise<CredentialProcessBench> {
  const helper = join(__dirname, '..', '..', 'dist', 'credentialProcess.js');
  const root = await mkdtemp(join(tmpdir(), 'infrawatch-bench-profiles-'));
  const server = await startCredentialServer();
  try {
    const paths = getProfilePaths(join(root, 'profiles'));
    await writeLauncher(paths, process.execPath, helper);
    await writeWindowFile(paths.windowsDir, { 'rds:read': server.add(session) });
    const config = join(root, 'config');
    await writeFile(config, '[profile static]\nregion = us-east-1\n');
    await writeFile(
      join(root, 'credentials'),
      '[static]\naws_access_key_id = AKIABENCHBENCHBENCH1\naws_secret_access_key = bench-secret-bench-secret-bench-secret-00\n',
    );
    await updateProfileBlock({
      path: config,
      launcher: paths.launcher,
      change: () => [{ service: 'rds', level: 'read', region: 'us-east-1' }],
    });
    const env = {
      PATH: process.env.PATH,
      HOME: root,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(root, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    await time(paths.launcher, ['rds:read'], env); // warm the file cache
    const helperMs = await repeat(helperRuns, () => time(paths.launcher, ['rds:read'], env));
    const cli = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined;
    const cliProfileMs: number[] = [];
    const cliStaticMs: number[] = [];
    if (cli) {
      await time(cli, ['configure', 'export-credentials', '--profile', 'static'], env);
      for (let i = 0; i < cliRuns; i += 1) {
        cliProfileMs.push(
          await time(cli, ['configure', 'export-credentials', '--profile', 'infrawatch-rds-read'], env),
        );
        cliStaticMs.push(await time(cli, ['configure', 'export-credentials', '--profile', 'static'], env));
      }
    }
    return { helperBytes: statSync(helper).size, helperMs, cliProfileMs, cliStaticMs, cli };
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

export function getCredentialProcessRows(
  bench: CredentialProcessBench,
): { measure: string; result: string; budget: string }[] {
  const p = (values: number[]): string => `${formatMs(percentile(values, 50))} / ${formatMs(percentile(values, 99))}`;
  const rows = [
    {
      measure: `credential_process helper per call: launcher → Node → helper (${(bench.helperBytes / 1024).toFixed(1)} KiB bundle) → endpoint → JSON, wall time p50 / p99 of ${bench.helperMs.length}`,
      result: p(bench.helperMs),
      budget: 'p50 < 100 ms',
    },
  ];
  if (bench.cli) {
    rows.push(
      {
        measure: `Peer, same run: \`aws configure export-credentials --profile infrawatch-rds-read\` (AWS CLI 2.9, runs the helper), p50 / p99 of ${bench.cliProfileMs.length}`,
        result: p(bench.cliProfileMs),
        budget: '—',
      },
      {
        measure:
          'Peer, same run: `aws configure export-credentials` for a profile with static keys (the CLI alone), p50 / p99',
        result: p(bench.cliStaticMs),
        budget: '—',
      },
    );
  }
  return rows;
}
