// The AWS config and credentials files the delivered environments point at: one profile
// `infrawatch` with the region and no credentials. AWS_PROFILE cannot simply be emptied
// (the CLI then fails with "The config profile () could not be found"), so it names this
// profile instead, and the user's own ~/.aws files are out of the way.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InfraWatchError } from '../errors';

export const infrawatchProfile = 'infrawatch';

export interface ProfileFiles {
  configFile: string;
  credentialsFile: string;
}

export function getProfileFiles(configDir: string): ProfileFiles {
  return { configFile: join(configDir, 'aws-config'), credentialsFile: join(configDir, 'aws-credentials') };
}

const regionShape = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Contents of the config file; the region is checked so nothing can be injected into the INI. */
export function getConfigFileText(region: string): string {
  if (!regionShape.test(region))
    throw new InfraWatchError(
      'Validation',
      `Writing the AWS profile failed: not a region name: ${JSON.stringify(region)}`,
    );
  return `# Written by InfraWatch for its terminals and debug sessions. Credentials come from its endpoint.\n[profile ${infrawatchProfile}]\nregion = ${region}\n`;
}

// No "=" outside the section header: the legacy AWS_CREDENTIAL_FILE parser of botocore
// reads every "key=value" line of the file this also serves as.
export const credentialsFileText = `# Written by InfraWatch. No credentials are kept in this file.\n[${infrawatchProfile}]\n`;

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { encoding: 'utf8', mode: 0o600 });
  await rename(temp, path);
}

/** Writes (or rewrites) both files under configDir and returns their paths. */
export async function writeProfileFiles(configDir: string, region: string): Promise<ProfileFiles> {
  const files = getProfileFiles(configDir);
  const configText = getConfigFileText(region);
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  await writeAtomically(files.configFile, configText);
  await writeAtomically(files.credentialsFile, credentialsFileText);
  return files;
}
