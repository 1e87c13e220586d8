// What loading the extension and activate() leave for later: building zod schemas (most of
// zod's cost) and the generated IAM action table (a fifth of the bundle). Run from the
// sources in a fresh process with the bench's stand-in for the vscode module; every call
// of a zod schema factory is traced to the file that made it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

/** Settings are read by activate() itself (the status bar, the profiles mode). */
const allowedCallers = ['src/vscode/config.ts'];

interface LoadTrace {
  /** `file` of each zod schema call made while loading the extension and activating it. */
  zodCallers: string[];
  /** Files of ours that were loaded (as repository paths). */
  loaded: string[];
}

/** A child script: counts zod factory calls by calling file, loads and activates the extension. */
function traceScript(): string {
  const activation = JSON.stringify(join(repoRoot, 'scripts', 'bench', 'activation.ts'));
  const extension = JSON.stringify(join(repoRoot, 'src', 'extension.ts'));
  const root = JSON.stringify(`${repoRoot}/`);
  return `
const Module = require('node:module');
const root = ${root};
const callers = [];
const real = require('zod');
const caller = () => {
  const line = new Error().stack.split('\\n').slice(3).find((l) => l.includes(root + 'src/'));
  return line ? line.slice(line.indexOf(root) + root.length).replace(/:\\d+(:\\d+)?\\)?$/, '') : '(elsewhere)';
};
const traced = { __esModule: true };
for (const [key, value] of Object.entries(real)) {
  traced[key] = typeof value === 'function' && /^[a-z]/.test(key) ? (...args) => (callers.push(caller()), value(...args)) : value;
}
const load = Module._load;
Module._load = function (request, parent, isMain) { return request === 'zod' ? traced : load.call(this, request, parent, isMain); };
require(${activation}).loadAndActivate(${extension});
const loaded = Object.keys(require.cache).filter((f) => f.startsWith(root + 'src/')).map((f) => f.slice(root.length));
console.log(JSON.stringify({ zodCallers: callers, loaded }));
process.exit(0);
`;
}

describe('loading the extension leaves schemas and the IAM table for later', function () {
  this.timeout(120_000);
  let trace: LoadTrace = { zodCallers: [], loaded: [] };

  before(() => {
    const printed = execFileSync(process.execPath, ['--import', 'tsx', '-e', traceScript()], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    trace = JSON.parse(printed.trim().split('\n').pop()!) as LoadTrace;
  });

  it('builds no zod schema but the settings activate() reads', () => {
    assert.ok(trace.loaded.includes('src/core/policy/schema.ts'), 'the trace sees the schema modules load');
    const early = [...new Set(trace.zodCallers.filter((file) => !allowedCallers.includes(file)))];
    assert.deepEqual(early, [], 'schemas built while loading or activating');
    assert.ok(trace.zodCallers.length > 0, 'the trace sees the settings schema');
  });

  it('does not load the IAM action table', () => {
    assert.ok(trace.loaded.includes('src/core/iamActions.ts'), 'the lookups load');
    assert.ok(
      !trace.loaded.includes('src/core/iamActions.generated.ts'),
      'the generated table loaded with the extension',
    );
  });
});
