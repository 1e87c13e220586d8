import * as vscode from 'vscode';
import { type Clock, type Log } from '../../core/ports';
import { type Redactor } from '../../core/redact';
import { type AccessController } from '../accessController';
import { commandIds } from '../commandIds';
import { defineCommandHandlers } from '../commandRegistry';
import { signInWithIdentityCenter } from './signInCommand';
import { SignInService } from './signInService';

/**
 * The service holding the signed-in identity; the sign-in command's handler goes back to
 * activate(), which registers every command.
 */
export function registerSignIn(
  context: vscode.ExtensionContext,
  deps: { controller: AccessController; log: Log; redactor: Redactor; clock: Clock },
) {
  const service = new SignInService(deps);
  context.subscriptions.push(
    service,
    // Choosing a profile means using it: the signed-in identity steps aside.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('infrawatch.profile') || !service.signedIn) return;
      service.signOut();
      void deps.controller.refresh();
    }),
  );
  return defineCommandHandlers({
    [commandIds.signInWithIdentityCenter]: {
      action: 'Signing in with IAM Identity Center',
      run: () => signInWithIdentityCenter({ service, ...deps }),
    },
  });
}
