// Policy text → a validated policy, or every problem with its JSON path and position.
// Any problem means the document grants nothing (DESIGN §2): there is no partial policy.
import { getSemanticProblems } from './semantics';
import { type AccessPolicy, policyLimits, policySchema } from './schema';
import { toRawProblems } from './issues';
import { createRangeFinder, formatJsonPath, getNestingDepth, locateNode, parseJsonText, type PathSegment, type RawProblem } from './jsonText';
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
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const problems = parsed.syntax.map((e) => ({ path: formatJsonPath(e.path), message: e.message, ...toRange(e.offset, e.length) }));
    return { ok: false, problems: capProblems(problems) };
  }
  const result = policySchema.safeParse(parsed.value);
  const schemaProblems = result.success ? [] : result.error.issues.flatMap((issue) => toRawProblems(issue, parsed.value));
  const semanticProblems = getSemanticProblems(parsed.value).filter(
    (problem) => !schemaProblems.some((other) => isRelated(problem.path, other.path)),
  );
  const place = (raw: RawProblem[]): PolicyProblem[] =>
    raw
      .map((p) => ({ path: formatJsonPath(p.path), message: p.message, ...placeRange(parsed.root, p, toRange) }))
      .sort((a, b) => a.offset - b.offset);
  const problems = [...parsed.problems, ...schemaProblems, ...semanticProblems];
  if (!result.success || problems.length > 0) return { ok: false, problems: capProblems(place(problems)) };
  return { ok: true, policy: result.data, warnings: capProblems(place(getPolicyWarnings(result.data))) };
}

function checkSize(text: string): string | undefined {
  // Every character is at least one byte, so a long string is rejected before it is measured.
  const bytes = text.length > policyLimits.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > policyLimits.maxBytes) return `the policy is ${bytes} bytes or more; the limit is ${policyLimits.maxBytes} (256 KiB)`;
  const depth = getNestingDepth(text);
  if (depth > policyLimits.maxDepth) return `the policy nests ${depth} levels deep; the limit is ${policyLimits.maxDepth}`;
  return undefined;
}

function placeRange(
  root: Parameters<typeof locateNode>[0],
  problem: RawProblem,
  toRange: ReturnType<typeof createRangeFinder>,
): { offset: number; length: number; line: number; column: number } {
  const { offset, length } = problem.range ?? locateNode(root, problem.path, problem.at);
  return toRange(offset, length);
}

/** Whether one path is the other or inside it: a schema problem there makes a semantic one noise. */
function isRelated(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function capProblems(problems: PolicyProblem[]): PolicyProblem[] {
  if (problems.length <= maxReportedProblems) return problems;
  const rest = problems.length - maxReportedProblems;
  return [...problems.slice(0, maxReportedProblems), { path: '$', message: `and ${rest} more problem${rest === 1 ? '' : 's'} not shown; fix these first` }];
}
