// zod issues → problems a person can act on: what is wrong, where, and what would be right.
// Regex and refinement messages are written in schema.ts next to the rule; the generic
// codes (wrong type, missing key, out of range, unknown key or option) are phrased here.
import * as z from 'zod';
import { formatJsonPath, type PathSegment, type RawProblem } from './jsonText';
import { maxSessionMinutes, minSessionMinutes, policySchema } from './schema';
import { createSuggester, didYouMean } from './suggest';

type Issue = z.core.$ZodIssue;

export function getValueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, segment))
      return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Short phrase for where a path is, for messages that name keys: `in role "Manager"`. */
export function describeContext(path: readonly PathSegment[]): string {
  const [first, second, third, fourth] = path;
  if (path.length === 0) return 'at the top level';
  if (first === 'roles' && typeof second === 'string') {
    if (path.length === 2) return `in role "${second}"`;
    if (third === 'grants' && typeof fourth === 'number' && path.length === 4)
      return `in grant ${fourth + 1} of role "${second}"`;
  }
  if (first === 'assignments' && typeof second === 'number' && path.length === 2) return `in assignment ${second + 1}`;
  if (first === 'accounts' && typeof second === 'number' && path.length === 2) return `in account ${second + 1}`;
  return `in ${formatJsonPath(path)}`;
}

/** The keys an object at this path may have, read from the schema itself. */
export function getAllowedKeys(path: readonly PathSegment[]): string[] {
  let current: z.ZodType | undefined = policySchema;
  for (const segment of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return [];
    if (!current) return [];
  }
  const target = unwrap(current);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
  return current;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

const expectedPhrases: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

function getLabel(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the policy';
  const last = path[path.length - 1]!;
  return typeof last === 'number' ? `${getLabel(path.slice(0, -1))}[${last}]` : last;
}

function describeInvalidType(
  issue: Extract<Issue, { code: 'invalid_type' }>,
  path: PathSegment[],
  input: unknown,
): string {
  const expected = expectedPhrases[issue.expected] ?? issue.expected;
  if (input === undefined && path.length > 0) {
    return `missing required key "${String(path[path.length - 1])}" ${describeContext(path.slice(0, -1))}`;
  }
  if (issue.expected === 'int' && typeof input === 'number')
    return `${getLabel(path)} must be a whole number; got ${input}`;
  return `${getLabel(path)} must be ${expected}; got ${describeValue(input)}`;
}

function describeInvalidValue(
  issue: Extract<Issue, { code: 'invalid_value' }>,
  path: PathSegment[],
  input: unknown,
): string {
  const options = issue.values.map(String);
  const key = [...path].reverse().find((segment): segment is string => typeof segment === 'string');
  const suggestion = typeof input === 'string' ? didYouMean(input, options) : '';
  if (key === 'version')
    return `unsupported policy version ${describeValue(input)}; this InfraWatch understands version 1`;
  if (key === 'service')
    return `unknown service ${describeValue(input)}${suggestion}; expected one of ${options.join(', ')}`;
  if (key === 'levels')
    return `unknown access level ${describeValue(input)}${suggestion}; expected one of ${options.join(', ')}`;
  return `${describeValue(input)} is not allowed for ${getLabel(path)}${suggestion}; expected one of ${options.join(', ')}`;
}

function describeSize(
  issue: Extract<Issue, { code: 'too_small' | 'too_big' }>,
  path: PathSegment[],
  input: unknown,
): string {
  const label = getLabel(path);
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'number') {
    const isMinutes = label === 'maxMinutes' || label === 'defaultMinutes';
    const why = isMinutes
      ? ` (AWS sessions last ${minSessionMinutes}–${maxSessionMinutes} minutes, 900–43,200 seconds)`
      : '';
    return `${label} must be ${small ? 'at least' : 'at most'} ${bound}${why}; got ${describeValue(input)}`;
  }
  if (issue.origin === 'string') {
    if (small && bound <= 1) return `${label} must not be empty`;
    const length = typeof input === 'string' ? input.length : '?';
    return `${label} is ${length} characters; it must be ${small ? 'at least' : 'at most'} ${bound}`;
  }
  if (issue.origin === 'array') {
    const count = Array.isArray(input) ? input.length : '?';
    if (small) return bound <= 1 ? `${label} must not be empty` : `${label} must list at least ${bound} items`;
    return `${label} lists ${count} items; the limit is ${bound}`;
  }
  return issue.message;
}

/** One or more problems for one zod issue (unknown keys are split so each points at its key). */
export function toRawProblems(issue: Issue, root: unknown): RawProblem[] {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const input = getValueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      // Worked out once per object, not per key: an object may carry thousands of unknown keys.
      const allowed = getAllowedKeys(path);
      const context = describeContext(path);
      const listed = allowed.length > 0 ? `; allowed keys: ${allowed.join(', ')}` : '';
      const suggester = createSuggester(allowed);
      return issue.keys.map((key) => {
        const suggestion = suggester.suggest(key);
        return {
          path: [...path, key],
          at: 'key' as const,
          message: `unknown key "${key}" ${context}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}${listed}`,
        };
      });
    }
    case 'invalid_key':
      return [
        { path, at: 'key', message: issue.issues[0]?.message ?? `invalid key ${describeValue(path[path.length - 1])}` },
      ];
    case 'invalid_type':
      return [{ path, message: describeInvalidType(issue, path, input) }];
    case 'invalid_value':
      return [{ path, message: describeInvalidValue(issue, path, input) }];
    case 'too_small':
    case 'too_big':
      return [{ path, message: describeSize(issue, path, input) }];
    default:
      return [{ path, message: issue.message }];
  }
}
