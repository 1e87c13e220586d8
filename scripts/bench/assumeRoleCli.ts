// The way users get the same credentials without InfraWatch: Debian's AWS CLI,
// `aws sts assume-role … --serial-number … --token-code …`, wall time per invocation
// (process start, Python imports, signing, the round trip, JSON output). Run with no
// config or credential files, so only the environment given here decides what it signs
// with, and with the full path: another `aws` may shadow /usr/bin/aws on PATH.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { type MfaCodePool } from './assumeRoleCodes';
import { type LocalAwsProcess } from './localAwsProcess';

const awsCli = '/usr/bin/aws';

function cliEnvironment(aws: LocalAwsProcess, identity: LocalAwsProcess['identities'][number]): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: identity.accessKeyId,
    AWS_SECRET_ACCESS_KEY: identity.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_DEFAULT_REGION: aws.region,
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
  if (identity.sessionToken) env.AWS_SESSION_TOKEN = identity.sessionToken;
  return env;
}

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ ms: number; stdout: string; stderr: string; failed: boolean }> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(awsCli, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ ms: performance.now() - start, stdout, stderr, failed: error !== null });
    });
  });
}

/** What InfraWatch would send for a demo identity: the role, and whether an MFA code goes with it. */
export interface CliTarget {
  roleArn: string;
  /** IAM users give a TOTP code; an Identity Center session met MFA at its sign-in and sends none. */
  sendsCode: boolean;
}

/**
 * Wall time of `runs` recorded invocations after `warmup` unrecorded ones (the first
 * pays for a cold page cache). `targetOf` says what InfraWatch would send for the identity.
 */
export async function measureAwsCliAssumeRole(
  aws: LocalAwsProcess,
  pool: MfaCodePool,
  targetOf: (name: string) => CliTarget,
  counts: { warmup: number; runs: number },
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < counts.warmup + counts.runs; i += 1) {
    const { identity, code } = await pool.next();
    const target = targetOf(identity.name);
    const args = [
      'sts',
      'assume-role',
      '--role-arn',
      target.roleArn,
      '--role-session-name',
      `${identity.name}-cli-${i}`,
      ...(target.sendsCode ? ['--serial-number', identity.mfaSerial, '--token-code', code] : []),
      '--duration-seconds',
      '1800',
      '--endpoint-url',
      aws.url,
      '--output',
      'json',
    ];
    const result = await run(args, cliEnvironment(aws, identity));
    // stdout holds the issued secret: read it, never print it.
    const issued = result.failed
      ? undefined
      : (JSON.parse(result.stdout) as { Credentials?: { AccessKeyId?: string } }).Credentials?.AccessKeyId;
    if (!issued)
      throw new Error(
        `${awsCli} sts assume-role for ${identity.name} failed: ${result.stderr.trim() || 'no credentials in its output'}`,
      );
    if (i >= counts.warmup) times.push(result.ms);
  }
  return times;
}
