import * as vscode from 'vscode';
import { getService } from '../../core/catalog';
import { CommandWarnings, formatMinutesLeft } from '../../core/renew';
import { type Session } from '../../core/session';
import { commandIds } from '../commandIds';
import { executeCommand } from '../commandRegistry';
import { getSettings } from '../config';
import { type SessionService } from './sessionService';
import { type TerminalEnvironment } from './terminals';

/** Which session a terminal carries: a service and level (endpoint: renewals reach it), or one session (keys in its environment). */
type Binding = { service: string; level: string } | { sessionId: string };

/**
 * "RDS read ends in 7:12 — renew before a long command?": when a command starts (shell
 * integration) in a terminal that carries a session with less than
 * infrawatch.renewWarningMinutes left, once per session. Terminals carry the session they
 * were started with: Open Terminal's names it in its environment; any other terminal has
 * the one new terminals got when it opened.
 */
export class CommandWarning implements vscode.Disposable {
  private readonly bindings = new WeakMap<vscode.Terminal, Binding>();
  private readonly warnings = new CommandWarnings();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly sessions: SessionService,
    private readonly terminals: TerminalEnvironment,
  ) {
    // Shell integration events are API since VS Code 1.93; guarded for hosts that lack them.
    const onStart = vscode.window.onDidStartTerminalShellExecution as
      typeof vscode.window.onDidStartTerminalShellExecution | undefined;
    if (!onStart) return;
    this.subscriptions.push(
      vscode.window.onDidOpenTerminal((terminal) => this.bind(terminal)),
      onStart((e) => void this.onCommand(e.terminal)),
      sessions.store.onDidChange(() => this.warnings.retain(sessions.list().map((s) => s.id))),
    );
  }

  private bind(terminal: vscode.Terminal): void {
    const env = (terminal.creationOptions as vscode.TerminalOptions).env ?? {};
    const list = this.sessions.list();
    const uri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    const keyId = env.AWS_ACCESS_KEY_ID;
    const byUri = uri ? list.find((s) => this.sessions.getEndpoint(s)?.uri === uri) : undefined;
    const byKey = keyId ? list.find((s) => s.credentials.accessKeyId === keyId) : undefined;
    const fromCollection = !uri && !keyId ? list.find((s) => s.id === this.terminals.activeSessionId) : undefined;
    const session = byUri ?? byKey ?? fromCollection;
    if (!session) return;
    // Keys in the environment do not follow a renew; the endpoint's address does.
    const fixed = getSettings().credentialDelivery === 'environment' || byKey !== undefined;
    this.bindings.set(terminal, fixed ? { sessionId: session.id } : { service: session.service, level: session.level });
  }

  private find(binding: Binding): Session | undefined {
    if ('sessionId' in binding) return this.sessions.store.get(binding.sessionId);
    return this.sessions.list().find((s) => s.service === binding.service && s.level === binding.level);
  }

  private async onCommand(terminal: vscode.Terminal): Promise<void> {
    const binding = this.bindings.get(terminal);
    const session = binding && this.find(binding);
    if (!session) return;
    const remaining = session.credentials.expiration - this.sessions.deps.clock.now();
    if (!this.warnings.claim(session.id, remaining, getSettings().renewWarningMinutes)) return;
    const label = `${getService(session.service).displayName} ${session.level}`;
    const picked = await vscode.window.showWarningMessage(
      `${label} ends in ${formatMinutesLeft(remaining)} — renew before a long command?`,
      'Renew',
    );
    // The session of that service and level now (keys in an environment may be an older one's).
    const current = this.sessions.store.find(session.service, session.level);
    if (picked && current) await executeCommand(commandIds.renewSession, current.id);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
