// What, in the environment a terminal or debuggee inherits, would outrank the session.
// Every AWS client looks at static keys in the environment, web identity, profiles
// (their keys, credential_process, SSO, role_arn…) and the legacy botocore files before
// the container endpoint; only sources actually present are set aside, so a terminal's
// `env` shows nothing that was not there before. Checked per client in test/clients.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The texts of the files the inherited environment would make clients read. */
export interface AwsFileTexts {
  config?: string;
  credentials?: string;
  /** botocore's legacy boto-config provider: $BOTO_CONFIG, else /etc/boto.cfg and ~/.boto. */
  boto: string[];
}

export interface InheritedAws {
  env: Environment;
  files: AwsFileTexts;
}

/** Static keys: the standard names plus those the Go (AWS_ACCESS_KEY) and Ruby (AMAZON_*) SDKs also read. */
const staticKeyVariables = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AMAZON_ACCESS_KEY_ID',
  'AMAZON_SECRET_ACCESS_KEY',
  'AMAZON_SESSION_TOKEN',
] as const;
const webIdentityVariables = ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME'] as const;
const profileVariables = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const;

/** Profile keys that make a profile a credential source of its own. */
const credentialKeys = new Set([
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'credential_process',
  'role_arn',
  'source_profile',
  'credential_source',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
  'sso_account_id',
  'login_session',
]);

export interface ShadowingSources {
  staticKeys: string[];
  webIdentity: string[];
  profiles: string[];
  /** The default profile in the user's AWS files holds credentials of its own. */
  defaultProfileHasCredentials: boolean;
  /** botocore's ec2-credentials-file provider (AWS_CREDENTIAL_FILE). */
  legacyCredentialFile: boolean;
  /** A boto config with a [Credentials] section. */
  botoCredentials: boolean;
  /** Outranks the full URI in botocore even when empty; only removing it helps. */
  relativeUri: boolean;
  /** Read first by current clients; an inherited one would send another token. */
  tokenFile: boolean;
}

function present(env: Environment, names: readonly string[]): string[] {
  return names.filter((name) => env[name] !== undefined && env[name] !== '');
}

/** Section name → key names, for the INI dialect of the AWS files (comments with # or ;). */
export function getIniKeys(text: string): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = sections.get(header[1]!) ?? new Set<string>();
      sections.set(header[1]!, current);
    } else if (current && /^[A-Za-z_]/.test(raw)) {
      current.add(line.split('=')[0]!.trim().toLowerCase());
    }
  }
  return sections;
}

function hasCredentialKey(keys: Set<string> | undefined): boolean {
  return [...(keys ?? [])].some((key) => credentialKeys.has(key));
}

function defaultProfileHasCredentials(files: AwsFileTexts): boolean {
  const config = getIniKeys(files.config ?? '');
  const credentials = getIniKeys(files.credentials ?? '');
  return (
    hasCredentialKey(credentials.get('default')) ||
    hasCredentialKey(config.get('default')) ||
    hasCredentialKey(config.get('profile default'))
  );
}

export function getShadowingSources({ env, files }: InheritedAws): ShadowingSources {
  return {
    staticKeys: present(env, staticKeyVariables),
    webIdentity: present(env, webIdentityVariables),
    profiles: present(env, profileVariables),
    defaultProfileHasCredentials: defaultProfileHasCredentials(files),
    legacyCredentialFile: env.AWS_CREDENTIAL_FILE !== undefined,
    botoCredentials: files.boto.some((text) => getIniKeys(text).get('Credentials')?.has('aws_access_key_id') === true),
    relativeUri: env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI !== undefined,
    tokenFile: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE !== undefined,
  };
}

async function readIfThere(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined; // absent or unreadable: the clients cannot read it either
  }
}

function expandHome(path: string, home: string): string {
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** Reads the AWS files `env` points at (or their defaults under `home`). */
export async function readInheritedAws(env: Environment, home = homedir()): Promise<InheritedAws> {
  const config = env.AWS_CONFIG_FILE ? expandHome(env.AWS_CONFIG_FILE, home) : join(home, '.aws', 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE
    ? expandHome(env.AWS_SHARED_CREDENTIALS_FILE, home)
    : join(home, '.aws', 'credentials');
  const botoPaths =
    env.BOTO_CONFIG !== undefined ? [expandHome(env.BOTO_CONFIG, home)] : ['/etc/boto.cfg', join(home, '.boto')];
  const boto = (await Promise.all(botoPaths.map(readIfThere))).filter((t): t is string => t !== undefined);
  return { env, files: { config: await readIfThere(config), credentials: await readIfThere(credentials), boto } };
}
