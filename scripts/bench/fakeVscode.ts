// A stand-in for the `vscode` module, just enough for activate() to run in plain Node,
// so the bench can time our own activation work without an editor around it.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Any API we do not name answers with an inert object that is also callable.

const disposable = { dispose: (): void => undefined };

function inert(): unknown {
  const target = function () {
    return inert();
  };
  return new Proxy(target, {
    get: (_t, key) => {
      if (key === 'then') return undefined; // not a thenable
      if (key === 'dispose') return disposable.dispose;
      if (key === Symbol.toPrimitive) return () => '';
      return inert();
    },
    set: () => true, // the extension sets properties (item.name, collection.persistent): accept all
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

class EventEmitter {
  event = (): typeof disposable => disposable;
  fire(): void {}
  dispose(): void {}
}

/** Every class, enum and namespace the real module exports, so bundlers' ESM interop sees them. */
function getApiNames(): string[] {
  const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  return [...dts.matchAll(/^\t?export (?:class|enum|namespace) (\w+)/gm)].map((m) => m[1]!);
}

export function createFakeVscode(): Record<string, unknown> {
  const overrides: Record<string, unknown> = {
    ...Object.fromEntries(getApiNames().map((name) => [name, inert()])),
    EventEmitter,
    window: new Proxy(inert() as object, {
      get: (_t, key) => {
        if (key === 'createTreeView')
          return () => ({ visible: false, onDidChangeVisibility: () => disposable, dispose: () => undefined });
        if (key === 'createOutputChannel')
          return () => ({ trace() {}, debug() {}, info() {}, warn() {}, error() {}, show() {}, dispose() {} });
        return (inert() as Record<string | symbol, unknown>)[key];
      },
    }),
    commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
    workspace: new Proxy(inert() as object, {
      get: (_t, key) => {
        if (key === 'getConfiguration') return () => ({ get: () => '' });
        if (key === 'workspaceFolders') return undefined;
        return (inert() as Record<string | symbol, unknown>)[key];
      },
    }),
  };
  return overrides;
}

export function createFakeContext(): { subscriptions: { dispose(): void }[] } & Record<string, unknown> {
  // Anything activate() reads from the context that is not named here is inert.
  // Paths are real strings: activate() joins file names onto them (a scratch folder in the temp dir).
  const named: Record<string, unknown> = {
    subscriptions: [],
    extensionMode: 1,
    globalStorageUri: { fsPath: join(tmpdir(), 'infrawatch-bench-storage') },
  };
  return new Proxy(named, {
    get: (target, key) => (key in target ? target[key as string] : (inert() as Record<string | symbol, unknown>)[key]),
  }) as { subscriptions: { dispose(): void }[] } & Record<string, unknown>;
}
