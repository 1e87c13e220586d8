import * as vscode from 'vscode';
import { type AccessState } from './core/accessState';
import { Redactor } from './core/redact';
import { AccessController } from './vscode/accessController';
import { registerCommands } from './vscode/commands';
import { onDidChangeSettings, getSettings } from './vscode/config';
import { runWithErrorHandling } from './vscode/errorFunnel';
import { viewId } from './vscode/ids';
import { createLog } from './vscode/log';
import { watchPolicy } from './vscode/policySource';
import { AccessTree, type Node } from './vscode/tree';

/** What activate() returns: used by the in-host tests, and a seam for other extensions. */
export interface InfraWatchApi {
  refresh(): Promise<AccessState>;
  whenSettled(): Promise<AccessState>;
  getState(): AccessState;
  getChildren(node?: Node): Promise<{ node: Node; item: vscode.TreeItem }[]>;
}

export function activate(context: vscode.ExtensionContext): InfraWatchApi {
  const redactor = new Redactor();
  const log = createLog(redactor);
  const controller = new AccessController(log);
  const tree = new AccessTree(controller);
  const view = vscode.window.createTreeView(viewId, { treeDataProvider: tree, showCollapseAll: true });
  const run = (action: string, work: () => unknown): Promise<unknown> => runWithErrorHandling(action, log, work);
  let policyWatch = watchPolicy(getSettings(), () => void run('Reloading the access policy', () => controller.refresh()));
  context.subscriptions.push(
    log, controller, tree, view,
    ...registerCommands({ controller, log }, run),
    { dispose: () => policyWatch.dispose() },
    onDidChangeSettings(() => {
      policyWatch.dispose();
      policyWatch = watchPolicy(getSettings(), () => void run('Reloading the access policy', () => controller.refresh()));
      void run('Applying the new settings', () => controller.refresh());
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void run('Loading the access policy', () => controller.refresh())),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void run('Loading the access policy', () => controller.refresh())),
  );
  void vscode.commands.executeCommand('setContext', 'infrawatch.state', 'loading');
  // The first look-up waits until the view is shown: no network call during activation.
  const firstShow = (): void => void run('Loading InfraWatch', () => controller.refresh());
  if (view.visible) setImmediate(firstShow);
  else {
    const once = view.onDidChangeVisibility((e) => {
      if (!e.visible) return;
      once.dispose();
      firstShow();
    });
    context.subscriptions.push(once);
  }
  return {
    refresh: () => controller.refresh(),
    whenSettled: () => controller.whenSettled(),
    getState: () => controller.state,
    getChildren: async (node) => {
      const nodes = (await tree.getChildren(node)) ?? [];
      return nodes.map((n) => ({ node: n, item: tree.getTreeItem(n) }));
    },
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
