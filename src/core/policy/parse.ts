// Policy text → a validated policy, or every problem with its JSON path and position.
// Any problem means the document grants nothing: there is no partial policy, so a typo can
// never widen access (README.md, "The access policy").
import { getSemanticProblems } from './semantics';
import { accessLevels } from '../catalog';
import {
  accountSchema,
  assignmentSchema,
  auditSchema,
  grantSchema,
  roleSchema,
  type AccessPolicy,
  policyLimits,
  policySchema,
} from './schema';
import { describeContext, toRawProblems } from './issues';
import {
  createRangeFinder,
  findPaths,
  formatJsonPath,
  getNestingDepth,
  locateNode,
  parseJsonText,
  type PathSegment,
  type RawProblem,
} from './jsonText';
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
  { ok: true; policy: AccessPolicy; warnings: PolicyProblem[] } | { ok: false; problems: PolicyProblem[] };

/** Past this many, the rest are summarised in one problem: a hostile file must not flood the editor. */
export const maxReportedProblems = 100;

export function parsePolicy(text: string): PolicyResult {
  const tooBig = checkSize(text);
  if (tooBig)
    return { ok: false, problems: [{ path: '$', message: tooBig, offset: 0, length: 0, line: 1, column: 1 }] };
  const toRange = createRangeFinder(text);
  const overCount = rejectOverCount(text, toRange);
  if (overCount) return overCount;
  const parsed = parseJsonText(text, maxReportedProblems);
  if (!parsed.ok) {
    const problems = parsed.syntax.map((e) => ({
      path: formatJsonPath(e.path),
      message: e.message,
      ...toRange(e.offset, e.length),
    }));
    return { ok: false, problems: parsed.more > 0 ? [...problems, summarise(parsed.more)] : problems };
  }
  const tooMany = checkCounts(parsed.value);
  const place = (raw: RawProblem[]): PolicyProblem[] => placeProblems(raw, parsed.root, toRange);
  if (tooMany.length > 0) return { ok: false, problems: place(tooMany) };
  const result = policySchema.safeParse(parsed.value);
  const schemaProblems = result.success
    ? []
    : result.error.issues.flatMap((issue) => toRawProblems(issue, parsed.value));
  const isRelated = createRelatedCheck(schemaProblems.map((p) => p.path));
  const semanticProblems = getSemanticProblems(parsed.value).filter((problem) => !isRelated(problem.path));
  const problems = [...parsed.problems, ...schemaProblems, ...semanticProblems];
  if (!result.success || problems.length > 0) return { ok: false, problems: place(problems) };
  return { ok: true, policy: result.data, warnings: place(getPolicyWarnings(result.data)) };
}

function checkSize(text: string): string | undefined {
  // Every character is at least one byte, so a long string is rejected before it is measured.
  const bytes = text.length > policyLimits.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > policyLimits.maxBytes)
    return `the policy is ${bytes} bytes or more; the limit is ${policyLimits.maxBytes} (256 KiB)`;
  const depth = getNestingDepth(text);
  if (depth > policyLimits.maxDepth)
    return `the policy nests ${depth} levels deep; the limit is ${policyLimits.maxDepth}`;
  return undefined;
}

/**
 * The same count check on the native JSON.parse, about ten times faster than the positional
 * parse: a flood inside 256 KiB (9,000 roles, keys or role ARNs) is rejected without building
 * a tree of it, and located in one pass over the text. A syntax error takes the full path.
 */
function rejectOverCount(text: string, toRange: ReturnType<typeof createRangeFinder>): PolicyResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const tooMany = checkCounts(value);
  if (tooMany.length === 0) return undefined;
  // JSON.parse keeps the last of duplicate keys, so the counted node is the last one written.
  const places = findPaths(
    text,
    tooMany.map((problem) => problem.path),
  ).map((found) => found.at(-1));
  if (places.some((found) => found === undefined)) return undefined;
  const placed = tooMany
    .map((problem, i) => ({ problem, range: toRange(places[i]!.offset, places[i]!.length) }))
    .sort((a, b) => a.range.offset - b.range.offset);
  return {
    ok: false,
    problems: capProblems(placed, ({ problem, range }) => ({
      path: formatJsonPath(problem.path),
      message: problem.message,
      ...range,
    })),
  };
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

// Read from the schemas on first use, so loading the extension does not build them.
const getAllowedKeys = () => ({
  policy: new Set(Object.keys(policySchema.shape)),
  account: new Set(Object.keys(accountSchema.shape)),
  role: new Set(Object.keys(roleSchema.shape)),
  grant: new Set(Object.keys(grantSchema.in.shape)),
  assignment: new Set(Object.keys(assignmentSchema.shape)),
  audit: new Set(Object.keys(auditSchema.shape)),
});
let allowedKeys: ReturnType<typeof getAllowedKeys> | undefined;

