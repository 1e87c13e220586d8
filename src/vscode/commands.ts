import * as vscode from 'vscode';
import { type AccessLevel, type ServiceId, getService } from '../core/catalog';
import { type Resource } from '../core/discovery';
import { InfraWatchError } from '../core/errors';
import { type Log } from '../core/ports';
import { type LastAnswers } from '../core/renew';
import { getStarterPolicy } from '../core/starterPolicy';
import { type AccessController } from './accessController';
import { getProfileName, listProfiles } from './baseCredentials';
import { type CommandId, commandIds } from './commandIds';
import { getSettings } from './config';
import { type PanelManager } from './panels/panelManager';
import { locatePolicy, workspacePolicyPath } from './policySource';
import { pickAllowedService } from './pickService';
import { copyExportLines, resolveSession, revokeSession, showSessions } from './sessions/sessionCommands';
import { type SessionService } from './sessions/sessionService';
import { openSessionTerminal } from './sessions/terminals';
import { type Node } from './tree';

export interface CommandDeps {
  controller: AccessController;
  log: Log & { show(): void };
  panels: PanelManager;
  sessions: SessionService;
}

type Handlers = Record<CommandId, (...args: unknown[]) => unknown>;

/** `{ confirm: false }` as a command argument: the caller (a script, a test) already confirmed. */
const isNoConfirm = (options: unknown): boolean => (options as { confirm?: unknown } | undefined)?.confirm === false;

function createHandlers({ controller, log, panels, sessions }: CommandDeps): Handlers {
  return {
    [commandIds.refresh]: () => controller.refresh(),
    [commandIds.switchProfile]: () => switchProfile(),
    [commandIds.openPolicy]: () => openPolicy(),
    [commandIds.createPolicy]: () => createPolicy(controller),
    [commandIds.copyIdentityArn]: () => copyIdentityArn(controller),
    [commandIds.showLog]: () => log.show(),
    [commandIds.openMetrics]: async (node) => {
      const target = await getMonitorTarget(controller, node);
      if (target) panels.openMetrics(target.service, target.resource);
    },
    [commandIds.openLogs]: async (node) => {
      const target = await getMonitorTarget(controller, node);
      if (target) await panels.openLogs(target.service, target.resource);
    },
    [commandIds.requestAccess]: (node) => requestAccess(sessions, node),
    [commandIds.openTerminal]: async (arg) => {
      const session = await resolveSession(sessions, arg, 'A terminal for which session?');
      if (session) await openSessionTerminal(sessions, session);
    },
    [commandIds.showSessions]: () => showSessions(sessions),
    [commandIds.renewSession]: async (arg) => {
      const session = await resolveSession(sessions, arg, 'Renew which session?');
      if (session) await sessions.request({ service: session.service, level: session.level }, { renew: true });
    },
    [commandIds.revokeSession]: async (arg, options) => {
      const session = await resolveSession(sessions, arg, 'Revoke which session?');
      if (session) await revokeSession(sessions, session, isNoConfirm(options) ? { confirm: false } : {});
    },
    [commandIds.copyExportLines]: async (arg) => {
      const session = await resolveSession(sessions, arg, 'Export lines for which session?');
      if (session) await copyExportLines(sessions, session);
    },
  };
}

const actionNames: Record<CommandId, string> = {
  [commandIds.refresh]: 'Refreshing',
  [commandIds.switchProfile]: 'Switching profile',
  [commandIds.openPolicy]: 'Opening the access policy',
  [commandIds.createPolicy]: 'Creating the access policy',
  [commandIds.copyIdentityArn]: 'Copying your ARN',
  [commandIds.showLog]: 'Showing the log',
  [commandIds.openMetrics]: 'Opening metrics',
  [commandIds.openLogs]: 'Opening logs',
  [commandIds.requestAccess]: 'Requesting access',
  [commandIds.openTerminal]: 'Opening a terminal',
  [commandIds.showSessions]: 'Showing sessions',
  [commandIds.renewSession]: 'Renewing the session',
  [commandIds.revokeSession]: 'Revoking the session',
  [commandIds.copyExportLines]: 'Copying export lines',
};

