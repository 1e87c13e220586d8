import * as vscode from 'vscode';
import { type ErrorCode, InfraWatchError } from '../core/errors';
import { type Log } from '../core/ports';
import { type CommandArgs, type CommandId, commandIds } from './commandIds';
import { executeCommand } from './commandRegistry';

/** The commands a button can run as they are, with no argument. */
type CommandIdWithoutArgs = { [K in CommandId]: CommandArgs[K] extends [] ? K : never }[CommandId];

/** Up to two follow-up actions per error code, besides "Show Log". */
const followUps: Partial<Record<ErrorCode, { title: string; command: CommandIdWithoutArgs }>> = {
  NoCredentials: { title: 'Switch AWS Profile', command: commandIds.switchProfile },
  PolicyInvalid: { title: 'Open Access Policy', command: commandIds.openPolicy },
  NoPolicy: { title: 'Create Access Policy', command: commandIds.createPolicy },
};

function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || (error instanceof InfraWatchError && error.code === 'Cancelled');
}

/**
 * The one place command failures end: cancellation is silent; a known error shows its
 * message with at most two actions; anything else a short message. The full cause
 * chain goes to the log, never to the toast.
 */
export async function runWithErrorHandling<T>(
  action: string,
  log: Log,
  work: () => Promise<T> | T,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (isCancellation(error)) return undefined;
    log.error(`${action} failed`, error instanceof Error ? error : String(error));
    const known = error instanceof InfraWatchError;
    const message = known
      ? error.message
      : `${action} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    const followUp = known ? followUps[error.code] : undefined;
    const actions = [...(followUp ? [followUp.title] : []), 'Show Log'];
    void vscode.window.showErrorMessage(message, ...actions).then((picked) => {
      if (picked === 'Show Log') void executeCommand(commandIds.showLog);
      else if (picked && followUp) void executeCommand(followUp.command);
    });
    return undefined;
  }
}
