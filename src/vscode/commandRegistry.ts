// Registering and running commands by the typed map in commandIds.ts: a handler gets the
// arguments its id declares, and a caller must pass them.
import * as vscode from 'vscode';
import { type CommandArgs, type CommandId } from './commandIds';

/** A command's handler and what it does, for the error funnel's "<action> failed: …". */
export interface CommandHandler<K extends CommandId> {
  action: string;
  run(...args: CommandArgs[K]): unknown;
}

/** Handlers for some commands; the whole map (every id) for registerCommands. */
export type CommandHandlers<K extends CommandId = CommandId> = { [P in K]: CommandHandler<P> };

/** The error funnel a command runs through (runWithErrorHandling with the log bound). */
export type RunCommand = (action: string, work: () => unknown) => Promise<unknown>;

/**
 * Registers one handler for every command id; the type refuses a map that misses one.
 * What the handler returns is what executeCommand resolves to (undefined on failure).
 */
export function registerCommands(handlers: CommandHandlers, run: RunCommand): vscode.Disposable[] {
  return (Object.keys(handlers) as CommandId[]).map((id) => registerHandler(id, handlers[id], run));
}

function registerHandler<K extends CommandId>(id: K, handler: CommandHandler<K>, run: RunCommand): vscode.Disposable {
  // The arguments come from VS Code (palette, menus, links), typed by the id's declaration.
  return vscode.commands.registerCommand(id, (...args: unknown[]) =>
    run(handler.action, () => handler.run(...(args as CommandArgs[K]))),
  );
}

/** vscode.commands.executeCommand with the arguments checked against the id. */
export function executeCommand<K extends CommandId>(id: K, ...args: CommandArgs[K]): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/** A vscode.Command (tree item, status bar) that runs one of our commands. */
export function getCommand<K extends CommandId>(id: K, title: string, ...args: CommandArgs[K]): vscode.Command {
  return { command: id, title, ...(args.length > 0 ? { arguments: args } : {}) };
}

/** Checks a part's handlers against the map; the ids it handles are inferred from the keys. */
export function defineCommandHandlers<K extends CommandId>(handlers: CommandHandlers<K>): CommandHandlers<K> {
  return handlers;
}
