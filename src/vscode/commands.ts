import * as vscode from 'vscode';
import { type ServiceId } from '../core/catalog';
import { type Resource } from '../core/discovery';
import { InfraWatchError } from '../core/errors';
import { type Log } from '../core/ports';
import { getStarterPolicy } from '../core/starterPolicy';
import { type AccessController } from './accessController';
import { getProfileName, listProfiles } from './baseCredentials';
import { type ResourceTarget, type ServiceTarget, commandIds } from './commandIds';
import { defineCommandHandlers } from './commandRegistry';
import { getSettings } from './config';
import { type PanelManager } from './panels/panelManager';
import { locatePolicy, workspacePolicyPath } from './policySource';
import { pickAllowedService } from './pickService';

export interface CommandDeps {
  controller: AccessController;
  log: Log & { show(): void };
  panels: PanelManager;
}

/** The sidebar's own commands: identity, policy and monitoring. */
export function getSidebarCommandHandlers({ controller, log, panels }: CommandDeps) {
  return defineCommandHandlers({
    [commandIds.refresh]: { action: 'Refreshing', run: () => controller.refresh() },
    [commandIds.switchProfile]: { action: 'Switching profile', run: () => switchProfile() },
    [commandIds.openPolicy]: { action: 'Opening the access policy', run: () => openPolicy() },
    [commandIds.createPolicy]: { action: 'Creating the access policy', run: () => createPolicy(controller) },
    [commandIds.copyIdentityArn]: { action: 'Copying your ARN', run: () => copyIdentityArn(controller) },
    [commandIds.showLog]: { action: 'Showing the log', run: () => log.show() },
    [commandIds.openMetrics]: {
      action: 'Opening metrics',
      run: async (target) => {
        const picked = await getMonitorTarget(controller, target);
        if (picked) panels.openMetrics(picked.service, picked.resource);
      },
    },
    [commandIds.openLogs]: {
      action: 'Opening logs',
      run: async (target) => {
        const picked = await getMonitorTarget(controller, target);
        if (picked) await panels.openLogs(picked.service, picked.resource);
      },
    },
  });
}

async function switchProfile(): Promise<void> {
  const current = getProfileName(getSettings());
  const profiles = await listProfiles();
  if (profiles.length === 0) {
    throw new InfraWatchError(
      'NoCredentials',
      'Switching profile failed: no profiles in the AWS config or credentials files',
    );
  }
  const picked = await vscode.window.showQuickPick(
    profiles.map((name) => ({ label: name, description: name === current ? 'current' : undefined })),
    {
      title: 'InfraWatch: Switch AWS Profile',
      placeHolder: 'The AWS profile that identifies you',
      ignoreFocusOut: true,
    },
  );
  if (!picked || picked.label === current) return;
  // A user (machine-scoped) setting: a workspace must not be able to choose who you are.
  await vscode.workspace
    .getConfiguration('infrawatch')
    .update('profile', picked.label, vscode.ConfigurationTarget.Global);
}

async function openPolicy(): Promise<void> {
  const located = locatePolicy(getSettings());
  if (!located)
    throw new InfraWatchError(
      'NoPolicy',
      'Opening the access policy failed: open a folder or set infrawatch.policyPath',
    );
  try {
    await vscode.window.showTextDocument(located.uri);
  } catch (error) {
    throw new InfraWatchError('NoPolicy', `Opening the access policy failed: ${located.uri.fsPath} does not exist`, {
      cause: error,
    });
  }
}

async function createPolicy(controller: AccessController): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new InfraWatchError('NoPolicy', 'Creating the access policy failed: open a folder first');
  const uri = vscode.Uri.joinPath(folder.uri, workspacePolicyPath);
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const { identity, region } = controller.snapshot;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(getStarterPolicy(identity, region)));
  }
  await vscode.window.showTextDocument(uri);
  await controller.refresh();
}

async function copyIdentityArn(controller: AccessController): Promise<void> {
  const { identity } = controller.snapshot;
  if (!identity)
    throw new InfraWatchError('NoCredentials', 'Copying your ARN failed: InfraWatch has not identified you yet');
  await vscode.env.clipboard.writeText(identity.arn);
  void vscode.window.showInformationMessage(`Copied ${identity.arn}`);
}

/** The service (and resource) a monitoring command acts on: the sidebar row, else a pick. */
async function getMonitorTarget(
  controller: AccessController,
  target: ServiceTarget | ResourceTarget | undefined,
): Promise<{ service: ServiceId; resource?: Resource } | undefined> {
  if (target?.kind === 'resource') return { service: target.service, resource: target.resource };
  if (target?.kind === 'service') return { service: target.service };
  const service = await pickAllowedService(controller, "Which service's metrics?");
  return service ? { service } : undefined;
}
