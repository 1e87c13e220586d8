// The local AWS endpoint plus the AWS config/credentials files that point at it, and a
// workspace holding the demo policy: what the in-host tier, the e2e tier and the demo
// all start from.
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAwsConfigFiles } from '../../localaws/demo/awsFiles';
import { startLocalAws } from '../../localaws/server/server';
import { demoPolicyPath, ensureDir } from './paths';

export const demoRegion = 'us-east-1';

export interface FixtureIdentity {
  name: string;
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  mfaSerial: string;
  totpSeed: string;
  label?: string;
}

export interface AwsFixture {
  url: string;
  port: number;
  identities: FixtureIdentity[];
  configFile: string;
  credentialsFile: string;
  /** What code-server (hence the extension host and its terminals) needs to find them. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the endpoint on `port` (0 = any free one) and writes the AWS files into `dir`. Its
 * JIT roles are the IAM kit's template for the demo policy (`npm run iam -- demo/policy.json`),
 * so the demo runs against exactly the roles an admin would deploy.
 */
export async function startAwsFixture(dir: string, port = 0): Promise<AwsFixture> {
  const aws = await startLocalAws({ port, roles: 'kit' });
  const identities = aws.identities as FixtureIdentity[];
  const { configFile, credentialsFile } = writeAwsConfigFiles(ensureDir(dir), {
    url: aws.url,
    region: demoRegion,
    identities: aws.identities,
  });
  return {
    url: aws.url,
    port: aws.port,
    identities,
    configFile,
    credentialsFile,
    env: {
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    // In-process: it also ends when this process does.
    close: async () => aws.close(),
  };
}

/** A workspace folder whose .infrawatch/policy.json is the demo policy. */
export function createWorkspace(dir: string, readme?: string): string {
  if (!existsSync(demoPolicyPath)) {
    throw new Error(`the demo policy is missing: expected ${demoPolicyPath}`);
  }
  ensureDir(join(dir, '.infrawatch'));
  copyFileSync(demoPolicyPath, join(dir, '.infrawatch', 'policy.json'));
  if (readme !== undefined) writeFileSync(join(dir, 'README.md'), readme);
  return dir;
}

/** The extension settings (machine scope, so they belong in the USER settings). */
export function getExtensionSettings(fixture: AwsFixture, profile = 'demo-employee'): Record<string, unknown> {
  return {
    'infrawatch.endpointUrl': fixture.url,
    'infrawatch.profile': profile,
    'infrawatch.region': demoRegion,
  };
}
