// Every command id, in one place; a unit test checks this map against package.json.
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
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];

/** Commands that only make sense from a view or item; hidden from the palette. */
export const contextOnlyCommands: readonly CommandId[] = [commandIds.openLogs];
