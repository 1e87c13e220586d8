// A check of the static tier: a command id is written once, in src/vscode/commandIds.ts.
// Everywhere else in src/ and webview/ names it through that map, so renaming a command
// or finding who runs it is one search, and the compiler checks its arguments.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './lib/paths';
import * as commandMap from '../src/vscode/commandIds';

const mapFile = join(repoRoot, 'src', 'vscode', 'commandIds.ts');
const roots = [join(repoRoot, 'src'), join(repoRoot, 'webview')];

/** Every string value of every object the map file exports. */
function getKnownIds(): Set<string> {
  const exported: unknown[] = Object.values(commandMap);
  const objects = exported.filter(
    (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  return new Set(objects.flatMap((o) => Object.values(o)).filter((v): v is string => typeof v === 'string'));
}

function listSourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // webview/ may be absent
  }
  return entries.flatMap((e) =>
    e.isDirectory()
      ? listSourceFiles(join(dir, e.name))
      : /\.(ts|tsx|js|mjs|html)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

/** `file:line: 'infrawatch.x'` for each quoted known command id outside the map file. */
export function findCommandIdLiterals(files: string[], known: ReadonlySet<string>): string[] {
  const hits: string[] = [];
  for (const file of files) {
    if (file === mapFile) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const match of line.matchAll(/(['"`])(infrawatch\.\w+)\1/g)) {
          if (known.has(match[2] as string)) hits.push(`${relative(repoRoot, file)}:${index + 1}: ${match[0]}`);
        }
      });
  }
  return hits;
}

const hits = findCommandIdLiterals(roots.flatMap(listSourceFiles), getKnownIds());
if (hits.length > 0) {
  console.log(
    `${hits.length} command id${hits.length === 1 ? '' : 's'} written outside src/vscode/commandIds.ts (use commandIds.<name>):`,
  );
  for (const hit of hits) console.log(`  ${hit}`);
  process.exitCode = 1;
}
