import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type AwsClients } from '../core/awsClients';
import { loadAwsSdk } from '../core/loadAwsSdk';
import { pickRegion } from '../core/region';
import { type Settings } from './config';

/**
 * An identity signed in from the editor ("Sign In with IAM Identity Center"): while set, it
 * is the base identity instead of the profile's default chain. Held in memory only.
 */
export interface SignedInIdentity {
  credentials: AwsCredentialIdentityProvider;
  /** The Identity Center Region, used when neither the setting nor the policy names one. */
  region: string;
  /** e.g. "Developer in 111122223333", for the log. */
  label: string;
}

let signedIn: SignedInIdentity | undefined;

export function setSignedInIdentity(identity: SignedInIdentity | undefined): void {
  signedIn = identity;
}

export function getSignedInIdentity(): SignedInIdentity | undefined {
  return signedIn;
}

/** The profile in force: the setting, else AWS_PROFILE, else "default" (as the SDK does). */
export function getProfileName(settings: Settings): string {
  return settings.profile || process.env.AWS_PROFILE || 'default';
}

/** Every profile named in the shared config and credentials files. */
export async function listProfiles(): Promise<string[]> {
  const { loadSharedConfigFiles } = await loadAwsSdk();
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  return [...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)])].sort();
}

async function getProfileRegion(profile: string): Promise<string | undefined> {
  try {
    const { loadSharedConfigFiles } = await loadAwsSdk();
    const files = await loadSharedConfigFiles({ ignoreCache: true });
    return files.configFile[profile]?.region;
  } catch {
    return undefined; // unreadable config: the other region sources still apply
  }
}

/** Clients signed with the base credentials from the SDK default chain for the profile. */
export async function createBaseClients(
  settings: Settings,
  policyRegion?: string,
  options: { maxAttempts?: number } = {},
): Promise<{ clients: AwsClients; region: string }> {
  const profile = getProfileName(settings);
  const region = pickRegion({
    setting: settings.region,
    policy: policyRegion,
    profile: signedIn ? signedIn.region : await getProfileRegion(profile),
    environment: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
  });
  const sdk = await loadAwsSdk();
  const credentials = signedIn?.credentials ?? sdk.createDefaultCredentials(settings.profile || undefined);
  const clients = sdk.createAwsClients({
    region,
    credentials,
    ...options,
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
  });
  return { clients, region };
}
