// Every command id, in one place, with the arguments its handler takes. Code names a
// command only through `commandIds` (a static check finds any id written elsewhere), a
// unit test keeps this map in step with package.json, and src/extension.ts registers
// the whole map at once, so every id has exactly one handler. No `vscode` import: the
// unit test and the static check load this file in plain Node.
import { type AccessLevel, type ServiceId } from '../core/catalog';
import { type Resource } from '../core/discovery';
import { type LastAnswers } from '../core/renew';

export const commandIds = {
  refresh: 'infrawatch.refresh',
  switchProfile: 'infrawatch.switchProfile',
  openPolicy: 'infrawatch.openPolicy',
  createPolicy: 'infrawatch.createPolicy',
  copyIdentityArn: 'infrawatch.copyIdentityArn',
  showLog: 'infrawatch.showLog',
  openMetrics: 'infrawatch.openMetrics',
  openLogs: 'infrawatch.openLogs',
  requestAccess: 'infrawatch.requestAccess',
  openTerminal: 'infrawatch.openTerminal',
  showSessions: 'infrawatch.showSessions',
  renewSession: 'infrawatch.renewSession',
  revokeSession: 'infrawatch.revokeSession',
  copyExportLines: 'infrawatch.copyExportLines',
  addAwsProfile: 'infrawatch.addAwsProfile',
  removeAwsProfiles: 'infrawatch.removeAwsProfiles',
  signInWithIdentityCenter: 'infrawatch.signInWithIdentityCenter',
  openAdminPanel: 'infrawatch.openAdminPanel',
  verifyAuditTrail: 'infrawatch.verifyAuditTrail',
  exportAuditTrail: 'infrawatch.exportAuditTrail',
  findOutsideSessions: 'infrawatch.findOutsideSessions',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];

/** A service row of the sidebar; a panel and "Request Again" pass the same shape. */
export interface ServiceTarget {
  kind: 'service';
  service: ServiceId;
  level?: AccessLevel;
  /** "Request Again" after expiry: the last answers, so only the MFA code is asked. */
  again?: LastAnswers;
}

/** A resource row of the sidebar. */
export interface ResourceTarget {
  kind: 'resource';
  service: ServiceId;
  resource: Resource;
}

/** Which session: its id (from a toast or a script), its service row, or none (a pick). */
export type SessionTarget = string | ServiceTarget | undefined;

/**
 * Each command's arguments. Run from the palette a command gets none, so everything is
 * optional; from the sidebar it gets the row.
 */
export type CommandArgs = EveryCommand<{
  [commandIds.refresh]: [];
  [commandIds.switchProfile]: [];
  [commandIds.openPolicy]: [];
  [commandIds.createPolicy]: [];
  [commandIds.copyIdentityArn]: [];
  [commandIds.showLog]: [];
  [commandIds.openMetrics]: [target?: ServiceTarget | ResourceTarget];
  [commandIds.openLogs]: [target?: ServiceTarget | ResourceTarget];
  [commandIds.requestAccess]: [target?: ServiceTarget];
  [commandIds.openTerminal]: [session?: SessionTarget];
  [commandIds.showSessions]: [];
  [commandIds.renewSession]: [session?: SessionTarget];
  /** `{ confirm: false }`: the caller (a script, a test) already confirmed. */
  [commandIds.revokeSession]: [session?: SessionTarget, options?: { confirm?: boolean }];
  [commandIds.copyExportLines]: [session?: SessionTarget];
  [commandIds.addAwsProfile]: [session?: SessionTarget];
  [commandIds.removeAwsProfiles]: [];
  [commandIds.signInWithIdentityCenter]: [];
  [commandIds.openAdminPanel]: [];
  [commandIds.verifyAuditTrail]: [];
  [commandIds.exportAuditTrail]: [];
  [commandIds.findOutsideSessions]: [];
}>;

/** Refuses a CommandArgs that misses an id or names one that is not in the map. */
type EveryCommand<T extends Record<CommandId, unknown[]> & Record<Exclude<keyof T, CommandId>, never>> = T;

/** Commands that only make sense from a view or item; hidden from the palette. */
export const contextOnlyCommands: readonly CommandId[] = [commandIds.openLogs];

/**
 * The admin commands: shown in the palette only while `infrawatch.isAdmin` is set, and
 * refused in the handler otherwise.
 */
export const adminCommands: readonly CommandId[] = [
  commandIds.openAdminPanel,
  commandIds.verifyAuditTrail,
  commandIds.exportAuditTrail,
  commandIds.findOutsideSessions,
];
