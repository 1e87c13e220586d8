import * as vscode from 'vscode';
import { type Clock, type Log } from '../../core/ports';
import { type Redactor } from '../../core/redact';
import { type AccessController } from '../accessController';
import { type CommandHandlers } from '../commandRegistry';
import { CommandWarning } from './commandWarning';
import { createDebugProvider } from './debugProvider';
import { AwsProfiles } from './profiles';
import { getSessionCommandHandlers } from './sessionCommands';
import { SessionService } from './sessionService';
import { SessionStatusBar } from './statusBar';
import { TerminalEnvironment } from './terminals';

type SessionCommandId =
  keyof ReturnType<typeof getSessionCommandHandlers> | keyof ReturnType<AwsProfiles['getCommandHandlers']>;

/**
 * Builds the session parts (store, endpoint, terminals, debug, status bar) and registers
 * them; their command handlers go back to activate(), which registers every command.
 */
export function registerSessions(
  context: vscode.ExtensionContext,
  deps: { controller: AccessController; log: Log; redactor: Redactor; clock: Clock },
): { sessions: SessionService; commands: CommandHandlers<SessionCommandId> } {
  const sessions = new SessionService({ context, ...deps });
  const terminals = new TerminalEnvironment(context.environmentVariableCollection, sessions, deps.log);
  const commandWarning = new CommandWarning(sessions, terminals);
  const profiles = new AwsProfiles(sessions, context, deps.log);
  const statusBar = new SessionStatusBar(sessions, deps.clock, () => deps.controller.snapshot.state.kind === 'ready');
  context.subscriptions.push(
    sessions,
    terminals,
    profiles,
    commandWarning,
    statusBar,
    deps.controller.onDidChange(() => statusBar.update()),
    deps.controller.onDidReadPolicy(
      (e) =>
        void sessions.record({
          event: e.ok ? 'policy.loaded' : 'policy.rejected',
          actor: e.actor ?? 'unidentified (the policy was read before identifying the caller)',
          ...(e.role ? { role: e.role } : {}),
          outcome: e.ok ? 'success' : 'failure',
          detail: { path: e.path.slice(-1000), sha256: e.sha256, problems: e.problems },
        }),
    ),
    vscode.debug.registerDebugConfigurationProvider('*', createDebugProvider(sessions)),
    // After sleep the timers may be late: check expiry against the wall clock when the window is back.
    vscode.window.onDidChangeWindowState((state) => state.focused && sessions.store.check()),
  );
  // SecretStorage and the loopback endpoint are local: restoring does no network call.
  void sessions
    .restore()
    .catch((error: unknown) =>
      deps.log.error('Restoring sessions failed', error instanceof Error ? error : String(error)),
    );
  return { sessions, commands: { ...getSessionCommandHandlers(sessions), ...profiles.getCommandHandlers() } };
}
