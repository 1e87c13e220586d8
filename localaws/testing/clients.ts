// Helpers for tests that drive the local endpoint with the REAL clients: SDK v3 (STS,
// CloudWatch) and Debian's AWS CLI 2.9 (/usr/bin/aws; the full path, as another `aws`
// may shadow it on PATH). The CLI runs with no config or credential files, so only the
// environment given here decides what it signs with.

import { execFile } from 'node:child_process';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { STSClient } from '@aws-sdk/client-sts';
import { Secret, TOTP } from 'otpauth';
import { jsonResponse, queryResponse, xmlNamespaces } from '../server/protocol';
import type { LocalAws } from '../server/server';
import type { ServiceHandler } from '../server/types';

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function identity(aws: LocalAws, name: string) {
  const found = aws.identities.find((i) => i.name === name);
  if (!found) throw new Error(`no demo identity ${name}`);
  return found;
}

export function credentialsOf(aws: LocalAws, name: string): TestCredentials {
  const { accessKeyId, secretAccessKey, sessionToken } = identity(aws, name);
  return { accessKeyId, secretAccessKey, sessionToken };
}

export function stsClient(
  aws: LocalAws,
  credentials: TestCredentials,
  extra: { systemClockOffset?: number } = {},
): STSClient {
  return new STSClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1, ...extra });
}

export function cloudWatchClient(aws: LocalAws, credentials: TestCredentials): CloudWatchClient {
  return new CloudWatchClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });
}

/** The TOTP code of an identity's device at the endpoint clock, computed with otpauth. */
export function totpCode(aws: LocalAws, name: string, at = aws.clock.now()): string {
  return new TOTP({ secret: Secret.fromBase32(identity(aws, name).totpSeed), digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runAwsCli(aws: LocalAws, credentials: TestCredentials, args: string[]): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_DEFAULT_REGION: aws.region,
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/aws',
      ['--endpoint-url', aws.url, '--output', 'json', ...args],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** "An error occurred (Code) when calling …" → Code. */
export function cliErrorCode(result: CliResult): string | undefined {
  return /An error occurred \(([^)]+)\)/.exec(result.stderr)?.[1];
}

/** A stand-in CloudWatch ListMetrics (JSON and awsQuery) that authorizes via its context, as real handlers do. */
export const testListMetrics: ServiceHandler = (req, ctx) => {
  ctx.authorize('cloudwatch:ListMetrics');
  if (req.headers['x-amz-target']) {
    return jsonResponse(
      { Metrics: [{ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [] }] },
      ctx.requestId,
    );
  }
  const inner =
    '<Metrics><member><Namespace>AWS/EC2</Namespace><MetricName>CPUUtilization</MetricName><Dimensions/></member></Metrics>';
  return queryResponse('ListMetrics', inner, ctx.requestId, xmlNamespaces.monitoring);
};
