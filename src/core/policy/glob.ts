// ARN globs for assignments: `*` any run of characters (including "/"), `?` exactly one,
// anchored, case-sensitive. Matched without building a RegExp from policy text, so a hostile
// pattern like `a*a*a*a*…b` costs at most length × length steps, never exponential time.

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** How specific a glob is: its characters that are not wildcards. */
export function countLiterals(pattern: string): number {
  let count = 0;
  for (const c of pattern) if (c !== '*' && c !== '?') count += 1;
  return count;
}

export function matchesGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      // Remember the star and first try letting it match nothing.
      starAt = p;
      resumeAt = t;
      p += 1;
    } else if (starAt >= 0) {
      // Let the last star swallow one more character and retry from there.
      p = starAt + 1;
      resumeAt += 1;
      t = resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}
