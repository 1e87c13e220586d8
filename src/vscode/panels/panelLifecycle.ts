// The one lifecycle every webview panel (metrics, logs, admin) goes through: create, or
// reveal the open one with the same key; restore what VS Code kept across a reload from
// the state the webview saved; own everything the panel registers and dispose it with
// the panel; and the message channel, whose failures reach both the page and the error
// funnel. A kind of panel only says what differs (a PanelDefinition).
import * as vscode from 'vscode';
import type * as z from 'zod';
import { fromAwsError } from '../../core/errors';
import { type Log } from '../../core/ports';
import { type WebviewBundle } from '../../core/webviewHtml';
import { limits } from '../../shared/messages';
import { DisposableStore } from './disposableStore';
import { PanelChannel } from './panelChannel';
import { getWebviewOptions, renderPanelHtml } from './panelHtml';

/** What a panel's host gets from the lifecycle. */
export interface PanelContext<Out extends z.ZodType> {
  readonly panel: vscode.WebviewPanel;
  /** Has the page said `ready` (since it was last shown)? */
  readonly isReady: boolean;
  /** Sends a message once the page is ready; checked against the schema first. */
  post(message: z.infer<Out>): void;
  /** Owned by the panel: disposed when it closes or the extension stops. */
  own<T extends vscode.Disposable>(disposable: T): T;
  /**
   * Tells the page (`failed`, echoing the request id) and the error funnel. A failure with
   * the same message as `repeatOf` (an auto-refresh failing again) reaches the page only.
   * Returns the message, for the next `repeatOf`.
   */
  fail(
    requestId: string | undefined,
    error: unknown,
    action: string,
    options?: { doing?: string; repeatOf?: string },
  ): string;
}

export interface PanelHost<Message, Target> extends vscode.Disposable {
  readonly title: string;
  onMessage(message: Message): unknown;
  /** Opened again, asked for `target`. */
  show?(target: Target): void;
  /** Hidden: the page goes away and says `ready` again when shown; stop what it waits for. */
  pause?(): void;
}

export interface PanelDefinition<
  Target,
  In extends z.ZodType,
  Out extends z.ZodType,
  Host extends PanelHost<z.infer<In>, Target>,
> {
  viewType: string;
  bundle: WebviewBundle;
  /** The page's own <title>, fixed; the tab title comes from the host. */
  pageTitle: string;
  /** How the log and the error funnel name the panel. */
  name: string;
  column: vscode.ViewColumn;
  schemas: { incoming: In; outgoing: Out };
  /** One panel per key: opening with a key that is open reveals that panel. */
  getKey(target: Target): string;
  /** What a panel VS Code kept across a reload shows, from its saved state; undefined closes it. */
  restore(state: unknown): Promise<Target | undefined>;
  createHost(context: PanelContext<Out>, target: Target): Host;
}

export interface PanelLifecycleDeps {
  extensionUri: vscode.Uri;
  log: Log;
  /** The error funnel; the page has already shown the failure. */
  onError(action: string, error: unknown): void;
}

interface OpenPanel<Host> {
  panel: vscode.WebviewPanel;
  host: Host;
  store: DisposableStore;
}

export class PanelLifecycle<
  Target,
  In extends z.ZodType,
  Out extends z.ZodType,
  Host extends PanelHost<z.infer<In>, Target>,
