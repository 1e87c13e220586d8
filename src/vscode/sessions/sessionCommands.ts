import * as vscode from 'vscode';
import { type AccessLevel, type ServiceId, getService } from '../../core/catalog';
import { getExportLines } from '../../core/credentials/environment';
import { InfraWatchError } from '../../core/errors';
import { type Session } from '../../core/session';
import { getSettings } from '../config';
import { type SessionService } from './sessionService';
import { formatCountdown } from './statusBar';
import { openSessionTerminal } from './terminals';

/** The session an argument names: a session id, a tree node of a service, or a pick. */
export async function resolveSession(sessions: SessionService, arg: unknown, placeholder: string): Promise<Session | undefined> {
  const list = sessions.list();
  if (typeof arg === 'string') return sessions.store.get(arg);
  const node = arg as { kind?: string; service?: ServiceId; level?: AccessLevel } | undefined;
  const candidates = node?.kind === 'service' ? list.filter((s) => s.service === node.service) : list;
  if (candidates.length === 0) throw new InfraWatchError('Expired', 'No active session: run "InfraWatch: Request Access" first');
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: `${getService(s.service).displayName} ${s.level}`, description: `${formatCountdown(s.credentials.expiration - sessions.deps.clock.now())} left`, session: s })),
    { title: 'InfraWatch', placeHolder: placeholder, ignoreFocusOut: true },
  );
  return picked?.session;
}

export async function copyExportLines(sessions: SessionService, session: Session): Promise<void> {
  if (getSettings().credentialDelivery !== 'environment') {
    throw new InfraWatchError('Validation', 'Copying export lines failed: they exist only with "infrawatch.credentialDelivery": "environment"; terminals fetch credentials from InfraWatch instead');
  }
  await vscode.env.clipboard.writeText(`${getExportLines(await sessions.getEnvironment(session, 'process'))}\n`);
  void vscode.window.showInformationMessage(`Copied export lines for ${getService(session.service).displayName} ${session.level}. They stay valid until the session expires.`);
}

/**
 * Revoke, after a modal confirmation: it cannot be undone and it cuts off every terminal
 * using the session. `confirm: false` is for callers that already asked.
 */
export async function revokeSession(sessions: SessionService, session: Session, options: { confirm?: boolean } = {}): Promise<void> {
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
    ...(getSettings().credentialDelivery === 'environment' ? [{ label: '$(copy) Copy Export Lines', run: () => copyExportLines(sessions, session) }] : []),
    { label: '$(refresh) Renew', description: 'the same answers; asks only for the MFA code', run: () => sessions.request({ service: session.service, level: session.level }, { renew: true }) },
    { label: '$(circle-slash) Revoke', run: () => revokeSession(sessions, session) },
  ];
  const left = formatCountdown(session.credentials.expiration - sessions.deps.clock.now());
  const picked = await vscode.window.showQuickPick(actions, { title: `InfraWatch: ${label}`, placeHolder: `${left} left · ${session.assumedRoleArn}`, ignoreFocusOut: true });
  await picked?.run();
}
