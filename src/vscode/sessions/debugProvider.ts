import * as vscode from 'vscode';
import { type AccessLevel, type ServiceId } from '../../core/catalog';
import { type EnvironmentChanges } from '../../core/credentials/environment';
import { type Session, getSessionAuditFields } from '../../core/session';
import { commandIds } from '../commandIds';
import { executeCommand } from '../commandRegistry';
import { getSettings } from '../config';
import { type SessionService } from './sessionService';

type EnvArray = { name: string; value: string }[];

/** Adds the session's variables to a launch config's `env` map, or to the array form some debuggers use. */
export function injectEnvironment(config: vscode.DebugConfiguration, changes: EnvironmentChanges): void {
  const arrayKey = Array.isArray(config.environment) ? 'environment' : Array.isArray(config.env) ? 'env' : undefined;
  if (arrayKey) {
    const list = (config[arrayKey] as EnvArray).filter((e) => !(e.name in changes));
    for (const [name, value] of Object.entries(changes)) if (value !== null) list.push({ name, value });
    config[arrayKey] = list;
    return;
  }
  // In the map form null removes an inherited variable (js-debug and most adapters honour it).
  config.env = { ...(config.env as Record<string, string | null> | undefined), ...changes };
}

/** "rds:read" or "rds" in a launch config names the session to inject. */
function findNamedSession(sessions: SessionService, name: string): Session | undefined {
  const [service, level] = name.split(':') as [ServiceId, AccessLevel | undefined];
  return sessions
    .list()
    .filter((s) => s.service === service && (!level || s.level === level))
    .sort((a, b) => b.grantedAt - a.grantedAt)[0];
}

/** Gives debuggees the session's credentials, for configs that name a session or, per setting, for all. */
export function createDebugProvider(sessions: SessionService): vscode.DebugConfigurationProvider {
  return {
    async resolveDebugConfigurationWithSubstitutedVariables(_folder, config) {
      const named = typeof config.infrawatchSession === 'string' ? config.infrawatchSession : undefined;
      if (!named && !getSettings().injectIntoAllDebugSessions) return config;
      const session = named
        ? findNamedSession(sessions, named)
        : [...sessions.list()].sort((a, b) => b.grantedAt - a.grantedAt)[0];
      if (!session) {
        if (!named) return config; // inject-all with no session: launch as the user asked
        const picked = await vscode.window.showErrorMessage(
          `Debugging failed: no active InfraWatch session "${named}". Request access first.`,
          'Request Access',
        );
        if (picked) void executeCommand(commandIds.requestAccess);
        return undefined; // abort the launch; the config itself is fine
      }
      injectEnvironment(config, await sessions.getEnvironment(session, 'process'));
      await sessions.record({
        ...getSessionAuditFields(session),
        event: 'debug.injected',
        outcome: 'success',
        detail: { type: String(config.type), name: String(config.name ?? '') },
      });
      return config;
    },
  };
}
