// Base identities from `aws login` (AWS CLI 2.32+): the console sign-in becomes a profile with
// `login_session = <the console identity>` and a token in ~/.aws/login/cache. The SDK's default
// chain reads such profiles itself (@aws-sdk/credential-provider-ini → credential-provider-login,
// in the pinned 3.1173 line), so InfraWatch only has to say clearly what to do when that token
// is missing or has ended: the SDK's own message names the cache file under the home folder.

import { InfraWatchError } from './errors';

/** A profile section of the shared config file, as the SDK's ini loader returns it. */
export type ProfileSection = Record<string, string | undefined>;

/** The profile's `login_session`, when it is an `aws login` profile. */
export function getLoginSession(section: ProfileSection | undefined): string | undefined {
  const value = section?.['login_session']?.trim();
  return value ? value : undefined;
}

/** The SDK's refusals for an `aws login` profile (credential-provider-login), told apart by their text. */
const loginFailures = [
  /Failed to load a token for session .*aws login/i,
  /Failed to load token from .+\.json/i,
  /Token validation failed, missing fields/i,
  /Failed to refresh token: .*aws login/i,
  /Token refresh response missing required fields/i,
];

/** Whether the error is the SDK failing to use an `aws login` profile's token. */
export function isLoginSessionError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return loginFailures.some((pattern) => pattern.test(text));
}

/**
 * What to do, without the SDK's text (it names the cache file's path under the home folder).
 * `profile` is the profile in force when known.
 */
export function toLoginSessionError(profile?: string): InfraWatchError {
  const command = profile && profile !== 'default' ? `aws login --profile ${profile}` : 'aws login';
  const which = profile ? `profile "${profile}"` : 'your AWS profile';
  return new InfraWatchError(
    'NoCredentials',
    `Your AWS console sign-in (${which} comes from \`aws login\`) is missing or has ended on this computer: run \`${command}\` in a terminal (AWS CLI 2.32 or later), then refresh InfraWatch`,
  );
}
