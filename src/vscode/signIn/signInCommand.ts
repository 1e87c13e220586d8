// "InfraWatch: Sign In with IAM Identity Center": where to sign in (an sso-session or
// profile from the AWS config, or a start URL and Region), the device authorization (the
// code, a button that opens the verification page), the account and permission set, and
// then that permission set is the base identity. A valid cached token (e.g. from
// `aws sso login`) is reused without the device flow.
import { readFile, appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { InfraWatchError, fromAwsError } from '../../core/errors';
import { type AwsSdk, loadAwsSdk } from '../../core/loadAwsSdk';
import { type Clock, type Log } from '../../core/ports';
import { type Redactor } from '../../core/redact';
import { type DeviceAuthorization, type SsoSession, listAccountRoles, listAccounts } from '../../core/sso/portal';
import { type SignInPorts, SsoSignIn } from '../../core/sso/signedIn';
import { getConfigAddition, getSsoChoices, type SsoChoice } from '../../core/sso/ssoConfig';
import { getSettings } from '../config';
import { back, inputStep, pickStep } from '../quickInput';
import { type SignInService } from './signInService';

const title = 'InfraWatch: Sign In with IAM Identity Center';
const startUrlShape = /^https:\/\/[^\s/]+(\/[^\s]*)?$/;
const regionShape = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const sessionNameShape = /^[\w.@+-]+$/;

export interface SignInDeps {
  service: SignInService;
  log: Log;
  redactor: Redactor;
  clock: Clock;
}

export async function signInWithIdentityCenter(deps: SignInDeps): Promise<void> {
  const choice = await pickSession();
  const signIn = await getSignIn(choice.session, deps);
  const { accountId, roleName } = await pickRole(signIn, choice).catch((error: unknown) => {
    signIn.clients.dispose(); // not becoming it: its clients go (the cached token stays for next time)
    throw error;
  });
  await deps.service.become({ signIn, accountId, roleName });
  if (!choice.profile?.accountId && choice.session.name) await offerProfile(choice.session, accountId, roleName);
  void vscode.window.showInformationMessage(`Signed in with IAM Identity Center as ${roleName} in ${accountId}.`);
}

type SessionItem = vscode.QuickPickItem & { choice?: SsoChoice };

interface PickedSession {
  session: SsoSession;
  profile?: SsoChoice['profile'];
}

async function pickSession(): Promise<PickedSession> {
  const choices = await readChoices();
  const enter: SessionItem = {
    label: '$(edit) Enter a start URL…',
    description: 'the AWS access portal URL your admin gave you',
  };
  const items: SessionItem[] = [
    ...choices.map((c) => ({ label: c.label, description: c.description, choice: c })),
    enter,
  ];
  for (;;) {
    const picked =
      choices.length === 0
        ? enter
        : await pickStep({
            title,
            step: 1,
            totalSteps: 4,
            canGoBack: false,
            placeholder: 'Sign in with which sso-session or profile?',
            items,
          });
    if (picked === back) continue;
    if (picked.choice)
      return { session: picked.choice.session, ...(picked.choice.profile ? { profile: picked.choice.profile } : {}) };
    const entered = await enterSession(choices.length > 0);
    if (entered) return { session: entered };
  }
}

async function readChoices(): Promise<SsoChoice[]> {
  try {
    const { loadSharedConfigFiles, loadSsoSessionData } = await loadAwsSdk();
    const [files, sessions] = await Promise.all([loadSharedConfigFiles({ ignoreCache: true }), loadSsoSessionData()]);
    return getSsoChoices(files.configFile, sessions);
  } catch {
    return []; // an unreadable config leaves the start URL to type
  }
}

/** Start URL, Region and a name for the sso-session (the cache file is keyed by it). */
async function enterSession(canGoBack: boolean): Promise<SsoSession | undefined> {
  const startUrl = await inputStep({
    title,
    step: 1,
    totalSteps: 4,
    canGoBack,
    placeholder: 'https://my-company.awsapps.com/start',
    prompt: 'The start URL of your AWS access portal',
    validate: (v) =>
      startUrlShape.test(v.trim()) ? undefined : 'An https:// URL, e.g. https://my-company.awsapps.com/start',
  });
  if (startUrl === back) return undefined;
  const region = await inputStep({
    title,
    step: 2,
    totalSteps: 4,
    canGoBack: true,
    placeholder: 'us-east-1',
    prompt: 'The Region of your IAM Identity Center instance',
    value: getSettings().region || 'us-east-1',
    validate: (v) => (regionShape.test(v.trim()) ? undefined : 'A Region name, e.g. us-east-1'),
  });
  if (region === back) return undefined;
  const suggested = new URL(startUrl.trim()).hostname.split('.')[0] ?? 'sso';
  const name = await inputStep({
    title,
    step: 2,
    totalSteps: 4,
    canGoBack: true,
    placeholder: suggested,
    value: suggested,
    prompt: 'A name for this sign-in (the sso-session name the AWS CLI knows it by)',
    validate: (v) => (sessionNameShape.test(v.trim()) ? undefined : 'Letters, digits and . _ - @ + only'),
  });
  if (name === back) return undefined;
  return { name: name.trim(), startUrl: startUrl.trim(), region: region.trim() };
}

function getPorts(session: SsoSession, deps: SignInDeps, sdk: AwsSdk): SignInPorts {
  const endpoint = getSettings().endpointUrl;
  return {
    clients: sdk.createSsoClients({ region: session.region, ...(endpoint ? { endpoint } : {}) }),
    clock: deps.clock,
    homeDir: sdk.getHomeDir(),
    onSecret: (secret) => deps.redactor.add(secret),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      }),
  };
}

