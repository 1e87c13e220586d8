// The webview's one handle on VS Code. acquireVsCodeApi may be called only once per page.
// Outside VS Code (the bench page, a browser preview) a stand-in keeps state in memory
// and reports posted messages through a DOM event, so the same bundle runs there too.

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

function createStandIn(): VsCodeApi {
  let state: unknown;
  return {
    postMessage: (message) => window.dispatchEvent(new CustomEvent('infrawatch-post', { detail: message })),
    getState: () => state,
    setState: (next) => {
      state = next;
    },
  };
}

export const vscodeApi: VsCodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : createStandIn();
