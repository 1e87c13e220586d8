// The webview end of the message channel: every incoming message is validated against
// the shared schema before anything reads it; one that fails is dropped and reported to
// the extension (which logs it). Outgoing messages are typed by the same schemas.
import * as z from 'zod';
import { describeMismatch, parseMessage } from '../../src/shared/messages';
import { vscodeApi } from './vscodeApi';

let lastRequest = 0;

/** A fresh id for a request; the reply echoes it, so stale replies can be told apart. */
export function nextRequestId(): string {
  lastRequest += 1;
  return `r${lastRequest}`;
}

export interface Channel<Out> {
  post(message: Out): void;
}

export function createChannel<In extends z.ZodType, Out>(
  incoming: In,
  onMessage: (message: z.infer<In>) => void,
): Channel<Out> {
  const post = (message: Out): void => vscodeApi.postMessage(message);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseMessage(incoming, event.data);
    if (message === undefined) {
      const why = describeMismatch(incoming, event.data);
      vscodeApi.postMessage({
        type: 'report',
        level: 'warn',
        message: `Dropped an invalid message from the extension: ${why}`.slice(0, 1_000),
      });
      return;
    }
    try {
      onMessage(message);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      vscodeApi.postMessage({
        type: 'report',
        level: 'error',
        message: `Handling ${String((message as { type?: unknown }).type)} failed: ${why}`.slice(0, 1_000),
      });
    }
  });
  return { post };
}
