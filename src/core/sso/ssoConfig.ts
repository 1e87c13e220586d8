// What the user's AWS config offers for Identity Center, and the sections InfraWatch may
// add to it when the user asks. Only sso-session profiles are offered by name; a legacy
// profile (sso_start_url on the profile) still works through its start URL.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html
import { type SsoSession } from './portal';

type Sections = Record<string, Record<string, string | undefined> | undefined>;

export interface SsoChoice {
  /** What the quick pick shows. */
  label: string;
  description: string;
  session: SsoSession;
  /** The profile it came from, when it names an account and permission set. */
  profile?: { name: string; accountId?: string; roleName?: string };
}

/** Sessions ([sso-session x]) and the profiles that use them, from the parsed config file. */
export function getSsoChoices(profiles: Sections, ssoSessions: Sections): SsoChoice[] {
  const choices: SsoChoice[] = [];
  for (const [name, values] of Object.entries(ssoSessions)) {
    const session = toSession(name, values);
    if (session)
      choices.push({ label: `sso-session ${name}`, description: `${session.startUrl} (${session.region})`, session });
  }
  for (const [name, values] of Object.entries(profiles)) {
    const sessionName = values?.sso_session;
    const session = sessionName ? toSession(sessionName, ssoSessions[sessionName]) : legacySession(values);
    if (!session) continue;
    const accountId = values?.sso_account_id;
    const roleName = values?.sso_role_name;
    const detail = accountId && roleName ? `${roleName} in ${accountId}` : session.startUrl;
    choices.push({
      label: `profile ${name}`,
      description: detail,
      session,
      profile: { name, ...(accountId ? { accountId } : {}), ...(roleName ? { roleName } : {}) },
    });
  }
  return choices;
}

function toSession(name: string, values: Record<string, string | undefined> | undefined): SsoSession | undefined {
  const startUrl = values?.sso_start_url;
  const region = values?.sso_region;
  return startUrl && region ? { name, startUrl, region } : undefined;
}

function legacySession(values: Record<string, string | undefined> | undefined): SsoSession | undefined {
  const startUrl = values?.sso_start_url;
  const region = values?.sso_region;
  return startUrl && region ? { startUrl, region } : undefined;
}

// Values go into INI lines: nothing that could end a line or open a section.
const safeValue = /^[\w.:/@+=,-]+$/;
const safeName = /^[\w.@+-]+$/;

export interface ConfigAddition {
  sessionName: string;
  startUrl: string;
  region: string;
  profileName: string;
  accountId: string;
  roleName: string;
}

/**
 * The text to append to the config file for an [sso-session] and a [profile] using it, or
 * undefined for each section already there (the user's sections are never rewritten).
 */
export function getConfigAddition(existing: string, add: ConfigAddition): string | undefined {
  for (const [key, value] of Object.entries(add)) {
    const shape = key.endsWith('Name') && key !== 'roleName' ? safeName : safeValue;
    if (!shape.test(value))
      throw new Error(`Not written to the AWS config: ${key} has characters a config file cannot hold.`);
  }
  const has = (header: string): boolean =>
    new RegExp(`^\\s*\\[\\s*${escapeRegExp(header).replace(/ /g, '\\s+')}\\s*\\]`, 'm').test(existing);
  const parts: string[] = [];
  if (!has(`sso-session ${add.sessionName}`)) {
    parts.push(
      `[sso-session ${add.sessionName}]\nsso_start_url = ${add.startUrl}\nsso_region = ${add.region}\nsso_registration_scopes = sso:account:access\n`,
    );
  }
  const profileHeader = add.profileName === 'default' ? 'default' : `profile ${add.profileName}`;
  if (!has(profileHeader)) {
    parts.push(
      `[${profileHeader}]\nsso_session = ${add.sessionName}\nsso_account_id = ${add.accountId}\nsso_role_name = ${add.roleName}\nregion = ${add.region}\n`,
    );
  }
  if (parts.length === 0) return undefined;
  const separator = existing.length === 0 || existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  return `${separator}${parts.join('\n')}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
