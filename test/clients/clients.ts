// The AWS clients users have, each run as its own process with a given environment, all
// answering the ops of the contract in test/clients/node/client.mjs as JSON lines.
// Programs for SDKs (SDK v3, boto3, Go, Ruby) also run long-lived (--loop); the AWS CLIs
// are one command per op, as a person types them.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export type Op = 'identity' | 'allowed' | 'denied';

export interface OpResult {
  op: Op;
  ok: boolean;
  arn?: string;
  accessKeyId?: string;
  code?: string;
  error?: string;
}

export interface Client {
  name: string;
  /** Why it cannot run here, or undefined. */
  missing?: string;
  /** Reads AWS_CONTAINER_CREDENTIALS_FULL_URI at all (Debian 12's Ruby SDK does not). */
  usesEndpoint: boolean;
  /** Reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (measured: clients from late 2023 on). */
  readsTokenFile: boolean;
  /** Shows the endpoint's refusal message (SDK v3's default chain replaces it with its own). */
  showsEndpointMessage: boolean;
  /** Runs ops one after another in one process. */
  run(ops: Op[], env: Record<string, string>): Promise<OpResult[]>;
  /** A long-lived process, for SDKs (the CLIs are a process per command). */
  start?(env: Record<string, string>): LongLived;
}

export interface LongLived {
  ask(op: Op): Promise<OpResult>;
  stop(): void;
}

const here = __dirname;
const repoRoot = join(here, '..', '..');
export const toolsDir = join(repoRoot, 'tools');
export const goClientBinary = join(repoRoot, 'test-results', 'clients', 'go-client');
const timeoutMs = 60_000;

