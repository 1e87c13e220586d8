// Static check: no tracked file (nor a new one not yet added) cites a document outside
// the repository (see scripts/lib/outsideDocs.ts). Prints each hit as path:line and exits 1 on any.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOutsideDocRefs, type OutsideDocHit } from './lib/outsideDocs';
import { repoRoot } from './lib/paths';

function getTrackedFiles(): string[] {
  const listing = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return listing.split('\0').filter((path) => path !== '');
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(join(repoRoot, path), 'utf8');
  } catch {
    return undefined; // deleted in the work tree but not yet in the index: nothing to scan
  }
}

const hits: OutsideDocHit[] = getTrackedFiles().flatMap((path) => {
  const text = readIfPresent(path);
  return text === undefined ? [] : findOutsideDocRefs(path, text);
});
for (const hit of hits) console.log(`${hit.path}:${hit.line}: ${hit.text}`);
if (hits.length > 0) {
  const files = new Set(hits.map((hit) => hit.path)).size;
  console.log(
    `${hits.length} references in ${files} files to documents outside the repository: say the rule in the file, or point at README.md or docs/`,
  );
}
process.exitCode = hits.length > 0 ? 1 : 0;