async function getSignIn(session: SsoSession, deps: SignInDeps): Promise<SsoSignIn> {
  const ports = getPorts(session, deps, await loadAwsSdk());
  try {
    const cached = await SsoSignIn.fromCache(session, ports);
    if (cached) {
      deps.log.info(`Reusing the cached IAM Identity Center sign-in for ${session.name ?? session.startUrl}.`);
      return cached;
    }
    return await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Waiting for you to approve the sign-in in the browser…',
        cancellable: true,
      },
      (_progress, cancel) => {
        const abort = new AbortController();
        cancel.onCancellationRequested(() => abort.abort());
        return SsoSignIn.signIn(session, ports, (authorization) => showCode(authorization, abort), abort.signal);
      },
    );
  } catch (error) {
    ports.clients.dispose();
    throw error instanceof InfraWatchError ? error : fromAwsError(error, 'Signing in with IAM Identity Center');
  }
}

/** The user code and a button that opens the verification page (code filled in). */
function showCode(authorization: DeviceAuthorization, abort: AbortController): void {
  const page = authorization.verificationUriComplete ?? authorization.verificationUri;
  const open = 'Open Sign-In Page';
  const copy = 'Copy Code';
  const ask = (): void => {
    void vscode.window
      .showInformationMessage(
        // Worded without "sign in": workbench noise filters (and people) skim past those toasts.
        `IAM Identity Center: your code is ${authorization.userCode}. Open the page, check that it shows this code, then allow access.`,
        open,
        copy,
      )
      .then(async (picked) => {
        if (abort.signal.aborted) return;
        if (picked === open) await vscode.env.openExternal(vscode.Uri.parse(page, true));
        else if (picked === copy) {
          await vscode.env.clipboard.writeText(authorization.userCode);
          ask(); // keep the way to the page at hand
        }
      });
  };
  ask();
}

async function pickRole(signIn: SsoSignIn, choice: PickedSession): Promise<{ accountId: string; roleName: string }> {
  const token = await signIn.getAccessToken();
  const { clients } = signIn;
  if (choice.profile?.accountId && choice.profile.roleName)
    return { accountId: choice.profile.accountId, roleName: choice.profile.roleName };
  const accounts = await listAccounts(clients, token).catch((e: unknown) => {
    throw fromAwsError(e, 'Listing your AWS accounts');
  });
  if (accounts.length === 0)
    throw new InfraWatchError('AccessDenied', 'Your IAM Identity Center user is assigned to no AWS account.');
  for (;;) {
    // Shown even for one account: the user sees where the sign-in leads before becoming it.
    const account = await pickStep({
      title,
      step: 3,
      totalSteps: 4,
      canGoBack: false,
      placeholder: 'Which AWS account?',
      items: accounts.map((a) => ({
        label: a.accountName ?? a.accountId,
        description: a.accountId,
        detail: a.emailAddress,
        accountId: a.accountId,
      })),
    });
    if (account === back) continue;
    const roles = await listAccountRoles(clients, token, account.accountId).catch((e: unknown) => {
      throw fromAwsError(e, 'Listing your permission sets');
    });
    if (roles.length === 0)
      throw new InfraWatchError('AccessDenied', `You may use no permission set in ${account.accountId}.`);
    const role = await pickStep({
      title,
      step: 4,
      totalSteps: 4,
      canGoBack: true,
      placeholder: `Which permission set in ${account.accountId}?`,
      items: roles.map((r) => ({ label: r, description: account.accountId })),
    });
    if (role === back) continue;
    return { accountId: account.accountId, roleName: role.label };
  }
}

/** Only when the user says so: the [sso-session] and a profile in the AWS config, appended, never rewritten. */
async function offerProfile(session: SsoSession, accountId: string, roleName: string): Promise<void> {
  const profileName = `${session.name}-${roleName}`.replace(/[^\w.@+-]/g, '-');
  const add = 'Add Profile';
  const picked = await vscode.window.showInformationMessage(
    `Add the profile "${profileName}" (sso-session "${session.name}") to your AWS config, so the AWS CLI and SDKs use this sign-in too?`,
    add,
    'Not Now',
  );
  if (picked !== add || !session.name) return;
  const path = process.env.AWS_CONFIG_FILE || join((await loadAwsSdk()).getHomeDir(), '.aws', 'config');
  const existing = await readFile(path, 'utf8').catch(() => '');
  const text = getConfigAddition(existing, {
    sessionName: session.name,
    startUrl: session.startUrl,
    region: session.region,
    profileName,
    accountId,
    roleName,
  });
  if (!text) {
    void vscode.window.showInformationMessage(`Your AWS config already has these sections; it was left as it is.`);
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, text, { encoding: 'utf8', mode: 0o600 });
  void vscode.window.showInformationMessage(`Added the profile "${profileName}" to ${path}.`);
}
