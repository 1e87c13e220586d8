import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findImportCycles, getImportGraph, getRelativeImports } from '../../scripts/lib/importCycles';

function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cycles-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import cycle check (static tier)', () => {
  let root: string | undefined;
  afterEach(() => root && rmSync(root, { recursive: true, force: true }));

  it('reads every relative specifier: named, type-only, multi-line, re-export, side effect, dynamic', () => {
    const text = `import { a } from './a';\nimport {\n  type B,\n} from "../b";\nexport * from './c';\nimport './d';\nconst e = await import('./e');\nimport * as vscode from 'vscode';`;
    assert.deepEqual(getRelativeImports(text), ['./a', '../b', './c', './d', './e']);
  });

  it('names a cycle through a type-only import, across folders, and nothing for a chain', () => {
    root = writeTree({
      'src/x/a.ts': "import { type B } from '../y/b';",
      'src/y/b.ts': "import { c } from './c';",
      'src/y/c.ts': "import { a } from '../x/a';",
      'src/y/d.ts': "import { a } from '../x/a';", // leads into the cycle, is not part of it
      'webview/e.ts': "import { f } from './f';",
      'webview/f.ts': 'export const f = 1;',
    });
    const cycles = findImportCycles(getImportGraph([join(root, 'src'), join(root, 'webview')]), root);
    assert.deepEqual(cycles, ['src/x/a.ts → src/y/b.ts → src/y/c.ts → src/x/a.ts']);
  });

  it('passes a tree without cycles and reports a missing root as empty', () => {
    root = writeTree({
      'src/a.ts': "import { b } from './b';",
      'src/b.ts': "import { c } from './sub';",
      'src/sub/index.ts': '',
    });
    assert.deepEqual(findImportCycles(getImportGraph([join(root, 'src'), join(root, 'webview')]), root), []);
  });
});
