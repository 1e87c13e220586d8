import * as vscode from 'vscode';
import { getService } from '../../core/catalog';
import { getExportLines } from '../../core/credentials/environment';
import { InfraWatchError } from '../../core/errors';
import { type Session } from '../../core/session';
import { type ServiceTarget, type SessionTarget, commandIds } from '../commandIds';
import { defineCommandHandlers } from '../commandRegistry';
import { getSettings } from '../config';
import { type SessionService } from './sessionService';
import { formatCountdown } from './statusBar';
import { openSessionTerminal } from './terminals';

/** The commands on sessions: request, terminal, renew, revoke, export lines. */
export function getSessionCommandHandlers(sessions: SessionService) {
  return defineCommandHandlers({
    [commandIds.requestAccess]: { action: 'Requesting access', run: (target) => requestAccess(sessions, target) },
    [commandIds.showSessions]: { action: 'Showing sessions', run: () => showSessions(sessions) },
    [commandIds.openTerminal]: {
      action: 'Opening a terminal',
      run: async (target) => {
        const session = await resolveSession(sessions, target, 'A terminal for which session?');
        if (session) await openSessionTerminal(sessions, session);
      },
    },
    [commandIds.renewSession]: {
      action: 'Renewing the session',
      run: async (target) => {
        const session = await resolveSession(sessions, target, 'Renew which session?');
        if (session) await sessions.request({ service: session.service, level: session.level }, { renew: true });
      },
    },
    [commandIds.revokeSession]: {
      action: 'Revoking the session',
      run: async (target, options) => {
        const session = await resolveSession(sessions, target, 'Revoke which session?');
        // Only an explicit `confirm: false` skips the question (a menu may pass other things).
        if (session) await revokeSession(sessions, session, options?.confirm === false ? { confirm: false } : {});
      },
    },
    [commandIds.copyExportLines]: {
      action: 'Copying export lines',
      run: async (target) => {
        const session = await resolveSession(sessions, target, 'Export lines for which session?');
        if (session) await copyExportLines(sessions, session);
      },
    },
  });
}

/** From the palette, a sidebar service row or a panel: ask, grant, offer a terminal. */
async function requestAccess(sessions: SessionService, target: ServiceTarget | undefined): Promise<void> {
  const preset = target?.kind === 'service' ? { service: target.service, level: target.level } : {};
  // "Request Again" after expiry carries the last answers: only the MFA code is asked.
  const session = await sessions.request(
    preset,
    target?.kind === 'service' && target.again ? { reuse: target.again } : {},
  );
  if (!session) return;
  const until = new Date(session.credentials.expiration).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const picked = await vscode.window.showInformationMessage(
    `${getService(session.service).displayName} ${session.level} access granted until ${until}. New terminals have it.`,
    'Open Terminal',
  );
  if (picked) await openSessionTerminal(sessions, session);
}

/** The session a target names: a session id, a sidebar service row, or a pick. */
export async function resolveSession(
  sessions: SessionService,
  target: SessionTarget,
  placeholder: string,
): Promise<Session | undefined> {
  const list = sessions.list();
  if (typeof target === 'string') return sessions.store.get(target);
  const candidates = target?.kind === 'service' ? list.filter((s) => s.service === target.service) : list;
  if (candidates.length === 0)
    throw new InfraWatchError('Expired', 'No active session: run "InfraWatch: Request Access" first');
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({
      label: `${getService(s.service).displayName} ${s.level}`,
      description: `${formatCountdown(s.credentials.expiration - sessions.deps.clock.now())} left`,
      session: s,
    })),
    { title: 'InfraWatch', placeHolder: placeholder, ignoreFocusOut: true },
  );
  return picked?.session;
}

export async function copyExportLines(sessions: SessionService, session: Session): Promise<void> {
  if (getSettings().credentialDelivery !== 'environment') {
    throw new InfraWatchError(
      'Validation',
      'Copying export lines failed: they exist only with "infrawatch.credentialDelivery": "environment"; terminals fetch credentials from InfraWatch instead',
    );
  }
  await vscode.env.clipboard.writeText(`${getExportLines(await sessions.getEnvironment(session, 'process'))}\n`);
  void vscode.window.showInformationMessage(
    `Copied export lines for ${getService(session.service).displayName} ${session.level}. They stay valid until the session expires.`,
  );
}

/**
 * Revoke, after a modal confirmation: it cannot be undone and it cuts off every terminal
 * using the session. `confirm: false` is for callers that already asked.
 */
export async function revokeSession(
  sessions: SessionService,
  session: Session,
  options: { confirm?: boolean } = {},
): Promise<void> {
  if (options.confirm !== false) {
    const picked = await vscode.window.showWarningMessage(
      `Revoke ${getService(session.service).displayName} ${session.level}?`,
      { modal: true, detail: 'Terminals using it stop getting credentials at once.' },
      'Revoke',
    );
    if (picked !== 'Revoke') return;
  }
  await sessions.revoke(session);
}

/** The status bar's quick pick: a session, then what to do with it. */
export async function showSessions(sessions: SessionService): Promise<void> {
  const session = await resolveSession(sessions, undefined, 'Which session?');
  if (!session) return;
  const label = `${getService(session.service).displayName} ${session.level}`;
  const actions = [
    { label: '$(terminal) Open Terminal', run: () => openSessionTerminal(sessions, session) },
    ...(getSettings().credentialDelivery === 'environment'
      ? [{ label: '$(copy) Copy Export Lines', run: () => copyExportLines(sessions, session) }]
      : []),
    {
      label: '$(refresh) Renew',
      description: 'the same answers; asks only for the MFA code',
      run: () => sessions.request({ service: session.service, level: session.level }, { renew: true }),
    },
    { label: '$(circle-slash) Revoke', run: () => revokeSession(sessions, session) },
  ];
  const left = formatCountdown(session.credentials.expiration - sessions.deps.clock.now());
  const picked = await vscode.window.showQuickPick(actions, {
    title: `InfraWatch: ${label}`,
    placeHolder: `${left} left · ${session.assumedRoleArn}`,
    ignoreFocusOut: true,
  });
  await picked?.run();
}
