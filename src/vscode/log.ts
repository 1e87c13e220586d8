import * as vscode from 'vscode';
import { describeCauses } from '../core/errors';
import { type Log } from '../core/ports';
import { type Redactor } from '../core/redact';

/** The one output channel, behind the core Log port; every line passes the redactor. */
export function createLog(redactor: Redactor): Log & vscode.Disposable & { show(): void } {
  const channel = vscode.window.createOutputChannel('InfraWatch', { log: true });
  const format = (message: string | Error, args: unknown[]): string => {
    const head = message instanceof Error ? describeCauses(message) : message;
    const rest = args.map((a) =>
      a instanceof Error ? describeCauses(a) : typeof a === 'string' ? a : JSON.stringify(a),
    );
    return redactor.redact([head, ...rest].join(' '));
  };
  return {
    trace: (m, ...a) => channel.trace(format(m, a)),
    debug: (m, ...a) => channel.debug(format(m, a)),
    info: (m, ...a) => channel.info(format(m, a)),
    warn: (m, ...a) => channel.warn(format(m, a)),
    error: (m, ...a) => channel.error(format(m, a)),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
