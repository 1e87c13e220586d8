// Finds references to documents that are not in the repository (the planning notes kept
// next to it while it was built). A person who clones the repository cannot follow them,
// so a comment or doc says the rule itself or points at README.md or docs/*.md instead.

/** The names of those documents, as they were cited ("<NAME>.md", "<NAME> §n"). */
const outsideNames = ['DESIGN', 'STYLE'];
/** Split so that this file does not cite it itself. */
const harness = ['E2E', 'HARNESS'].join('-');
const pattern = new RegExp(`\\b(${outsideNames.join('|')})(\\.md\\b| ?§)|\\b${harness}\\b`);

/** Lockfiles and generated or vendored data: not written by us, not worth scanning. */
const skipped = [/(^|\/)package-lock\.json$/, /\.generated\.ts$/];

export interface OutsideDocHit {
  path: string;
  line: number;
  text: string;
}

/** True when the file is one a person writes (not a lockfile, generated data or binary). */
export function isScanned(path: string, text: string): boolean {
  return !skipped.some((re) => re.test(path)) && !text.includes('\0');
}

/** Every line of the file that cites one of the outside documents. */
export function findOutsideDocRefs(path: string, text: string): OutsideDocHit[] {
  if (!isScanned(path, text)) return [];
  const hits: OutsideDocHit[] = [];
  text.split('\n').forEach((line, index) => {
    if (pattern.test(line)) hits.push({ path, line: index + 1, text: line.trim() });
  });
  return hits;
}
