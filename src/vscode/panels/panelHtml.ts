// Webview options and the page for a panel: scripts on, resources only from the webview
// bundle folder, and the one HTML function of src/core with a fresh nonce per render.
import * as vscode from 'vscode';
import { type WebviewBundle, createNonce, getWebviewHtml } from '../../core/webviewHtml';

function getBundleFolder(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function getWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [getBundleFolder(extensionUri)] };
}

/** The page shell. Its title is fixed: names from AWS arrive later, by message. */
export function renderPanelHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  bundle: WebviewBundle,
  title: string,
): string {
  const asset = (file: string): string =>
    webview.asWebviewUri(vscode.Uri.joinPath(getBundleFolder(extensionUri), file)).toString();
  return getWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: asset(`${bundle}.js`),
    styleUris: [asset(`${bundle}.css`)],
    title,
    panel: bundle,
  });
}
