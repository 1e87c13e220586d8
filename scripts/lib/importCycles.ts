// Finds import cycles among our own modules. Type-only imports count too: a cycle through
// types still ties two modules together (neither can be read or moved without the other),
// even though the bundle erases it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** `from '…'`, `import '…'`, `import('…')` and `require('…')` with a relative specifier. */
const specifierPattern = /(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

export function getRelativeImports(text: string): string[] {
  return [...text.matchAll(specifierPattern)].map((match) => match[1]!);
}

function listSources(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a root that does not exist (no webview/) has no modules
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string, known: Set<string>): string | undefined {
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => known.has(candidate));
}

/** Module → the modules it imports, for every .ts file under the roots (absolute paths). */
export function getImportGraph(roots: string[]): Map<string, string[]> {
  const files = roots.flatMap(listSources);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = getRelativeImports(readFileSync(file, 'utf8')).map((s) => resolveImport(file, s, known));
    graph.set(file, [...new Set(targets.filter((t): t is string => t !== undefined))]);
  }
  return graph;
}

/** The strongly connected components with more than one module (or a self-import), by Tarjan. */
function getTangles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const tangles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) tangles.push(component);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return tangles;
}

/** One concrete loop inside a tangle, start → … → start, by breadth-first search. */
function getLoop(graph: Map<string, string[]>, members: Set<string>, start: string): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Each cycle as "a.ts → b.ts → a.ts" (paths relative to `root`), one per tangle of modules. */
export function findImportCycles(graph: Map<string, string[]>, root: string): string[] {
  return getTangles(graph).map((tangle) => {
    const start = [...tangle].sort()[0]!;
    const loop = getLoop(graph, new Set(tangle), start).map((file) => relative(root, file));
    const others = tangle.length - (loop.length - 1);
    return `${loop.join(' → ')}${others > 0 ? ` (and ${others} more module(s) in the same tangle)` : ''}`;
  });
}
