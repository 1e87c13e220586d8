import * as vscode from 'vscode';
import { type ServiceId, getService } from '../core/catalog';
import { InfraWatchError } from '../core/errors';
import { type AccessController } from './accessController';

/** A quick pick of the services the current role allows; undefined when dismissed. */
export async function pickAllowedService(
  controller: AccessController,
  placeholder: string,
): Promise<ServiceId | undefined> {
  const { state } = await controller.whenSettled();
  if (state.kind !== 'ready') {
    throw new InfraWatchError('NoRole', 'InfraWatch has no role for you yet: open the InfraWatch view to see why');
  }
  const items = state.access.services.map((service) => {
    const spec = getService(service);
    return { label: `$(${spec.icon}) ${spec.displayName}`, service };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'InfraWatch',
    placeHolder: placeholder,
    ignoreFocusOut: true,
  });
  return picked?.service;
}
