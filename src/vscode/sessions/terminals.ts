import * as vscode from 'vscode';
import { getService } from '../../core/catalog';
import { type EnvironmentChanges, getUnremovable } from '../../core/credentials/environment';
import { type Log } from '../../core/ports';
import { type Session, getSessionAuditFields } from '../../core/session';
import { onDidChangeSettings } from '../config';
import { type SessionService } from './sessionService';

function label(session: Session): string {
  return `${getService(session.service).displayName} ${session.level}`;
}

function until(session: Session): string {
  return new Date(session.credentials.expiration).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * Every new integrated terminal gets the active session (the one granted last) through the
 * extension's environment collection: not persisted, described on the terminal tab, and
 * cleared the moment the session ends. Writes that change nothing are skipped, since
 * any change marks open terminals as stale.
 */
export class TerminalEnvironment implements vscode.Disposable {
  private applied: string | undefined;
  /** The session new terminals get now (they keep it: a terminal's environment is fixed when it starts). */
  activeSessionId: string | undefined;
  private generation = 0;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly sessions: SessionService,
    log: Log,
  ) {
    collection.persistent = false;
    const update = (): void =>
      void this.update().catch((error: unknown) =>
        log.error('Updating the terminal environment failed', error instanceof Error ? error : String(error)),
      );
    this.subscription = vscode.Disposable.from(
      sessions.store.onDidChange(update),
      sessions.onDidRestore(update),
      onDidChangeSettings(update),
    );
  }

  async update(): Promise<void> {
    // Updates overlap (a revoke can arrive while a grant's environment is being built):
    // only the latest one may write, or a withdrawn session could be written back.
    const generation = ++this.generation;
    const active = [...this.sessions.list()]
      .filter((s) => this.sessions.getEndpoint(s))
      .sort((a, b) => b.grantedAt - a.grantedAt)[0];
    if (!active) {
      if (this.applied !== undefined) this.collection.clear();
      this.applied = undefined;
      this.activeSessionId = undefined;
      return;
    }
    const changes = await this.sessions.getEnvironment(active, 'collection');
    if (generation !== this.generation) return;
    const key = `${active.id}:${active.credentials.expiration}:${JSON.stringify(changes)}`;
    if (key === this.applied) return;
    this.collection.clear();
    for (const [name, value] of Object.entries(changes)) if (value !== null) this.collection.replace(name, value);
    const kept = getUnremovable(changes);
    const warning =
      kept.length > 0
        ? `\n\n$(warning) The editor's environment sets ${kept.join(', ')}, which outranks InfraWatch in some AWS clients and which a new terminal cannot drop: use "InfraWatch: Open Terminal" instead.`
        : '';
    this.collection.description = new vscode.MarkdownString(
      `InfraWatch: AWS credentials for **${label(active)}** until ${until(active)} (account ${active.account}). New terminals fetch them from InfraWatch; they stop working when the session ends.${warning}`,
      true,
    );
    this.applied = key;
    this.activeSessionId = active.id;
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.clear();
  }
}

/** "InfraWatch: Open Terminal": a named, coloured terminal bound to one session. */
export async function openSessionTerminal(sessions: SessionService, session: Session): Promise<vscode.Terminal> {
  const changes: EnvironmentChanges = await sessions.getEnvironment(session, 'process');
  const terminal = vscode.window.createTerminal({
    name: `AWS ${label(session)}`,
    env: changes as Record<string, string | null>,
    color: new vscode.ThemeColor('terminal.ansiYellow'),
    iconPath: new vscode.ThemeIcon('key'),
    message: `InfraWatch: ${label(session)} credentials in account ${session.account} until ${until(session)}. Try: aws sts get-caller-identity`,
  });
  terminal.show();
  await sessions.record({ ...getSessionAuditFields(session), event: 'terminal.opened', outcome: 'success' });
  return terminal;
}
