import * as vscode from 'vscode';
import { type Access } from '../core/accessState';
import { type CallerIdentity, getDisplayName } from '../core/arn';
import { type ServiceSpec } from '../core/catalog';
import { type AlarmState, type AlarmSummary, type Resource } from '../core/discovery';
import { type PolicyProblem } from '../core/policy/parse';
import { getPosition } from '../core/textPosition';
import { commandIds } from './commandIds';
import { getCommand } from './commandRegistry';
import { contextValues } from './ids';

const stateIcons: Record<AlarmState, vscode.ThemeIcon> = {
  ALARM: new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('list.errorForeground')),
  INSUFFICIENT_DATA: new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground')),
  OK: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
};

const stateWords: Record<AlarmState, string> = { ALARM: 'in alarm', INSUFFICIENT_DATA: 'insufficient data', OK: 'OK' };

export function createIdentityItem(identity: CallerIdentity, access: Access, region: string): vscode.TreeItem {
  const item = new vscode.TreeItem(getDisplayName(identity.arn));
  const account = access.account.name ? `${access.account.name} (${identity.account})` : identity.account;
  item.description = `${access.role} · ${account}`;
  item.iconPath = new vscode.ThemeIcon(access.admin ? 'shield' : 'account');
  item.contextValue = contextValues.identity;
  item.id = 'identity';
  item.tooltip = new vscode.MarkdownString(
    [
      `**${escapeMarkdown(identity.arn)}**`,
      '',
      `Role: ${escapeMarkdown(access.role)} (matched by ${access.resolution.matchedBy} \`${escapeMarkdown(access.resolution.pattern)}\`)`,
      `Account: ${escapeMarkdown(account)} · Region: ${region}`,
    ].join('\n\n'),
  );
  return item;
}

const originWords = { organisation: 'organisation', workspace: 'workspace', file: 'file' } as const;

/** Which policy is in force, so nobody wonders where their grants come from. */
export function createPolicyItem(path: string, origin: keyof typeof originWords): vscode.TreeItem {
  const item = new vscode.TreeItem('Access policy');
  item.id = 'policy';
  item.description = `${originWords[origin]} · ${origin === 'organisation' ? path : vscode.workspace.asRelativePath(path)}`;
  item.iconPath = new vscode.ThemeIcon(origin === 'organisation' ? 'organization' : 'file-code');
  item.contextValue = contextValues.policy;
  item.tooltip =
    origin === 'organisation'
      ? `The organisation's policy, read from ${path}; the workspace file is ignored.`
      : `The policy in ${path}.`;
  if (origin !== 'organisation') item.command = getCommand(commandIds.openPolicy, 'Open Access Policy');
  return item;
}

export function createServiceItem(
  spec: ServiceSpec,
  alarms: readonly AlarmSummary[] | undefined,
  session?: string,
): vscode.TreeItem {
  const item = new vscode.TreeItem(spec.displayName, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `service:${spec.id}`;
  item.iconPath = new vscode.ThemeIcon(spec.icon);
  item.contextValue = session ? `${contextValues.service}.session` : contextValues.service;
  const inAlarm = alarms?.filter((a) => a.state === 'ALARM').length ?? 0;
  const parts = [...(session ? [session] : []), ...(inAlarm > 0 ? [`${inAlarm} in alarm`] : [])];
  item.description = parts.length > 0 ? parts.join(' · ') : undefined;
  item.tooltip = `${spec.displayName} — CloudWatch namespace ${spec.namespace}`;
  return item;
}

export function createResourceItem(
  spec: ServiceSpec,
  resource: Resource,
  alarms: readonly AlarmSummary[],
  worst: AlarmState | undefined,
): vscode.TreeItem {
  const item = new vscode.TreeItem(resource.label);
  item.id = `resource:${spec.id}:${resource.id}`;
  item.iconPath = worst ? stateIcons[worst] : new vscode.ThemeIcon('circle-outline');
  item.description = worst ? stateWords[worst] : 'no alarms';
  // resource[.alarm][.logs]: menus match on the parts (Open Logs needs a log group pattern).
  item.contextValue = `${worst === 'ALARM' ? contextValues.resourceInAlarm : contextValues.resource}${spec.logGroupPattern ? '.logs' : ''}`;
  const lines = alarms.map(
    (a) => `- **${escapeMarkdown(a.name)}**: ${a.state}${a.reason ? ` — ${escapeMarkdown(a.reason)}` : ''}`,
  );
  const dims = resource.dimensions.map((d) => `${d.Name}=${d.Value}`).join(', ');
  item.tooltip = new vscode.MarkdownString(
    [`**${escapeMarkdown(resource.label)}** (${escapeMarkdown(dims)})`, ...lines].join('\n\n'),
  );
  item.accessibilityInformation = { label: `${resource.label}, ${item.description}` };
  return item;
}

export function createProblemItem(
  problem: PolicyProblem,
  uri: vscode.Uri | undefined,
  text: string | undefined,
): vscode.TreeItem {
  const item = new vscode.TreeItem(problem.path);
  item.description = problem.message;
  item.tooltip = `${problem.path}: ${problem.message}`;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  item.contextValue = contextValues.problem;
  if (uri) {
    const at =
      text !== undefined && problem.offset !== undefined
        ? getPosition(text, problem.offset)
        : { line: 0, character: 0 };
    const selection = new vscode.Range(at.line, at.character, at.line, at.character);
    item.command = { command: 'vscode.open', title: 'Show Problem', arguments: [uri, { selection }] };
  }
  return item;
}

/** An error node with details in the tooltip, instead of an empty tree. */
export function createErrorItem(label: string, detail: string, command?: vscode.Command): vscode.TreeItem {
  const item = new vscode.TreeItem(label);
  item.description = detail;
  item.tooltip = `${label}: ${detail}`;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  item.contextValue = contextValues.error;
  if (command) item.command = command;
  return item;
}

export function createMessageItem(label: string, tooltip?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label);
  item.iconPath = new vscode.ThemeIcon('info');
  item.contextValue = contextValues.message;
  if (tooltip) item.tooltip = tooltip;
  return item;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
