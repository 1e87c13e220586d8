// The IAM condition operators the local endpoint evaluates: String*, Arn*, Numeric*, Date*,
// Bool, BinaryEquals, IpAddress / NotIpAddress and Null, with the `IfExists` suffix and the
// `ForAnyValue:` / `ForAllValues:` set prefixes. Keys are case-insensitive, as in IAM. An
// operator it does not know makes the statement not apply (policyGrammar rejects it up front).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

import { BlockList, isIP } from 'node:net';
import { substituteVariables } from './policyVariables';
import { resourceMatches } from './wildcard';

/** Request context: lower-cased condition key → value(s); absent keys are undefined. */
export type ConditionContext = Record<string, string | string[] | undefined>;

type Comparator = (actual: string, expected: string) => boolean;

/** ISO 8601 or epoch seconds, as the Date operators accept either. */
function toEpochMs(value: string): number {
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

function inCidr(address: string, cidr: string): boolean {
  const [base = '', bits] = cidr.split('/');
  const family = isIP(base) === 6 ? 'ipv6' : 'ipv4';
  if (isIP(address) === 0 || isIP(base) === 0) return false;
  const list = new BlockList();
  list.addSubnet(base, bits === undefined ? (family === 'ipv6' ? 128 : 32) : Number(bits), family);
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

const dateCompare =
  (test: (a: number, e: number) => boolean): Comparator =>
  (a, e) => {
    const [x, y] = [toEpochMs(a), toEpochMs(e)];
    return Number.isFinite(x) && Number.isFinite(y) && test(x, y);
  };

/** The positive form of every operator; a negated operator is the NOR of its positive form. */
const comparators: Record<string, Comparator> = {
  stringequals: (a, e) => a === e,
  stringequalsignorecase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  stringlike: (a, e) => resourceMatches(e, a),
  arnequals: (a, e) => a === e,
  arnlike: (a, e) => resourceMatches(e, a),
  bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  binaryequals: (a, e) => a === e,
  numericequals: (a, e) => Number(a) === Number(e),
  numericlessthan: (a, e) => Number(a) < Number(e),
  numericlessthanequals: (a, e) => Number(a) <= Number(e),
  numericgreaterthan: (a, e) => Number(a) > Number(e),
  numericgreaterthanequals: (a, e) => Number(a) >= Number(e),
  dateequals: dateCompare((a, e) => a === e),
  datelessthan: dateCompare((a, e) => a < e),
  datelessthanequals: dateCompare((a, e) => a <= e),
  dategreaterthan: dateCompare((a, e) => a > e),
  dategreaterthanequals: dateCompare((a, e) => a >= e),
  ipaddress: (a, e) => inCidr(a, e),
};

/** Negated operator → its positive form. */
const negations: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
  notipaddress: 'ipaddress',
};

interface ParsedOperator {
  name: string;
  negated: boolean;
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
  // "You can add IfExists to the end of any condition operator name except the Null condition" (operators page).
  if (name === 'null') return ifExists || set ? undefined : { name, negated: false, ifExists: false };
  const positive = negations[name] ?? name;
  if (!comparators[positive]) return undefined;
  return { name: positive, negated: positive !== name, ifExists, set };
}

function toList(value: string | string[] | boolean | number): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** An empty set counts as absent ("resolves to a null data set", multi-value conditions page). */
function present(actual: string | string[] | undefined): actual is string | string[] {
  return actual !== undefined && !(Array.isArray(actual) && actual.length === 0);
}

function testKey(op: ParsedOperator, actual: string | string[] | undefined, expected: string[]): boolean {
  if (op.name === 'null') return expected.some((e) => (e.toLowerCase() === 'true') === !present(actual));
  if (!present(actual)) {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html:
    // ForAllValues is true and ForAnyValue false when the key is absent or an empty set.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html:
    // ...IfExists is true when the key is absent; otherwise an absent key matches nothing, so
    // the condition is false — and a negated operator ("must not match") is true.
    if (op.ifExists) return true;
    if (op.set) return op.set === 'forallvalues';
    return op.negated;
  }
  const compare = comparators[op.name] as Comparator;
  // Several policy values: OR for a positive operator, NOR for a negated one (multi-value conditions page).
  const one = (a: string) => expected.some((e) => compare(a, e)) !== op.negated;
  const values = Array.isArray(actual) ? actual : [actual];
  if (op.set === 'forallvalues') return values.every(one);
  return values.some(one);
}

/**
 * True when every condition block holds for the context (no Condition → true). With
 * `variables` (Version 2012-10-17), policy variables in the values are substituted first; a
 * value naming an absent key matches nothing (policyVariables.ts).
 */
export function conditionsHold(
  condition: Record<string, Record<string, string | string[] | boolean | number>> | undefined,
  context: ConditionContext,
  variables = true,
): boolean {
  if (!condition) return true;
  for (const [operator, keys] of Object.entries(condition)) {
    const op = parseOperator(operator);
    if (!op) return false;
    for (const [key, raw] of Object.entries(keys)) {
      const expected = variables ? toList(raw).map((v) => substituteVariables(v, context)) : toList(raw);
      if (expected.some((v) => v === undefined)) return false;
      if (!testKey(op, context[key.toLowerCase()], expected as string[])) return false;
    }
  }
  return true;
}