/** Runs a program to its end (60 s at most) with exactly `env`; never rejects on a non-zero exit. */
export function exec(
  file: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

function parseLines(stdout: string, stderr: string): OpResult[] {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{'));
  if (lines.length === 0) throw new Error(`the client printed no result; stderr:\n${stderr}`);
  return lines.map((l) => JSON.parse(l) as OpResult);
}

type Traits = Pick<Client, 'usesEndpoint' | 'readsTokenFile' | 'showsEndpointMessage'>;
const current: Traits = { usesEndpoint: true, readsTokenFile: true, showsEndpointMessage: true };

function program(name: string, file: string, args: string[], traits: Traits, missing?: string): Client {
  return {
    name,
    ...traits,
    missing,
    async run(ops, env) {
      const out = await exec(file, [...args, ...ops], env);
      return parseLines(out.stdout, out.stderr);
    },
    start(env) {
      const child: ChildProcessWithoutNullStreams = spawn(file, [...args, '--loop'], { env, cwd: repoRoot });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      return {
        async ask(op) {
          child.stdin.write(`${op}\n`);
          const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          const next = await lines.next();
          clearTimeout(timer);
          if (next.done) throw new Error(`${name} ended before answering ${op}; stderr:\n${stderr}`);
          return JSON.parse(next.value as string) as OpResult;
        },
        stop: () => {
          child.stdin.end();
          child.kill();
        },
      };
    },
  };
}

const cliArgs: Record<Op, string[]> = {
  identity: ['sts', 'get-caller-identity'],
  allowed: ['rds', 'describe-db-instances'],
  denied: ['ec2', 'describe-instances'],
};

/**
 * An AWS CLI, one command per op as typed in a terminal. `--endpoint-url` for the local
 * endpoint where the CLI ignores AWS_ENDPOINT_URL: always for CLI 2.9 (it predates the
 * variable); for RDS in us-east-1 in CLI v1, which pins that region's RDS calls to
 * rds.amazonaws.com unless the flag is given (awscli/customizations/overridesslcommonname.py).
 */
function cli(name: string, file: string, traits: Traits, endpointFlag: 'always' | 'rds', missing?: string): Client {
  return {
    name,
    ...traits,
    missing,
    async run(ops, env) {
      const results: OpResult[] = [];
      for (const op of ops) {
        const needsFlag = endpointFlag === 'always' || op === 'allowed';
        const flag = needsFlag && env.AWS_ENDPOINT_URL ? ['--endpoint-url', env.AWS_ENDPOINT_URL] : [];
        const out = await exec(file, [...cliArgs[op], ...flag, '--output', 'json'], env);
        if (out.code === 0) {
          const parsed = op === 'identity' ? (JSON.parse(out.stdout) as { Arn: string }) : undefined;
          results.push({ op, ok: true, ...(parsed ? { arn: parsed.Arn } : {}) });
        } else {
          results.push({
            op,
            ok: false,
            code: /An error occurred \(([^)]+)\)/.exec(out.stderr)?.[1] ?? 'Error',
            error: out.stderr.trim(),
          });
        }
      }
      return results;
    },
  };
}

function version(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

function whichAws(): string | undefined {
  return version('/bin/sh', ['-c', 'command -v aws']);
}

const goSource = join(here, 'go', 'main.go');

/**
 * Builds the Go client offline against Debian's SDK (GOPATH mode), when it is missing or
 * older than its source: about 25 s cold, under a second with the kept build cache.
 */
function buildGoClient(): string | undefined {
  if (existsSync(goClientBinary) && statSync(goClientBinary).mtimeMs >= statSync(goSource).mtimeMs) return undefined;
  if (!existsSync('/usr/share/gocode/src/github.com/aws/aws-sdk-go-v2'))
    return 'Debian package golang-github-aws-aws-sdk-go-v2-dev is missing';
  const cache = join(dirname(goClientBinary), 'go-cache');
  mkdirSync(cache, { recursive: true });
  try {
    execFileSync('go', ['build', '-o', goClientBinary, '.'], {
      cwd: dirname(goSource),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH: '/usr/share/gocode',
        GOFLAGS: '',
        GOPROXY: 'off',
        GOCACHE: cache,
      },
    });
    return undefined;
  } catch (error) {
    return `go build failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const newestBoto3Python = join(toolsDir, 'boto3-newest', 'bin', 'python');

export type ClientId = 'aws-on-path' | 'boto3' | 'boto3-newest' | 'sdk-v3' | 'aws-debian' | 'go' | 'ruby';

const botoVersion = (python: string) =>
  version(python, [
    '-c',
    'import boto3, botocore; print(f"boto3 {boto3.__version__} (botocore {botocore.__version__})")',
  ]);
const pythonClient = join(here, 'python', 'client.py');

/** How to make each client of the matrix, with the version it reports. */
const makers: Record<ClientId, () => Client> = {
  'aws-on-path': () => {
    const path = whichAws();
    const found = path ? version(path, ['--version']) : undefined;
    return cli(
      `aws on PATH: ${found?.split(' ')[0] ?? '?'} (${found?.match(/botocore\/\S+/)?.[0] ?? '?'})`,
      path ?? 'aws',
      current,
      'rds',
      found ? undefined : 'no aws on PATH',
    );
  },
  boto3: () => {
    const found = botoVersion('python3');
    return program(
      `boto3 script: python3 with ${found ?? '?'}`,
      'python3',
      [pythonClient],
      current,
      found ? undefined : 'python3 has no boto3',
    );
  },
  'boto3-newest': () => {
    const found = existsSync(newestBoto3Python) ? botoVersion(newestBoto3Python) : undefined;
    return program(
      `boto3 script: newest wheel on disk, ${found ?? '?'}`,
      newestBoto3Python,
      [pythonClient],
      current,
      found
        ? undefined
        : `no ${newestBoto3Python} (setup makes it from the boto3 wheels in /opt/pypi when they are there)`,
    );
  },
  'sdk-v3': () => {
    const found = (
      JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@aws-sdk', 'client-sts', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    return program(
      `Node program: SDK v3 for JavaScript ${found}`,
      process.execPath,
      [join(here, 'node', 'client.mjs')],
      { ...current, showsEndpointMessage: false },
    );
  },
  'aws-debian': () => {
    const found = existsSync('/usr/bin/aws') ? version('/usr/bin/aws', ['--version']) : undefined;
    return cli(
      `Debian /usr/bin/aws: ${found?.split(' ')[0] ?? '?'} (2023)`,
      '/usr/bin/aws',
      { ...current, readsTokenFile: false },
      'always',
      found ? undefined : 'no /usr/bin/aws (Debian package awscli)',
    );
  },
  go: () => {
    const problem = buildGoClient();
    const found = existsSync(goClientBinary) ? version(goClientBinary, ['--version']) : undefined;
    return program(
      `Go program: SDK v2 ${found ?? '?'} (Debian)`,
      goClientBinary,
      [],
      { ...current, readsTokenFile: false },
      found ? undefined : `no Go client: ${problem ?? 'not built'}`,
    );
  },
  ruby: () => {
    const found = version('ruby', ['-e', 'require "aws-sdk-core"; print Aws::CORE_GEM_VERSION']);
    return program(
      `Ruby script: aws-sdk-core ${found ?? '?'} (Debian)`,
      'ruby',
      [join(here, 'ruby', 'client.rb')],
      { usesEndpoint: false, readsTokenFile: false, showsEndpointMessage: false },
      found ? undefined : 'ruby with aws-sdk-core is missing (Debian package ruby-aws-sdk-core)',
    );
  },
};

export function getClients(ids: readonly ClientId[]): Client[] {
  return ids.map((id) => makers[id]());
}
