/**
 * Where the extension host runs, for one line in the log at activation. The credential
 * endpoint listens on this host's loopback, so it serves only terminals on this host.
 */
export interface WhereItRuns {
  /** The host name of the machine running the extension host (not a secret). */
  host: string;
  /** `vscode.env.remoteName`: "ssh-remote", "dev-container", "wsl", "codespaces"…; undefined in a local window. */
  remoteName: string | undefined;
  /** True when VS Code runs the extension on the workspace side of a remote window. */
  workspaceSide: boolean;
}

export interface WhereLine {
  level: 'info' | 'warn';
  message: string;
}

export function describeWhereItRuns(where: WhereItRuns): WhereLine {
  const head = `InfraWatch runs on ${where.host}`;
  if (where.remoteName === undefined) return { level: 'info', message: `${head} (local window)` };
  if (where.workspaceSide) return { level: 'info', message: `${head} (remote: ${where.remoteName}, workspace side)` };
  // Only a user's remote.extensionKind setting can put it here (package.json says "workspace").
  return {
    level: 'warn',
    message:
      `${head} (remote: ${where.remoteName}, UI side): terminals on the remote cannot reach its credential endpoint; ` +
      'remove "infrawatch.infrawatch" from the remote.extensionKind setting',
  };
}