/** The schema's bound on each list and map, by its key (each key names one place). */
const countLimits: Record<string, number> = {
  accounts: policyLimits.maxAccounts,
  roles: policyLimits.maxRoles,
  assignments: policyLimits.maxAssignments,
  roleArns: policyLimits.maxAccounts,
  grants: policyLimits.maxGrantsPerRole,
  levels: accessLevels.length,
  resources: policyLimits.maxResources,
};

const rest = 'The rest of the policy is checked once it is within the limit';

/**
 * More entries than allowed in any list or map (accounts, roles, assignments, a role's role
 * ARNs or grants, a grant's levels or resources) rejects the document on the count alone, and
 * so do more than `maxReportedProblems` unknown keys in all: checking each of thousands of
 * entries (and naming each unknown role or key) would only block the editor, and the list must
 * be cut first anyway. Linear: each entry is looked at once, entries past a limit not at all.
 */
function checkCounts(value: unknown): RawProblem[] {
  if (!isObj(value)) return [];
  const problems: RawProblem[] = [];
  const unknownKeys: RawProblem[] = [];
  let unknownCount = 0;
  /** The object, after counting its unknown keys; undefined if it is not an object. */
  const open = (
    item: unknown,
    path: PathSegment[],
    place: keyof ReturnType<typeof getAllowedKeys>,
  ): Obj | undefined => {
    if (!isObj(item)) return undefined;
    const allowed = (allowedKeys ??= getAllowedKeys())[place];
    const unknown = Object.keys(item).filter((key) => !allowed.has(key));
    if (unknown.length === 0) return item;
    unknownCount += unknown.length;
    const named = unknown.slice(0, 3).map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key));
    const what = unknown.length === 1 ? 'unknown key' : 'unknown keys';
    unknownKeys.push({
      path,
      at: 'key',
      message: `${unknown.length} ${what} ${describeContext(path)}: ${named.join(', ')}${unknown.length > 3 ? ', …' : ''}; allowed keys: ${[...allowed].join(', ')}. The rest of the policy is checked once they are removed`,
    });
    return item;
  };
  /** The entries of a list or map within its limit; none past it (the count is the problem). */
  const entries = (parent: Obj | undefined, key: string, parentPath: PathSegment[]): Array<[PathSegment, unknown]> => {
    const item = parent && Object.hasOwn(parent, key) ? parent[key] : undefined;
    const list = Array.isArray(item) ? item : undefined;
    const count = list ? list.length : isObj(item) ? Object.keys(item).length : 0;
    const limit = countLimits[key]!;
    if (count > limit) {
      const label = parentPath.length === 0 ? key : `${key} ${describeContext(parentPath)}`;
      const what =
        key === 'roles'
          ? `defines ${count} roles`
          : key === 'roleArns' && !list
            ? `lists role ARNs for ${count} accounts`
            : `lists ${count} items`;
      problems.push({
        path: [...parentPath, key],
        at: 'key',
        message: `${label} ${what}; the limit is ${limit}. ${rest}`,
      });
      return [];
    }
    if (list) return list.map((entry, i) => [i, entry]);
    return isObj(item) ? Object.entries(item) : [];
  };
  const root = open(value, [], 'policy');
  for (const [i, account] of entries(root, 'accounts', [])) open(account, ['accounts', i], 'account');
  for (const [name, item] of entries(root, 'roles', [])) {
    const path = ['roles', name];
    const role = open(item, path, 'role');
    entries(role, 'roleArns', path);
    for (const [i, item] of entries(role, 'grants', path)) {
      const grantPath = [...path, 'grants', i];
      const grant = open(item, grantPath, 'grant');
      entries(grant, 'levels', grantPath);
      entries(grant, 'resources', grantPath);
    }
  }
  for (const [i, assignment] of entries(root, 'assignments', [])) open(assignment, ['assignments', i], 'assignment');
  open(root && Object.hasOwn(root, 'audit') ? root.audit : undefined, ['audit'], 'audit');
  return unknownCount > maxReportedProblems ? [...problems, ...unknownKeys] : problems;
}

/** In text order, capped; paths are formatted only for the problems shown. */
function placeProblems(
  raw: RawProblem[],
  root: Parameters<typeof locateNode>[0],
  toRange: ReturnType<typeof createRangeFinder>,
): PolicyProblem[] {
  const placed = raw
    .map((problem) => ({ problem, range: placeRange(root, problem, toRange) }))
    .sort((a, b) => a.range.offset - b.range.offset);
  return capProblems(placed, ({ problem, range }) => ({
    path: formatJsonPath(problem.path),
    message: problem.message,
    ...range,
  }));
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
  return [...problems.slice(0, maxReportedProblems).map(toProblem), summarise(problems.length - maxReportedProblems)];
}

function summarise(rest: number): PolicyProblem {
  return { path: '$', message: `and ${rest} more problem${rest === 1 ? '' : 's'} not shown; fix these first` };
}
