// Environments for terminals and debuggees. Only what is needed is set: the endpoint (or,
// in the plain mode, the keys), the region, and replacements for exactly those inherited
// sources that would outrank the session (inheritedAws.ts). Nothing is ever set to an
// empty string where a client treats presence as meaningful: current botocore opens an
// empty AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, an empty AWS_PROFILE or
// AWS_CREDENTIAL_FILE breaks botocore, and an empty relative URI still outranks the full
// one. Every empty value below is one every client that reads the endpoint reads as
// absent (measured per client in test/clients; the Ruby SDK in Debian 12 cannot read the
// endpoint at all, and fails on an empty AWS_WEB_IDENTITY_TOKEN_FILE).
import { InfraWatchError } from '../errors';
import { type Session } from '../session';
import { getRfc3339 } from './containerCredentials';
import { type CredentialEndpoint } from './credentialServer';
import { type ShadowingSources } from './inheritedAws';
import { getProfileFiles, infrawatchProfile } from './profileFiles';

/** Variable → value to set, or null to remove it. */
export type EnvironmentChanges = Record<string, string | null>;

/**
 * `collection`: a terminal environment variable collection, which can only set values;
 * `process`: an environment handed over whole (a debug `env` map, createTerminal's env),
 * where null removes an inherited variable.
 */
export type EnvironmentTarget = 'collection' | 'process';

export interface EnvironmentInput {
  target: EnvironmentTarget;
  sources: ShadowingSources;
  region: string;
  /** Where writeProfileFiles() put the `infrawatch` profile. */
  configDir: string;
  /** AWS_ENDPOINT_URL for every client that reads it (the configured endpoint, if any). */
  endpointUrl?: string;
}

export interface ContainerEnvironmentInput extends EnvironmentInput {
  endpoint: CredentialEndpoint;
  /** A 0600 file holding the token: then the token itself is in no environment. */
  tokenFile?: string;
}

function unset(changes: EnvironmentChanges, names: readonly string[], target: EnvironmentTarget): void {
  for (const name of names) changes[name] = target === 'process' ? null : '';
}

function getCommonVariables(input: EnvironmentInput): EnvironmentChanges {
  return {
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    ...(input.endpointUrl ? { AWS_ENDPOINT_URL: input.endpointUrl } : {}),
  };
}

/**
 * An inherited AWS_PROFILE outranks the environment and the endpoint. Where it can be
 * removed it is; a collection can only replace it, so it then names the `infrawatch`
 * profile, which holds the region and no credentials, in files of our own.
 */
function setProfileAside(changes: EnvironmentChanges, input: EnvironmentInput, redirect: boolean): void {
  const { sources, target, configDir } = input;
  const files = getProfileFiles(configDir);
  const replaceProfile = sources.profiles.length > 0 && target === 'collection';
  if (redirect || replaceProfile) {
    changes.AWS_CONFIG_FILE = files.configFile;
    changes.AWS_SHARED_CREDENTIALS_FILE = files.credentialsFile;
  }
  for (const name of sources.profiles) changes[name] = replaceProfile ? infrawatchProfile : null;
}

function setEndpoint(changes: EnvironmentChanges, input: ContainerEnvironmentInput): void {
  changes.AWS_CONTAINER_CREDENTIALS_FULL_URI = input.endpoint.uri;
  if (input.tokenFile !== undefined) {
    changes.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = input.tokenFile;
  } else {
    changes.AWS_CONTAINER_AUTHORIZATION_TOKEN = input.endpoint.token;
    // Current clients read an inherited token file first; a collection cannot remove it,
    // so the caller passes a tokenFile of ours in that case.
    if (input.sources.tokenFile) changes.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = null;
  }
}

/** The default delivery: credentials fetched on demand from the loopback endpoint. */
export function getContainerEnvironment(input: ContainerEnvironmentInput): EnvironmentChanges {
  const { sources, target, configDir } = input;
  const files = getProfileFiles(configDir);
  const changes: EnvironmentChanges = {};
  unset(changes, sources.staticKeys, target);
  unset(changes, sources.webIdentity, target);
  setProfileAside(changes, input, sources.defaultProfileHasCredentials);
  // botocore's legacy providers run before the container provider; an empty
  // AWS_CREDENTIAL_FILE makes botocore fail, so it names our file without keys.
  if (sources.legacyCredentialFile) changes.AWS_CREDENTIAL_FILE = target === 'process' ? null : files.credentialsFile;
  if (sources.botoCredentials) changes.BOTO_CONFIG = files.credentialsFile;
  // Present, even empty, it outranks the full URI in botocore: only removing it helps,
  // which a collection cannot do (the terminal tab then says so: getUnremovable).
  if (sources.relativeUri) changes.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = null;
  setEndpoint(changes, input);
  return { ...changes, ...getCommonVariables(input) };
}

/**
 * The fallback for tools that do not read the endpoint: the credentials themselves.
 * SDK v3 for JavaScript and the Go SDK prefer a profile named by AWS_PROFILE to these
 * keys; where AWS_PROFILE cannot be removed (a collection), the endpoint is passed too,
 * so they reach the same session through it.
 */
export function getPlainEnvironment(
  session: Session,
  input: EnvironmentInput & { endpoint: CredentialEndpoint; tokenFile?: string },
): EnvironmentChanges {
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = session.credentials;
  const changes: EnvironmentChanges = {};
  // botocore reads AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN: a stale one must not win.
  if (input.sources.staticKeys.includes('AWS_SECURITY_TOKEN')) unset(changes, ['AWS_SECURITY_TOKEN'], input.target);
  setProfileAside(changes, input, false);
  if (input.sources.profiles.length > 0 && input.target === 'collection') setEndpoint(changes, input);
  return {
    ...changes,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
    AWS_CREDENTIAL_EXPIRATION: getRfc3339(expiration),
    ...getCommonVariables(input),
  };
}

/** Variables a collection would have to remove but cannot (so new terminals keep them). */
export function getUnremovable(changes: EnvironmentChanges): string[] {
  return Object.entries(changes)
    .filter(([, value]) => value === null)
    .map(([name]) => name);
}

/** A child-process environment: `base` with the changes applied (nulls removed). */
export function applyEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  changes: EnvironmentChanges,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) out[name] = value;
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** What a terminal gets from a collection: nulls cannot be expressed there and are skipped. */
export function applyCollection(
  base: Readonly<Record<string, string | undefined>>,
  changes: EnvironmentChanges,
): Record<string, string> {
  return applyEnvironment(base, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== null)));
}

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** POSIX shell single quoting: nothing inside is expanded; a quote becomes '\''. */
function getShellQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` / `unset NAME` lines for "Copy export lines". */
export function getExportLines(changes: EnvironmentChanges): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (!variableName.test(name))
      throw new InfraWatchError(
        'Validation',
        `Writing export lines failed: not a variable name: ${JSON.stringify(name)}`,
      );
    lines.push(value === null ? `unset ${name}` : `export ${name}=${getShellQuoted(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
