// The panels' plumbing exists once: one page function, one place that creates webview
// panels and registers their serializers, one channel. These read the sources, because a
// second copy is what a newcomer would otherwise have to find and keep in step by hand.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function listTs(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The source files of src/ that contain `pattern`, with how often. */
function filesUsing(pattern: RegExp): Record<string, number> {
  const found: Record<string, number> = {};
  for (const file of listTs('src')) {
    const count = readFileSync(join(root, file), 'utf8').match(new RegExp(pattern.source, 'g'))?.length ?? 0;
    if (count > 0) found[file] = count;
  }
  return found;
}

describe('panel lifecycle: one of each part', () => {
  it('builds every panel page with the one HTML function, called from one place', () => {
    assert.deepEqual(filesUsing(/\bgetWebviewHtml\(/), {
      'src/core/webviewHtml.ts': 1,
      'src/vscode/panels/panelHtml.ts': 1,
    });
    assert.deepEqual(filesUsing(/Content-Security-Policy/), { 'src/core/webviewHtml.ts': 1 }, 'no second CSP builder');
    assert.deepEqual(filesUsing(/\bcreateNonce\(/), {
      'src/core/webviewHtml.ts': 1,
      'src/vscode/panels/panelHtml.ts': 1,
    });
  });

  it('creates, restores and listens to webview panels in one lifecycle for metrics, logs and admin', () => {
    const lifecycle = 'src/vscode/panels/panelLifecycle.ts';
    assert.deepEqual(filesUsing(/\bcreateWebviewPanel\(/), { [lifecycle]: 1 });
    assert.deepEqual(filesUsing(/\bregisterWebviewPanelSerializer\(/), { [lifecycle]: 1 });
    assert.deepEqual(filesUsing(/\bonDidReceiveMessage\(/), { 'src/vscode/panels/panelChannel.ts': 1 });
    assert.deepEqual(filesUsing(/\bnew PanelChannel\b/), { [lifecycle]: 1 });
  });

  it('declares each panel view type once, matching the activation events', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { activationEvents: string[] };
    const viewTypes = manifest.activationEvents
      .filter((e) => e.startsWith('onWebviewPanel:'))
      .map((e) => e.slice('onWebviewPanel:'.length));
    assert.deepEqual(viewTypes.sort(), ['infrawatch.admin', 'infrawatch.logs', 'infrawatch.metrics']);
    for (const viewType of viewTypes) {
      const declared = filesUsing(new RegExp(`viewType: '${viewType.replace('.', '\\.')}'`));
      assert.equal(
        Object.values(declared).reduce((a, b) => a + b, 0),
        1,
        `${viewType} is declared by one panel definition: ${JSON.stringify(declared)}`,
      );
    }
  });

  it('sends no theme message: the pages follow the body class and --vscode-* variables', () => {
    assert.deepEqual(filesUsing(/onDidChangeActiveColorTheme/), {});
    const webview = listTs('webview').filter((f) => /case 'theme'/.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(webview, []);
  });
});
