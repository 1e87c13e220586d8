// An export nothing reads is dead code a newcomer still has to understand. This finds
// the exports of the panel, message and webview modules that no file of the repository
// names again (its own file counts: a helper used only there is tidy enough).
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const checked = [
  /^src\/shared\//,
  /^src\/vscode\/panels\//,
  /^src\/vscode\/admin\/admin(Panel|Context|Data)\.ts$/,
  /^src\/core\/webviewHtml\.ts$/,
  /^webview\//,
];

function listTs(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

function getExportedNames(source: string): string[] {
  return [
    ...source.matchAll(
      /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm,
    ),
  ].map((m) => m[1]!);
}

describe('dead exports in the panel area', () => {
  it('finds a use of every export of the panels, shared messages and webviews', () => {
    const files = ['src', 'webview', 'test', 'scripts', 'localaws'].flatMap(listTs);
    const sources = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
    const dead: string[] = [];
    for (const [file, source] of sources) {
      if (!checked.some((r) => r.test(file))) continue;
      for (const name of getExportedNames(source)) {
        const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`, 'g');
        const uses = [...sources.values()].reduce((n, s) => n + (s.match(word)?.length ?? 0), 0);
        if (uses <= 1) dead.push(`${file}: ${name}`);
      }
    }
    assert.deepEqual(dead, []);
  });
});
