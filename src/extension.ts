import { hostname } from 'node:os';
import * as vscode from 'vscode';
import { type AccessSnapshot } from './core/accessSnapshot';
import { type AccessState } from './core/accessState';
import { getService } from './core/catalog';
import { countResourcesInAlarm } from './core/discovery';
import { systemClock } from './core/ports';
import { Redactor } from './core/redact';
import { describeWhereItRuns } from './core/whereItRuns';
import { AccessController } from './vscode/accessController';
import { commandIds } from './vscode/commandIds';
import { executeCommand, registerCommands } from './vscode/commandRegistry';
import { getSidebarCommandHandlers } from './vscode/commands';
import { runWithErrorHandling } from './vscode/errorFunnel';
import { stateContextKey, viewId } from './vscode/ids';
import { createLog } from './vscode/log';
import { registerSessions } from './vscode/sessions/registerSessions';
import { registerSignIn } from './vscode/signIn/registerSignIn';
import { getSessionLabel, keepTreeCountdown } from './vscode/sessions/sessionLabels';
import { type SessionService } from './vscode/sessions/sessionService';
import { registerPanelSerializers } from './vscode/panels/panelManager';
import { getAdminContextFrom, registerAdmin } from './vscode/admin/registerAdmin';
import { loadWhenShown, registerReloads } from './vscode/registerReloads';
import { AccessTree, type Node } from './vscode/tree';

/**
 * What activate() returns. The tree and state hold nothing secret; `sessions` (live
 * credentials, endpoint tokens, SecretStorage) is handed out only when the extension runs
 * under test or development, never to other extensions in a packaged install.
 */
export interface InfraWatchApi {
  refresh(): Promise<AccessState>;
  whenSettled(): Promise<AccessState>;
  getState(): AccessState;
  getChildren(node?: Node): Promise<{ node: Node; item: vscode.TreeItem }[]>;
  getBadge(): vscode.ViewBadge | undefined;
  sessions?: SessionService;
}

export function activate(context: vscode.ExtensionContext): InfraWatchApi {
  const redactor = new Redactor();
  const log = createLog(redactor);
  const where = describeWhereItRuns({
    host: hostname(),
    remoteName: vscode.env.remoteName,
    workspaceSide: context.extension.extensionKind === vscode.ExtensionKind.Workspace,
  });
  log[where.level](where.message);
  const controller = new AccessController(log);
  const run = (action: string, work: () => unknown): Promise<unknown> => runWithErrorHandling(action, log, work);
  const { sessions, commands: sessionCommands } = registerSessions(context, {
    controller,
    log,
    redactor,
    clock: systemClock,
  });
  const signInCommands = registerSignIn(context, { controller, log, redactor, clock: systemClock });
  const tree = new AccessTree(controller, (service) => getSessionLabel(sessions, systemClock, service));
  const view = vscode.window.createTreeView(viewId, { treeDataProvider: tree, showCollapseAll: true });
  const panels = registerPanelSerializers(context, {
    extensionUri: context.extensionUri,
    log,
    getClients: () => controller.getClients(),
    getAlarms: () => {
      const { alarms } = controller.snapshot;
      return alarms.kind === 'ok' ? alarms.alarms : [];
    },
    getResources: (service) => controller.getResources(service),
    requestAccess: (service) => executeCommand(commandIds.requestAccess, { kind: 'service', service }),
    onError: (action, error) =>
      void run(action, () => {
        throw error;
      }),
  });
  context.subscriptions.push(
    log,
    controller,
    tree,
    view,
    keepTreeCountdown(sessions, () => tree.redraw()),
    registerReloads(controller, run),
    controller.onDidChange((snapshot) => updateBadge(view, snapshot)),
    loadWhenShown(view, () => void run('Loading InfraWatch', () => controller.refresh())),
  );
  const adminCommands = registerAdmin(context, {
    log,
    run,
    onDidChange: controller.onDidChange,
    getAdminContext: getAdminContextFrom(controller, context.globalStorageUri.fsPath),
  });
  const commands = {
    ...getSidebarCommandHandlers({ controller, log, panels }),
    ...sessionCommands,
    ...signInCommands,
    ...adminCommands,
  };
  // Every command, once, through the error funnel: the type refuses a map that misses one.
  context.subscriptions.push(...registerCommands(commands, run));
  void vscode.commands.executeCommand('setContext', stateContextKey, 'loading');
  return {
    refresh: async () => (await controller.refresh()).state,
    whenSettled: async () => (await controller.whenSettled()).state,
    getState: () => controller.snapshot.state,
    getBadge: () => view.badge,
    ...(context.extensionMode === vscode.ExtensionMode.Production ? {} : { sessions }),
    getChildren: async (node) => {
      const nodes = (await tree.getChildren(node)) ?? [];
      return nodes.map((n) => ({ node: n, item: tree.getTreeItem(n) }));
    },
  };
}

/** The view's badge counts the resources in ALARM among the services the role allows. */
function updateBadge(view: vscode.TreeView<Node>, { state, alarms }: AccessSnapshot): void {
  const count =
    state.kind === 'ready' && alarms.kind === 'ok'
      ? countResourcesInAlarm(state.access.services.map(getService), alarms.alarms)
      : 0;
  view.badge = count > 0 ? { value: count, tooltip: `${count} resource${count === 1 ? '' : 's'} in alarm` } : undefined;
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
