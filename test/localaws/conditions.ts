// The subset of IAM condition operators the local endpoint evaluates: String*, Arn*, Bool,
// Numeric*, Null, each with the optional `IfExists` suffix and the `ForAnyValue:` /
// `ForAllValues:` set prefixes. Keys are case-insensitive, as in IAM. An operator it does
// not know makes the statement not apply (and policyGrammar rejects it up front).

import { resourceMatches } from './wildcard';

/** Request context: lower-cased condition key → value(s); absent keys are undefined. */
export type ConditionContext = Record<string, string | string[] | undefined>;

type Comparator = (actual: string, expected: string) => boolean;

const comparators: Record<string, Comparator> = {
  stringequals: (a, e) => a === e,
  stringnotequals: (a, e) => a !== e,
  stringequalsignorecase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  stringnotequalsignorecase: (a, e) => a.toLowerCase() !== e.toLowerCase(),
  stringlike: (a, e) => resourceMatches(e, a),
  stringnotlike: (a, e) => !resourceMatches(e, a),
  arnequals: (a, e) => a === e,
  arnlike: (a, e) => resourceMatches(e, a),
  arnnotequals: (a, e) => a !== e,
  arnnotlike: (a, e) => !resourceMatches(e, a),
  bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  numericequals: (a, e) => Number(a) === Number(e),
  numericnotequals: (a, e) => Number(a) !== Number(e),
  numericlessthan: (a, e) => Number(a) < Number(e),
  numericlessthanequals: (a, e) => Number(a) <= Number(e),
  numericgreaterthan: (a, e) => Number(a) > Number(e),
  numericgreaterthanequals: (a, e) => Number(a) >= Number(e),
};

const negated = new Set(['stringnotequals', 'stringnotequalsignorecase', 'stringnotlike', 'arnnotequals', 'arnnotlike', 'numericnotequals']);

interface ParsedOperator {
  name: string;
  ifExists: boolean;
  set?: 'foranyvalue' | 'forallvalues';
}

export function parseOperator(operator: string): ParsedOperator | undefined {
  let name = operator.toLowerCase();
  let set: ParsedOperator['set'];
  if (name.startsWith('foranyvalue:') || name.startsWith('forallvalues:')) {
    set = name.startsWith('foranyvalue:') ? 'foranyvalue' : 'forallvalues';
    name = name.slice(name.indexOf(':') + 1);
  }
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -'ifexists'.length);
  if (name !== 'null' && !comparators[name]) return undefined;
  return { name, ifExists, set };
}

function toList(value: string | string[] | boolean | number): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

function testKey(op: ParsedOperator, actual: string | string[] | undefined, expected: string[]): boolean {
  if (op.name === 'null') return expected.some((e) => (e.toLowerCase() === 'true') === (actual === undefined));
  if (actual === undefined) return op.ifExists || (op.set === 'forallvalues');
  const compare = comparators[op.name] as Comparator;
  const values = Array.isArray(actual) ? actual : [actual];
  const one = (a: string) => (negated.has(op.name) ? expected.every((e) => compare(a, e)) : expected.some((e) => compare(a, e)));
  if (op.set === 'forallvalues') return values.every(one);
  return values.some(one);
}

/** True when every condition block holds for the context (no Condition → true). */
export function conditionsHold(
  condition: Record<string, Record<string, string | string[] | boolean | number>> | undefined,
  context: ConditionContext,
): boolean {
  if (!condition) return true;
  for (const [operator, keys] of Object.entries(condition)) {
    const op = parseOperator(operator);
    if (!op) return false;
    for (const [key, expected] of Object.entries(keys)) {
      if (!testKey(op, context[key.toLowerCase()], toList(expected))) return false;
    }
  }
  return true;
}

