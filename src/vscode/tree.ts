import * as vscode from 'vscode';
import { type ServiceId, type ServiceSpec, getService } from '../core/catalog';
import {
  type AlarmSummary,
  type Resource,
  getResourceAlarms,
  getServiceAlarms,
  getWorstState,
} from '../core/discovery';
import { type PolicyProblem } from '../core/policy/parse';
import { type AccessController } from './accessController';
import { commandIds } from './commandIds';
import { getCommand } from './commandRegistry';
import {
  createErrorItem,
  createIdentityItem,
  createMessageItem,
  createPolicyItem,
  createProblemItem,
  createResourceItem,
  createServiceItem,
} from './treeItems';

export type Node =
  | { kind: 'identity' }
  | { kind: 'policy' }
  | { kind: 'service'; service: ServiceId }
  | { kind: 'resource'; service: ServiceId; resource: Resource }
  | { kind: 'problem'; problem: PolicyProblem }
  | { kind: 'error'; label: string; detail: string; command?: vscode.Command }
  | { kind: 'message'; label: string; tooltip?: string };

const refreshCommand = getCommand(commandIds.refresh, 'Retry');
const openPolicyCommand = getCommand(commandIds.openPolicy, 'Open Access Policy');

/** The sidebar: who you are, then the services your role allows, then their resources. */
export class AccessTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly controller: AccessController,
    /** The active session on a service, as "read 29 min left"; undefined when none. */
    private readonly getSessionLabel: (service: ServiceId) => string | undefined = () => undefined,
  ) {
    this.subscription = controller.onDidChange(() => this.changed.fire(undefined));
  }

  /** Redraws the rows (the session countdowns) without fetching anything. */
  redraw(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): vscode.ProviderResult<Node[]> {
    if (!node) return this.getRoots();
    if (node.kind === 'service') return this.getResourceNodes(node.service);
    return [];
  }

  private getRoots(): Node[] {
    const { state } = this.controller.snapshot;
    switch (state.kind) {
      case 'ready':
        return [
          { kind: 'identity' },
          { kind: 'policy' },
          ...state.access.services.map((service): Node => ({ kind: 'service', service })),
        ];
      case 'invalidPolicy': {
        const count = state.problems.length;
        const header: Node = {
          kind: 'error',
          label: 'Access policy is invalid',
          detail: `${count} problem${count === 1 ? '' : 's'} — nothing is granted`,
          command: openPolicyCommand,
        };
        return [header, ...state.problems.map((problem): Node => ({ kind: 'problem', problem }))];
      }
      case 'failed':
        return [
          { kind: 'error', label: 'Could not identify you', detail: state.error.message, command: refreshCommand },
        ];
      default:
        return []; // the welcome view for this state explains what to do
    }
  }

  private async getResourceNodes(service: ServiceId): Promise<Node[]> {
    const { region } = this.controller.snapshot; // the clients that list them are this snapshot's
    try {
      const resources = await this.controller.getResources(service);
      if (resources.length === 0) {
        const spec = getService(service);
        return [
          {
            kind: 'message',
            label: 'No resources found',
            tooltip: `CloudWatch lists no ${spec.namespace} metrics in ${region}.`,
          },
        ];
      }
      return resources.map((resource): Node => ({ kind: 'resource', service, resource }));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return [{ kind: 'error', label: 'Could not list resources', detail, command: refreshCommand }];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const { state, region, policyFile } = this.controller.snapshot;
    switch (node.kind) {
      case 'identity':
        if (state.kind !== 'ready') return createMessageItem('…');
        return createIdentityItem(state.identity, state.access, region);
      case 'service': {
        const spec = getService(node.service);
        return createServiceItem(spec, this.getAlarms(spec), this.getSessionLabel(node.service));
      }
      case 'resource': {
        const spec = getService(node.service);
        const alarms = getResourceAlarms(spec, node.resource, this.getAlarms(spec) ?? []);
        return createResourceItem(spec, node.resource, alarms, getWorstState(alarms));
      }
      case 'policy':
        if (state.kind !== 'ready') return createMessageItem('…');
        return createPolicyItem(state.policyPath, state.policyOrigin);
      case 'problem':
        return createProblemItem(
          node.problem,
          policyFile.uri === undefined ? undefined : vscode.Uri.parse(policyFile.uri),
          policyFile.text,
        );
      case 'error':
        return createErrorItem(node.label, node.detail, node.command);
      case 'message':
        return createMessageItem(node.label, node.tooltip);
    }
  }

  private getAlarms(spec: ServiceSpec): AlarmSummary[] | undefined {
    const { alarms } = this.controller.snapshot;
    return alarms.kind === 'ok' ? getServiceAlarms(spec, alarms.alarms) : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
