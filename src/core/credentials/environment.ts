// Environments for terminals and debuggees (DESIGN §5). A value of null means "remove
// this variable" (the debug `env` map semantics): an empty AWS_CONTAINER_CREDENTIALS_
// RELATIVE_URI still wins over the full URI in the CLI, and an empty AWS_PROFILE breaks
// the CLI, so some variables must be absent rather than empty. Verified with AWS CLI 2.9
// and SDK v3 in test/integration/credentialServerSdk.test.ts.
import { InfraWatchError } from '../errors';
import { type Session } from '../session';
import { getRfc3339 } from './containerCredentials';
import { type CredentialEndpoint } from './credentialServer';
import { getProfileFiles, infrawatchProfile } from './profileFiles';

/** Variable → value to set, or null to remove it. */
export type EnvironmentChanges = Record<string, string | null>;

export interface ContainerEnvironmentInput extends CredentialEndpoint {
  region: string;
  /** Where writeProfileFiles() put the `infrawatch` profile. */
  configDir: string;
}

function getRegionVariables(region: string): EnvironmentChanges {
  return { AWS_REGION: region, AWS_DEFAULT_REGION: region };
}

/** Everything that outranks or disturbs the container and environment providers. */
function getNeutralisedVariables(configDir: string): EnvironmentChanges {
  const files = getProfileFiles(configDir);
  return {
    AWS_CONFIG_FILE: files.configFile,
    AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
    // botocore's legacy EC2 and boto2 providers run before the container provider.
    AWS_CREDENTIAL_FILE: files.credentialsFile,
    BOTO_CONFIG: files.credentialsFile,
    AWS_WEB_IDENTITY_TOKEN_FILE: '',
    AWS_ROLE_ARN: '',
    AWS_ROLE_SESSION_NAME: '',
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: null,
    // Never wait on an instance metadata service that is not there.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The default delivery: credentials fetched on demand from the loopback endpoint. */
export function getContainerEnvironment(input: ContainerEnvironmentInput): EnvironmentChanges {
  return {
    ...getNeutralisedVariables(input.configDir),
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_SECURITY_TOKEN: '',
    AWS_CREDENTIAL_EXPIRATION: '',
    AWS_PROFILE: infrawatchProfile,
    AWS_DEFAULT_PROFILE: infrawatchProfile,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: input.uri,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: input.token,
    ...getRegionVariables(input.region),
  };
}

/**
 * The fallback for tools that do not read the endpoint: the credentials themselves.
 * SDK v3 for JavaScript ignores AWS_ACCESS_KEY_ID whenever AWS_PROFILE is set, so
 * AWS_PROFILE is removed; where removing is impossible (a terminal environment
 * collection can only replace), pass the endpoint too: AWS_PROFILE then names the
 * `infrawatch` profile and SDK v3 falls through to the endpoint for the same session.
 */
export function getPlainEnvironment(session: Session, configDir: string, endpoint?: CredentialEndpoint): EnvironmentChanges {
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = session.credentials;
  const base = endpoint === undefined
    ? { ...getNeutralisedVariables(configDir), AWS_PROFILE: null, AWS_DEFAULT_PROFILE: null }
    : getContainerEnvironment({ ...endpoint, region: session.region, configDir });
  return {
    ...base,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
    // botocore reads AWS_SECURITY_TOKEN first: a stale one must not win.
    AWS_SECURITY_TOKEN: '',
    AWS_CREDENTIAL_EXPIRATION: getRfc3339(expiration),
    ...getRegionVariables(session.region),
  };
}

/** A child-process environment: `base` with the changes applied (nulls removed). */
export function applyEnvironment(base: Readonly<Record<string, string | undefined>>, changes: EnvironmentChanges): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) out[name] = value;
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete out[name];
    else out[name] = value;
  }
  return out;
}

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** POSIX shell single quoting: nothing inside is expanded; a quote becomes '\''. */
export function getShellQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` / `unset NAME` lines for "Copy export lines". */
export function getExportLines(changes: EnvironmentChanges): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (!variableName.test(name)) throw new InfraWatchError('Validation', `Writing export lines failed: not a variable name: ${JSON.stringify(name)}`);
    lines.push(value === null ? `unset ${name}` : `export ${name}=${getShellQuoted(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
