// The extension end of a panel's message channel. Nothing goes out before the webview
// says `ready` (and again after it reloads); every message in and out is checked
// against the shared schema; an invalid incoming one is dropped and logged, an invalid
// outgoing one is a bug and is logged instead of sent.
import type * as vscode from 'vscode';
import type * as z from 'zod';
import { type Log } from '../../core/ports';
import { describeMismatch, parseMessage } from '../../shared/messages';

export class PanelChannel<In extends z.ZodType, Out extends z.ZodType> implements vscode.Disposable {
  private ready = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly schemas: { incoming: In; outgoing: Out },
    private readonly log: Log,
    private readonly name: string,
    onMessage: (message: z.infer<In>) => void,
  ) {
    this.subscription = webview.onDidReceiveMessage((data: unknown) => {
      const message = parseMessage(schemas.incoming, data);
      if (message === undefined) {
        this.log.warn(
          `${name}: dropped an invalid message from the webview (${describeMismatch(schemas.incoming, data)})`,
        );
        return;
      }
      if ((message as { type?: unknown }).type === 'ready') this.ready = true;
      onMessage(message);
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The webview went away (hidden without retained context): wait for `ready` again. */
  reset(): void {
    this.ready = false;
  }

  post(message: z.infer<Out>): void {
    if (!this.ready) return;
    if (parseMessage(this.schemas.outgoing, message) === undefined) {
      this.log.error(
        `${this.name}: not sending an invalid ${String((message as { type?: unknown }).type)} message (${describeMismatch(this.schemas.outgoing, message)})`,
      );
      return;
    }
    void this.webview
      .postMessage(message)
      .then(undefined, (error: unknown) => this.log.debug(`${this.name}: postMessage failed`, error));
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
