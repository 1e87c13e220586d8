// The one HTML page every webview panel gets. It carries no data: the
// panel's content arrives by postMessage and is rendered with textContent or the chart
// API. Scripts run only with this render's nonce; nothing may be evaluated, inlined or
// fetched.
import { randomBytes } from 'node:crypto';

/** The webview bundles (webview/<name>/main.ts), one per kind of panel. */
export type WebviewBundle = 'metrics' | 'logs' | 'admin';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUris: readonly string[];
  title: string;
  panel: WebviewBundle;
}

/** A fresh nonce for one render: 128 random bits, base64. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function getContentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
}

/**
 * VS Code's `cspSource` is one or more sources (in the browser, `'self' https://*.vscode-cdn.net`).
 * Each must be `'self'` or a host/scheme source: a stray keyword or `;` would widen the policy.
 */
function getCheckedSources(cspSource: string): string {
  const sources = cspSource
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const valid =
    sources.length > 0 &&
    sources.every(
      (t) => t === "'self'" || /^[a-z][a-z0-9+.-]*:(\/\/[^\s;,'"]*)?$/i.test(t) || /^[^\s;,'":]+(:\d+)?$/.test(t),
    );
  if (!valid) throw new Error(`getWebviewHtml: cspSource must list 'self' or host sources only`);
  return sources.join(' ');
}

export function getWebviewHtml(options: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(options.nonce))
    throw new Error('getWebviewHtml: the nonce must be base64 of at least 16 characters');
  const cspSource = getCheckedSources(options.cspSource);
  const nonce = escapeHtml(options.nonce);
  const csp = escapeHtml(getContentSecurityPolicy(cspSource, options.nonce));
  const styles = options.styleUris
    .map((uri) => `    <link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(uri)}">`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body data-panel="${escapeHtml(options.panel)}">
    <main id="app" aria-busy="true"></main>
    <script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
  </body>
</html>
`;
}
