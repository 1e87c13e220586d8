// Webview options and the page for a panel: scripts on, resources only from the bundle
// and media folders, and the one HTML function of src/core with a fresh nonce.
import * as vscode from 'vscode';
import { createNonce, getWebviewHtml } from '../../core/webviewHtml';

export type PanelKind = 'metrics' | 'logs';

export const panelViewTypes: Readonly<Record<PanelKind, string>> = {
  metrics: 'infrawatch.metrics',
  logs: 'infrawatch.logs',
};

export function getWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The page shell. Its title is fixed: names from AWS arrive later, by message. */
export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, panel: PanelKind): string {
  const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  return getWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: asset('dist', 'webview', `${panel}.js`),
    styleUris: [asset('dist', 'webview', `${panel}.css`), asset('media', 'webview.css')],
    title: panel === 'metrics' ? 'InfraWatch Metrics' : 'InfraWatch Logs',
    panel,
  });
}

export function getThemeKind(kind: vscode.ColorThemeKind): 'light' | 'dark' | 'highContrast' | 'highContrastLight' {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}
