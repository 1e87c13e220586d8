import * as vscode from 'vscode';
import { getService } from '../../core/catalog';
import { type Clock } from '../../core/ports';
import { type Session } from '../../core/session';
import { commandIds } from '../commandIds';
import { type SessionService } from './sessionService';

const warningMs = 5 * 60_000;

export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The soonest-expiring session with a live countdown; "Request Access" when there is none. */
export class SessionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('infrawatch.sessions', vscode.StatusBarAlignment.Left, 10);
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly sessions: SessionService,
    private readonly clock: Clock,
    private readonly isSignedIn: () => boolean,
  ) {
    this.item.name = 'InfraWatch Sessions';
    this.subscription = sessions.store.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const list = this.sessions.list();
    clearInterval(this.timer);
    this.timer = undefined;
    if (list.length === 0) {
      this.item.text = '$(key) Request Access';
      this.item.tooltip = 'InfraWatch: request short-lived AWS credentials';
      this.item.command = commandIds.requestAccess;
      this.item.backgroundColor = undefined;
      if (this.isSignedIn()) this.item.show();
      else this.item.hide();
      return;
    }
    this.item.command = commandIds.showSessions;
    this.render(list);
    this.item.show();
    this.timer = setInterval(() => this.render(this.sessions.list()), 1000);
  }

  private render(list: Session[]): void {
    const soonest = [...list].sort((a, b) => a.credentials.expiration - b.credentials.expiration)[0];
    if (!soonest) return this.update();
    const left = soonest.credentials.expiration - this.clock.now();
    const more = list.length > 1 ? ` +${list.length - 1}` : '';
    this.item.text = `$(key) ${getService(soonest.service).displayName} ${soonest.level} ${formatCountdown(left)}${more}`;
    this.item.backgroundColor =
      left <= warningMs ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const lines = list.map(
      (s) =>
        `${getService(s.service).displayName} ${s.level} — ${formatCountdown(s.credentials.expiration - this.clock.now())} left (account ${s.account})`,
    );
    this.item.tooltip = `InfraWatch sessions:\n${lines.join('\n')}\n\nClick to open a terminal, renew or revoke.`;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
