// Shared AWS config + credentials files for the demo identities: one profile per identity,
// named demo-<name> (demo-employee, demo-sso, …), with the region and the MFA serial. No
// endpoint in the files: AWS CLI 2.9 ignores endpoint_url there, so callers pass the
// endpoint themselves. The keys written are the DEMO-ONLY ones from identities.ts.

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AwsFilesIdentity {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  mfaSerial?: string;
}

export interface AwsFilesSource {
  url: string;
  region: string;
  identities: readonly AwsFilesIdentity[];
}

export interface AwsFiles {
  configFile: string;
  credentialsFile: string;
}

export function profileName(identityName: string): string {
  return `demo-${identityName}`;
}

export function renderAwsConfig(aws: AwsFilesSource): string {
  return aws.identities.map((i) => [
    `[profile ${profileName(i.name)}]`,
    `region = ${aws.region}`,
    'output = json',
    ...(i.mfaSerial ? [`mfa_serial = ${i.mfaSerial}`] : []),
  ].join('\n')).join('\n\n') + '\n';
}

export function renderAwsCredentials(aws: AwsFilesSource): string {
  return aws.identities.map((i) => [
    `[${profileName(i.name)}]`,
    `aws_access_key_id = ${i.accessKeyId}`,
    `aws_secret_access_key = ${i.secretAccessKey}`,
    ...(i.sessionToken ? [`aws_session_token = ${i.sessionToken}`] : []),
  ].join('\n')).join('\n\n') + '\n';
}

/** Writes `<dir>/config` and `<dir>/credentials` (mode 0600) and returns their paths. */
export function writeAwsConfigFiles(dir: string, aws: AwsFilesSource): AwsFiles {
  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(configFile, renderAwsConfig(aws), { mode: 0o600 });
  writeFileSync(credentialsFile, renderAwsCredentials(aws), { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  return { configFile, credentialsFile };
}