>
  implements vscode.Disposable
{
  private readonly open = new Map<string, OpenPanel<Host>>();
  private serializer: vscode.Disposable | undefined;

  constructor(
    private readonly definition: PanelDefinition<Target, In, Out, Host>,
    private readonly deps: PanelLifecycleDeps,
  ) {}

  /** Opens the panel for `target`, or reveals (and updates) the one open for its key. */
  show(target: Target): Host {
    const key = this.definition.getKey(target);
    const open = this.open.get(key);
    if (open) {
      open.host.show?.(target);
      open.panel.reveal();
      return open.host;
    }
    const { viewType, pageTitle, column } = this.definition;
    const panel = vscode.window.createWebviewPanel(
      viewType,
      pageTitle,
      column,
      getWebviewOptions(this.deps.extensionUri),
    );
    return this.adopt(panel, key, target);
  }

  /** Takes over a panel VS Code restored after a reload; a state it cannot use closes it. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const { name } = this.definition;
    try {
      const target = await this.definition.restore(state);
      if (target === undefined) {
        this.deps.log.warn(`Not restoring the ${name}: its saved state is missing or no longer applies`);
        return panel.dispose();
      }
      const key = this.definition.getKey(target);
      if (this.open.has(key)) return panel.dispose(); // already open (the command ran first)
      panel.webview.options = getWebviewOptions(this.deps.extensionUri);
      this.adopt(panel, key, target);
    } catch (error) {
      this.deps.log.warn(`Not restoring the ${name}`, error instanceof Error ? error : String(error));
      panel.dispose();
    }
  }

  /** Registers the serializer that brings this kind of panel back after a window reload; dispose() ends it. */
  registerSerializer(): this {
    this.serializer ??= vscode.window.registerWebviewPanelSerializer(this.definition.viewType, {
      deserializeWebviewPanel: (panel, state) => this.restore(panel, state),
    });
    return this;
  }

  private adopt(panel: vscode.WebviewPanel, key: string, target: Target): Host {
    const store = new DisposableStore();
    const { definition, deps } = this;
    // The page cannot answer before the host exists: messages reach it through this holder.
    const created: { host?: Host } = {};
    const channel = store.add(
      new PanelChannel(panel.webview, definition.schemas, deps.log, definition.name, (message) =>
        this.dispatch(created.host, context, message),
      ),
    );
    const context = this.createContext(panel, store, channel);
    panel.webview.html = renderPanelHtml(panel.webview, deps.extensionUri, definition.bundle, definition.pageTitle);
    const host = store.add(definition.createHost(context, target));
    created.host = host;
    panel.title = host.title;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'infrawatch.svg');
    store.add(
      panel.onDidChangeViewState(() => {
        if (panel.visible) return;
        host.pause?.();
        channel.reset();
      }),
    );
    store.add(
      panel.onDidDispose(() => {
        store.dispose();
        if (this.open.get(key)?.store === store) this.open.delete(key);
      }),
    );
    this.open.set(key, { panel, host, store });
    return host;
  }

  private createContext(
    panel: vscode.WebviewPanel,
    store: DisposableStore,
    channel: PanelChannel<In, Out>,
  ): PanelContext<Out> {
    const { deps } = this;
    return {
      panel,
      get isReady() {
        return channel.isReady;
      },
      post: (message) => channel.post(message),
      own: (disposable) => store.add(disposable),
      fail: (requestId, error, action, options = {}) => {
        const known = fromAwsError(error, options.doing ?? action);
        const message = known.message.slice(0, limits.text);
        channel.post({ type: 'failed', requestId, message, code: known.code } as z.infer<Out>);
        if (known.message !== options.repeatOf) deps.onError(action, known);
        return known.message;
      },
    };
  }

  /** Runs the host's handler; what it throws (now or later) fails that request. */
  private dispatch(host: Host | undefined, context: PanelContext<Out>, message: z.infer<In>): void {
    const action = `${this.definition.name}: ${String((message as { type?: unknown }).type)}`;
    const requestId = (message as { requestId?: string }).requestId;
    try {
      const result = host?.onMessage(message);
      if (result instanceof Promise) result.catch((error: unknown) => context.fail(requestId, error, action));
    } catch (error) {
      context.fail(requestId, error, action);
    }
  }

  /** Stops every panel's work. The panels stay open, so VS Code can restore them after a reload. */
  dispose(): void {
    for (const { store } of [...this.open.values()]) store.dispose();
    this.open.clear();
    this.serializer?.dispose();
  }
}
