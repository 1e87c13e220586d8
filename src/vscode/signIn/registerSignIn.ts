import * as vscode from 'vscode';
import { type Clock, type Log } from '../../core/ports';
import { type Redactor } from '../../core/redact';
import { type AccessController } from '../accessController';
import { runWithErrorHandling } from '../errorFunnel';
import { signInWithIdentityCenter } from './signInCommand';
import { SignInService, signInCommandId } from './signInService';

/** The sign-in command and the service holding the signed-in identity. */
export function registerSignIn(
  context: vscode.ExtensionContext,
  deps: { controller: AccessController; log: Log; redactor: Redactor; clock: Clock },
): SignInService {
  const service = new SignInService(deps);
  context.subscriptions.push(
    service,
    vscode.commands.registerCommand(signInCommandId, () =>
      runWithErrorHandling('Signing in with IAM Identity Center', deps.log, () => signInWithIdentityCenter({ service, ...deps }))),
    // Choosing a profile means using it: the signed-in identity steps aside.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('infrawatch.profile') || !service.signedIn) return;
      service.signOut();
      void deps.controller.refresh();
    }),
  );
  return service;
}
