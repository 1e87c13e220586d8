import * as vscode from 'vscode';
import { type AccessController } from './accessController';
import { getSettings, onDidChangeSettings } from './config';
import { watchPolicy } from './policySource';

type Run = (action: string, work: () => unknown) => Promise<unknown>;

/** Reloads what the sidebar shows when the policy file, the settings, trust or the folders change. */
export function registerReloads(controller: AccessController, run: Run): vscode.Disposable {
  const reload = (action: string) => (): void => void run(action, () => controller.refresh());
  let policyWatch = watchPolicy(getSettings(), reload('Reloading the access policy'));
  return vscode.Disposable.from(
    { dispose: () => policyWatch.dispose() },
    onDidChangeSettings(() => {
      policyWatch.dispose(); // the policy may now live elsewhere
      policyWatch = watchPolicy(getSettings(), reload('Reloading the access policy'));
      reload('Applying the new settings')();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(reload('Loading the access policy')),
    vscode.workspace.onDidChangeWorkspaceFolders(reload('Loading the access policy')),
  );
}

/** The first look-up waits until the view is shown: no network call during activation. */
export function loadWhenShown(view: vscode.TreeView<unknown>, load: () => void): vscode.Disposable {
  if (view.visible) {
    setImmediate(load);
    return new vscode.Disposable(() => undefined);
  }
  const once = view.onDidChangeVisibility((e) => {
    if (!e.visible) return;
    once.dispose();
    load();
  });
  return once;
}
