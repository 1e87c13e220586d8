// Whether a grant's resource pattern can name a resource of a given type: some ARN must
// match both the pattern (IAM globbing: `*` any run, `?` one character) and the type's ARN
// format from AWS's Service Authorization Reference, whose `${Variable}` parts stand for
// any value. `arn:aws:ec2:*:111122223333:instance/i-0prod*` fits
// `arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}`, not `…:volume/${VolumeId}`.

type Token = { any: true } | { any: false; char: string };

/** `?` in a pattern is one unknown character: a literal that meets any character. */
const oneChar = '\u0000';

function patternTokens(pattern: string): Token[] {
  return [...pattern].map((char) =>
    char === '*' ? { any: true } : { any: false, char: char === '?' ? oneChar : char },
  );
}

/** `${Region}`, `${InstanceId}`: any value. */
function formatTokens(format: string): Token[] {
  const out: Token[] = [];
  for (const part of format.split(/(\$\{[^}]*\})/)) {
    if (part.startsWith('${')) out.push({ any: true });
    else for (const char of part) out.push({ any: false, char });
  }
  return out;
}

function charsMeet(a: string, b: string): boolean {
  return a === b || a === oneChar || b === oneChar;
}

/** Whether two patterns of literals and "any run" parts share a string (a walk over both). */
function intersects(a: Token[], b: Token[]): boolean {
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const width = b.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop() as [number, number];
    if (i === a.length && j === b.length) return true;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    const x = a[i];
    const y = b[j];
    if (x?.any) {
      stack.push([i + 1, j]);
      if (y) stack.push([i, j + 1]);
    }
    if (y?.any) {
      stack.push([i, j + 1]);
      if (x) stack.push([i + 1, j]);
    }
    if (x && y && !x.any && !y.any && charsMeet(x.char, y.char)) stack.push([i + 1, j + 1]);
  }
  return false;
}

/** arn, partition, service, region, account, and the resource (which may hold colons). */
function segments(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * Segment by segment, so `instance/i-0prod*` never reaches into the account segment of a
 * `volume/${VolumeId}` format. A pattern with fewer segments (`arn:aws:ec2:*`) can only
 * match through a trailing `*`, which may run past colons (IAM user guide, Resource element:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
 * its last segment is compared with the rest of the format.
 */
export function patternFitsArnFormat(pattern: string, format: string): boolean {
  if (pattern === '*') return true;
  const theirs = segments(format);
  const ours = segments(pattern) ?? pattern.split(':');
  if (!theirs) return intersects(patternTokens(pattern), formatTokens(format));
  const last = ours.length - 1;
  if (ours.length < theirs.length && !pattern.endsWith('*')) return false;
  return ours.every((part, i) => {
    const their = i === last ? theirs.slice(i).join(':') : (theirs[i] ?? '');
    return intersects(patternTokens(part), formatTokens(their));
  });
}
