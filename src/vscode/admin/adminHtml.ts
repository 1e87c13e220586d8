// The admin panel's page: the same HTML function and webview options as the metric and
// log panels, with its own bundle.
import * as vscode from 'vscode';
import { createNonce, getWebviewHtml } from '../../core/webviewHtml';

export const adminViewType = 'infrawatch.admin';

export function renderAdminHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  return getWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: asset('dist', 'webview', 'admin.js'),
    styleUris: [asset('dist', 'webview', 'admin.css'), asset('media', 'webview.css')],
    title: 'InfraWatch Admin',
    panel: 'admin',
  });
}
