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

/** The AWS profile commands: registered by src/vscode/sessions/profiles.ts. */
export const profileCommandIds = {
  addAwsProfile: 'infrawatch.addAwsProfile',
  removeAwsProfiles: 'infrawatch.removeAwsProfiles',
} as const;

/**
 * The admin commands: registered by src/vscode/admin/registerAdmin.ts, shown in the
 * palette only while `infrawatch.isAdmin` is set, and refused in the handler otherwise.
 */
export const adminCommandIds = {
  openAdminPanel: 'infrawatch.openAdminPanel',
  verifyAuditTrail: 'infrawatch.verifyAuditTrail',
  exportAuditTrail: 'infrawatch.exportAuditTrail',
  findOutsideSessions: 'infrawatch.findOutsideSessions',
} as const;

/** Registered by src/vscode/signIn/registerSignIn.ts. */
export const signInCommandIds = {
  signInWithIdentityCenter: 'infrawatch.signInWithIdentityCenter',
} as const;
