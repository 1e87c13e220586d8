// The signed-in Identity Center identity in the editor: it becomes the base identity, the
// status bar shows it and, before the Identity Center session ends, says so and offers
// Sign In again; once it has ended the sidebar's welcome view offers the same (context key
// infrawatch.ssoExpired), never a stack trace.
import * as vscode from 'vscode';
import { type Clock, type Log } from '../../core/ports';
import { type SsoSignIn } from '../../core/sso/signedIn';
import { type AccessController } from '../accessController';
import { setSignedInIdentity } from '../baseCredentials';
import { commandIds } from '../commandIds';
import { executeCommand, getCommand } from '../commandRegistry';

export const ssoExpiredContextKey = 'infrawatch.ssoExpired';
/** The status bar is brought up to date at least this often while signed in (its minutes count down). */
const tickMs = 60_000;

export interface SignedInChoice {
  signIn: SsoSignIn;
  accountId: string;
  roleName: string;
}

export class SignInService implements vscode.Disposable {
  private current: SignedInChoice | undefined;
  private timer: NodeJS.Timeout | undefined;
  private warnedFor: number | undefined;
  private readonly item = vscode.window.createStatusBarItem('infrawatch.signIn', vscode.StatusBarAlignment.Left, 49);

  constructor(private readonly deps: { controller: AccessController; log: Log; clock: Clock }) {
    this.item.name = 'InfraWatch Identity Center Sign-In';
  }

  get signedIn(): SignedInChoice | undefined {
    return this.current;
  }

  /** Makes the permission set the base identity and reloads the sidebar with it. */
  async become(choice: SignedInChoice): Promise<void> {
    this.current?.signIn.clients.dispose();
    this.current = choice;
    this.warnedFor = undefined;
    const label = `${choice.roleName} in ${choice.accountId}`;
    setSignedInIdentity({
      credentials: choice.signIn.getCredentialsProvider(choice.accountId, choice.roleName),
      region: choice.signIn.session.region,
      label,
    });
    this.deps.log.info(
      `Signed in with IAM Identity Center (${choice.signIn.session.startUrl}) as ${label}; the sign-in ends at ${new Date(choice.signIn.expiresAt).toISOString()}`,
    );
    await vscode.commands.executeCommand('setContext', ssoExpiredContextKey, false);
    this.check();
    await this.deps.controller.refresh();
  }

  /** Back to the profile's credentials (e.g. the user switched profile). */
  signOut(): void {
    if (!this.current) return;
    this.current.signIn.clients.dispose();
    this.current = undefined;
    setSignedInIdentity(undefined);
    this.clearTimer();
    this.item.hide();
    void vscode.commands.executeCommand('setContext', ssoExpiredContextKey, false);
  }

  /** Looks at the expiry now: refreshes, warns or marks the sign-in ended, and schedules the next look. */
  check(): void {
    this.clearTimer();
    const current = this.current;
    if (!current) return;
    const decision = current.signIn.decide();
    const now = this.deps.clock.now();
    switch (decision.kind) {
      case 'refresh':
        void current.signIn.refresh().then((ok) => {
          this.deps.log.info(
            ok
              ? 'Refreshed the IAM Identity Center sign-in.'
              : 'The IAM Identity Center sign-in could not be refreshed.',
          );
          if (this.current === current) this.check();
        });
        return;
      case 'fresh':
        this.show(
          `$(account) ${current.roleName}`,
          `Signed in with IAM Identity Center as ${current.roleName} in ${current.accountId}; the sign-in lasts until ${formatTime(current.signIn.expiresAt)}.`,
        );
        this.schedule(Math.min(decision.checkAt - now, tickMs));
        return;
      case 'endingSoon':
        this.show(
          `$(warning) Sign-in ends in ${decision.minutesLeft} min`,
          `Your IAM Identity Center sign-in ends at ${formatTime(current.signIn.expiresAt)}. Click to sign in again.`,
          true,
        );
        this.warnOnce(
          current,
          `Your IAM Identity Center sign-in ends in ${decision.minutesLeft} minute${decision.minutesLeft === 1 ? '' : 's'}.`,
        );
        this.schedule(Math.min(current.signIn.expiresAt - now, tickMs));
        return;
      case 'expired':
        this.show(
          '$(error) Sign-in expired',
          'Your IAM Identity Center sign-in has ended. Click to sign in again.',
          true,
        );
        void vscode.commands.executeCommand('setContext', ssoExpiredContextKey, true);
        this.warnOnce(current, 'Your IAM Identity Center sign-in has ended.');
        void this.deps.controller.refresh();
        return;
    }
  }

  private show(text: string, tooltip: string, warning = false): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = getCommand(commandIds.signInWithIdentityCenter, 'Sign In with IAM Identity Center');
    this.item.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** One notification per sign-in for "ending" and one for "ended", each with the way back in. */
  private warnOnce(current: SignedInChoice, message: string): void {
    const key = current.signIn.expiresAt * (message.includes('has ended') ? -1 : 1);
    if (this.warnedFor === key) return;
    this.warnedFor = key;
    void vscode.window.showWarningMessage(message, 'Sign In Again').then((picked) => {
      if (picked) void executeCommand(commandIds.signInWithIdentityCenter);
    });
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(1000, ms));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.clearTimer();
    this.current?.signIn.clients.dispose();
    this.item.dispose();
  }
}

function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
