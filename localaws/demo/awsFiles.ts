// Shared AWS config + credentials files for the demo identities: one profile per identity,
// named demo-<name> (demo-employee, demo-sso, …), with the region and the MFA serial. No
// endpoint in the files: AWS CLI 2.9 ignores endpoint_url there, so callers pass the
// endpoint themselves. The keys written are the DEMO-ONLY ones from iam/identities.ts.
// The config also holds the demo's IAM Identity Center sign-in: an sso-session and the
// demo-identity-center profile that uses it (no keys: its token comes from signing in).

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoSsoAccountId, demoSsoRegion, demoSsoStartUrl } from '../sso/directory';

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

export const demoSsoSessionName = 'infrawatch-demo';
export const demoSsoProfileName = 'demo-identity-center';

/**
 * The sso-session / profile pair `aws configure sso` writes; sso_registration_scopes asks for
 * the refresh-token flow. https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html
 */
export function renderSsoConfig(): string {
  return (
    [
      `[sso-session ${demoSsoSessionName}]`,
      `sso_start_url = ${demoSsoStartUrl}`,
      `sso_region = ${demoSsoRegion}`,
      'sso_registration_scopes = sso:account:access',
      '',
      `[profile ${demoSsoProfileName}]`,
      `sso_session = ${demoSsoSessionName}`,
      `sso_account_id = ${demoSsoAccountId}`,
      'sso_role_name = Developer',
      `region = ${demoSsoRegion}`,
      'output = json',
    ].join('\n') + '\n'
  );
}

export function renderAwsConfig(aws: AwsFilesSource): string {
  return (
    aws.identities
      .map((i) =>
        [
          `[profile ${profileName(i.name)}]`,
          `region = ${aws.region}`,
          'output = json',
          ...(i.mfaSerial ? [`mfa_serial = ${i.mfaSerial}`] : []),
        ].join('\n'),
      )
      .join('\n\n') +
    '\n\n' +
    renderSsoConfig()
  );
}

export function renderAwsCredentials(aws: AwsFilesSource): string {
  return (
    aws.identities
      .map((i) =>
        [
          `[${profileName(i.name)}]`,
          `aws_access_key_id = ${i.accessKeyId}`,
          `aws_secret_access_key = ${i.secretAccessKey}`,
          ...(i.sessionToken ? [`aws_session_token = ${i.sessionToken}`] : []),
        ].join('\n'),
      )
      .join('\n\n') + '\n'
  );
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