/** Registers every command through the error funnel. */
export function registerCommands(deps: CommandDeps, run: (action: string, work: () => unknown) => Promise<unknown>): vscode.Disposable[] {
  const handlers = createHandlers(deps);
  return (Object.keys(handlers) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => run(actionNames[id], () => handlers[id](...args))),
  );
}

async function switchProfile(): Promise<void> {
  const current = getProfileName(getSettings());
  const profiles = await listProfiles();
  if (profiles.length === 0) {
    throw new InfraWatchError('NoCredentials', 'Switching profile failed: no profiles in the AWS config or credentials files');
  }
  const picked = await vscode.window.showQuickPick(
    profiles.map((name) => ({ label: name, description: name === current ? 'current' : undefined })),
    { title: 'InfraWatch: Switch AWS Profile', placeHolder: 'The AWS profile that identifies you', ignoreFocusOut: true },
  );
  if (!picked || picked.label === current) return;
  // A user (machine-scoped) setting: a workspace must not be able to choose who you are.
  await vscode.workspace.getConfiguration('infrawatch').update('profile', picked.label, vscode.ConfigurationTarget.Global);
}

async function openPolicy(): Promise<void> {
  const located = locatePolicy(getSettings());
  if (!located) throw new InfraWatchError('NoPolicy', 'Opening the access policy failed: open a folder or set infrawatch.policyPath');
  try {
    await vscode.window.showTextDocument(located.uri);
  } catch (error) {
    throw new InfraWatchError('NoPolicy', `Opening the access policy failed: ${located.uri.fsPath} does not exist`, { cause: error });
  }
}

async function createPolicy(controller: AccessController): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new InfraWatchError('NoPolicy', 'Creating the access policy failed: open a folder first');
  const uri = vscode.Uri.joinPath(folder.uri, workspacePolicyPath);
  const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
  if (!exists) {
    const state = controller.state;
    const caller = state.kind === 'ready' || state.kind === 'noRole' ? state.identity : undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(getStarterPolicy(caller, controller.region)));
  }
  await vscode.window.showTextDocument(uri);
  await controller.refresh();
}

async function copyIdentityArn(controller: AccessController): Promise<void> {
  const state = controller.state;
  if (state.kind !== 'ready' && state.kind !== 'noRole') {
    throw new InfraWatchError('NoCredentials', 'Copying your ARN failed: InfraWatch has not identified you yet');
  }
  await vscode.env.clipboard.writeText(state.identity.arn);
  void vscode.window.showInformationMessage(`Copied ${state.identity.arn}`);
}

/** The service (and resource) a monitoring command acts on: the tree node, else a pick. */
async function getMonitorTarget(controller: AccessController, node: unknown): Promise<{ service: ServiceId; resource?: Resource } | undefined> {
  const n = node as Node | undefined;
  if (n?.kind === 'resource') return { service: n.service, resource: n.resource };
  if (n?.kind === 'service') return { service: n.service };
  const service = await pickAllowedService(controller, 'Which service\'s metrics?');
  return service ? { service } : undefined;
}

/** From the palette, the tree (a service node) or a panel (service id): ask, grant, offer a terminal. */
async function requestAccess(sessions: SessionService, arg: unknown): Promise<void> {
  const node = arg as { kind?: string; service?: ServiceId; level?: AccessLevel; again?: LastAnswers } | undefined;
  const preset = node?.kind === 'service' ? { service: node.service, level: node.level } : typeof arg === 'string' ? { service: arg as ServiceId } : {};
  // "Request Again" after expiry carries the last answers: only the MFA code is asked.
  const session = await sessions.request(preset, node?.kind === 'service' && node.again ? { reuse: node.again } : {});
  if (!session) return;
  const until = new Date(session.credentials.expiration).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const picked = await vscode.window.showInformationMessage(`${getService(session.service).displayName} ${session.level} access granted until ${until}. New terminals have it.`, 'Open Terminal');
  if (picked) await openSessionTerminal(sessions, session);
}
