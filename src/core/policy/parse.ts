// Policy text → a validated policy, or every problem with its JSON path and position.
// Any problem means the document grants nothing (DESIGN §2): there is no partial policy.
import { getSemanticProblems } from './semantics';
import { type AccessPolicy, policyLimits, policySchema } from './schema';
import { toRawProblems } from './issues';
import { createRangeFinder, findTopLevelKey, formatJsonPath, getNestingDepth, locateNode, parseJsonText, type PathSegment, type RawProblem } from './jsonText';
import { getPolicyWarnings } from './warnings';

export interface PolicyProblem {
  /** JSON path of the offending node: `$.roles.Manager.inherits`, `$.assignments[2].role`, `$` for the document. */
  path: string;
  message: string;
  /** Offset and length of the node in the text (UTF-16 code units). */
  offset?: number;
  length?: number;
  /** 1-based line and column of `offset`, as editors display them. */
  line?: number;
  column?: number;
}

export type PolicyResult =
  | { ok: true; policy: AccessPolicy; warnings: PolicyProblem[] }
  | { ok: false; problems: PolicyProblem[] };

/** Past this many, the rest are summarised in one problem: a hostile file must not flood the editor. */
export const maxReportedProblems = 100;

export function parsePolicy(text: string): PolicyResult {
  const tooBig = checkSize(text);
  if (tooBig) return { ok: false, problems: [{ path: '$', message: tooBig, offset: 0, length: 0, line: 1, column: 1 }] };
  const toRange = createRangeFinder(text);
  const overCount = rejectOverCount(text, toRange);
  if (overCount) return overCount;
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const problems = parsed.syntax.map((e) => ({ path: formatJsonPath(e.path), message: e.message, ...toRange(e.offset, e.length) }));
    return { ok: false, problems: capProblems(problems, (p) => p) };
  }
  const tooMany = checkCounts(parsed.value);
  const place = (raw: RawProblem[]): PolicyProblem[] => placeProblems(raw, parsed.root, toRange);
  if (tooMany.length > 0) return { ok: false, problems: place(tooMany) };
  const result = policySchema.safeParse(parsed.value);
  const schemaProblems = result.success ? [] : result.error.issues.flatMap((issue) => toRawProblems(issue, parsed.value));
  const isRelated = createRelatedCheck(schemaProblems.map((p) => p.path));
  const semanticProblems = getSemanticProblems(parsed.value).filter((problem) => !isRelated(problem.path));
  const problems = [...parsed.problems, ...schemaProblems, ...semanticProblems];
  if (!result.success || problems.length > 0) return { ok: false, problems: place(problems) };
  return { ok: true, policy: result.data, warnings: place(getPolicyWarnings(result.data)) };
}

function checkSize(text: string): string | undefined {
  // Every character is at least one byte, so a long string is rejected before it is measured.
  const bytes = text.length > policyLimits.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > policyLimits.maxBytes) return `the policy is ${bytes} bytes or more; the limit is ${policyLimits.maxBytes} (256 KiB)`;
  const depth = getNestingDepth(text);
  if (depth > policyLimits.maxDepth) return `the policy nests ${depth} levels deep; the limit is ${policyLimits.maxDepth}`;
  return undefined;
}

/**
 * The same count check on the native JSON.parse, about ten times faster than the positional
 * parse: a flood inside 256 KiB (9,000 roles) is rejected without building a tree of it.
 * Anything unusual (a syntax error, a key written twice or with escapes) takes the full path.
 */
function rejectOverCount(text: string, toRange: ReturnType<typeof createRangeFinder>): PolicyResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const tooMany = checkCounts(value);
  const places = tooMany.map((problem) => findTopLevelKey(text, String(problem.path[0])));
  if (tooMany.length === 0 || places.some((found) => found.length !== 1)) return undefined;
  const problems = tooMany.map((problem, i) => ({ path: formatJsonPath(problem.path), message: problem.message, ...toRange(places[i]![0]!.offset, places[i]![0]!.length) }));
  return { ok: false, problems };
}

/**
 * More accounts, roles or assignments than allowed rejects the document on the count alone:
 * checking each of thousands of entries (and naming each unknown role) would only block the
 * editor, and the list must be cut first anyway.
 */
function checkCounts(value: unknown): RawProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const root = value as Record<string, unknown>;
  const counted = (key: string): number | undefined => {
    const item = Object.hasOwn(root, key) ? root[key] : undefined;
    if (Array.isArray(item)) return item.length;
    return typeof item === 'object' && item !== null ? Object.keys(item).length : undefined;
  };
  const limits = { accounts: policyLimits.maxAccounts, roles: policyLimits.maxRoles, assignments: policyLimits.maxAssignments };
  return Object.entries(limits).flatMap(([key, limit]): RawProblem[] => {
    const count = counted(key);
    if (count === undefined || count <= limit) return [];
    const what = key === 'roles' ? `defines ${count} roles` : `lists ${count} items`;
    return [{ path: [key], at: 'key', message: `${key} ${what}; the limit is ${limit}. The rest of the policy is checked once it is within the limit` }];
  });
}

/** In text order, capped; paths are formatted only for the problems shown. */
function placeProblems(raw: RawProblem[], root: Parameters<typeof locateNode>[0], toRange: ReturnType<typeof createRangeFinder>): PolicyProblem[] {
  const placed = raw.map((problem) => ({ problem, range: placeRange(root, problem, toRange) })).sort((a, b) => a.range.offset - b.range.offset);
  return capProblems(placed, ({ problem, range }) => ({ path: formatJsonPath(problem.path), message: problem.message, ...range }));
}

function placeRange(
  root: Parameters<typeof locateNode>[0],
  problem: RawProblem,
  toRange: ReturnType<typeof createRangeFinder>,
): { offset: number; length: number; line: number; column: number } {
  const { offset, length } = problem.range ?? locateNode(root, problem.path, problem.at);
  return toRange(offset, length);
}

interface PathTrie {
  ends: boolean;
  next: Map<PathSegment, PathTrie>;
}

/**
 * Whether a path is one of these, inside one or around one: a schema problem there makes a
 * semantic one noise. A trie of the paths keeps it linear in the number of problems.
 */
function createRelatedCheck(paths: ReadonlyArray<readonly PathSegment[]>): (path: readonly PathSegment[]) => boolean {
  const root: PathTrie = { ends: false, next: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      let child = node.next.get(segment);
      if (!child) node.next.set(segment, (child = { ends: false, next: new Map() }));
      node = child;
    }
    node.ends = true;
  }
  return (path) => {
    if (paths.length === 0) return false;
    let node: PathTrie | undefined = root;
    for (const segment of path) {
      if (node.ends) return true; // a schema problem's path contains this one
      node = node.next.get(segment);
      if (!node) return false;
    }
    return true; // this path is a schema problem's, or contains one
  };
}

function capProblems<T>(problems: T[], toProblem: (item: T) => PolicyProblem): PolicyProblem[] {
  if (problems.length <= maxReportedProblems) return problems.map(toProblem);
  const rest = problems.length - maxReportedProblems;
  return [...problems.slice(0, maxReportedProblems).map(toProblem), { path: '$', message: `and ${rest} more problem${rest === 1 ? '' : 's'} not shown; fix these first` }];
}
