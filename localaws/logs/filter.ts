// CloudWatch Logs filter patterns, the common forms: terms (all must appear), "quoted
// phrases", ?alternatives (one must appear), -exclusions, %regex%, and JSON patterns
// such as { $.level = "ERROR" && ($.latency > 1000 || $.error IS TRUE) }.
// Matching is case-sensitive, as on AWS.

import { AwsError } from '../server/types';

export type EventPredicate = (message: string) => boolean;

function invalid(pattern: string, why: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid filter pattern: ${why} (pattern: ${pattern})`);
}

/** Compiles a filter pattern; throws InvalidParameterException for syntax it cannot read. */
export function compileFilterPattern(pattern: string | undefined): EventPredicate {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw invalid(text, 'a JSON pattern must end with }');
    return compileJsonPattern(text);
  }
  if (text.startsWith('['))
    throw invalid(text, 'space-delimited patterns ([...]) are not supported by the local endpoint');
  if (text.length > 1 && text.startsWith('%') && text.endsWith('%') && !/\s/.test(text)) {
    const re = toRegExp(text.slice(1, -1), text);
    return (m) => re.test(m);
  }
  return compileTerms(text);
}

function toRegExp(source: string, pattern: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw invalid(pattern, 'the regular expression does not compile');
  }
}

interface Term {
  text: string;
  mode: 'all' | 'any' | 'none';
}

/** Splits into terms: bare words and "quoted phrases", each optionally prefixed by ? or -. */
export function tokenizeTerms(text: string): Term[] {
  const terms: Term[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    if (m[2] === undefined && word.includes('"')) throw invalid(text, 'unbalanced double quote');
    if (word === '') continue;
    terms.push({ text: word, mode: m[1] === '?' ? 'any' : m[1] === '-' ? 'none' : 'all' });
  }
  return terms;
}

function compileTerms(text: string): EventPredicate {
  const terms = tokenizeTerms(text);
  const all = terms.filter((t) => t.mode === 'all').map((t) => t.text);
  const any = terms.filter((t) => t.mode === 'any').map((t) => t.text);
  const none = terms.filter((t) => t.mode === 'none').map((t) => t.text);
  return (m) =>
    all.every((t) => m.includes(t)) &&
    (any.length === 0 || any.some((t) => m.includes(t))) &&
    !none.some((t) => m.includes(t));
}

// ---- JSON patterns -------------------------------------------------------------------

type Token = { kind: 'op' | 'word' | 'string' | 'paren' | 'logic'; value: string };

function tokenizeJson(body: string, pattern: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(&&|\|\|)|(!=|<=|>=|=|<|>)|([()])|"((?:[^"\\]|\\.)*)"|([^\s()=!<>&|"]+))/y;
  let i = 0;
  while (i < body.length) {
    if (/^\s*$/.test(body.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m) throw invalid(pattern, `unexpected text at "${body.slice(i).trim().slice(0, 20)}"`);
    i = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'logic', value: m[1] });
    else if (m[2]) tokens.push({ kind: 'op', value: m[2] });
    else if (m[3]) tokens.push({ kind: 'paren', value: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'string', value: m[4].replace(/\\(.)/g, '$1') });
    else tokens.push({ kind: 'word', value: m[5]! });
  }
  return tokens;
}

type JsonTest = (doc: unknown) => boolean;

function compileJsonPattern(text: string): EventPredicate {
  const test = new JsonPatternParser(text).parse();
  return (message) => {
    const start = message.indexOf('{');
    if (start < 0) return false;
    try {
      return test(JSON.parse(message.slice(start)));
    } catch {
      return false;
    }
  };
}

/** Recursive descent over: or := and ('||' and)*; and := primary ('&&' primary)*; primary := '(' or ')' | comparison. */
class JsonPatternParser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly pattern: string) {
    this.tokens = tokenizeJson(pattern.slice(1, -1), pattern);
  }

  parse(): JsonTest {
    if (this.tokens.length === 0) throw invalid(this.pattern, 'an empty JSON pattern');
    const test = this.parseOr();
    if (this.pos !== this.tokens.length) throw invalid(this.pattern, `unexpected "${this.tokens[this.pos]!.value}"`);
    return test;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw invalid(this.pattern, 'the pattern ends too early');
    return t;
  }

  private parseOr(): JsonTest {
    let left = this.parseAnd();
    while (this.peek()?.value === '||') {
      this.pos += 1;
      const l = left;
      const r = this.parseAnd();
      left = (d) => l(d) || r(d);
    }
    return left;
  }

  private parseAnd(): JsonTest {
    let left = this.parsePrimary();
    while (this.peek()?.value === '&&') {
      this.pos += 1;
      const l = left;
      const r = this.parsePrimary();
      left = (d) => l(d) && r(d);
    }
    return left;
  }

  private parsePrimary(): JsonTest {
    if (this.peek()?.value === '(') {
      this.pos += 1;
      const inner = this.parseOr();
      if (this.next().value !== ')') throw invalid(this.pattern, 'missing )');
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): JsonTest {
    const selector = this.next();
    if (selector.kind !== 'word' || !selector.value.startsWith('$')) {
      throw invalid(this.pattern, `expected a selector such as $.level, got "${selector.value}"`);
    }
    const path = parseSelector(selector.value, this.pattern);
    const t = this.next();
    if (t.kind === 'word' && t.value.toUpperCase() === 'IS') {
      const what = this.next().value.toUpperCase();
      if (what === 'TRUE' || what === 'FALSE') return (d) => select(d, path) === (what === 'TRUE');
      if (what === 'NULL') return (d) => select(d, path) === null;
      throw invalid(this.pattern, `IS must be followed by TRUE, FALSE or NULL, not ${what}`);
    }
    if (t.kind === 'word' && t.value.toUpperCase() === 'NOT' && this.peek()?.value.toUpperCase() === 'EXISTS') {
      this.pos += 1;
      return (d) => select(d, path) === undefined;
    }
    if (t.kind !== 'op') throw invalid(this.pattern, `expected a comparison after ${selector.value}`);
    const value = this.next();
    if (value.kind !== 'word' && value.kind !== 'string')
      throw invalid(this.pattern, `expected a value after ${t.value}`);
    return compare(path, t.value, value, this.pattern);
  }
}

function parseSelector(selector: string, pattern: string): (string | number)[] {
  const path: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/y;
  let i = 1;
  while (i < selector.length) {
    re.lastIndex = i;
    const m = re.exec(selector);
    if (!m) throw invalid(pattern, `cannot read the selector ${selector}`);
    path.push(m[1] !== undefined ? m[1] : Number(m[2]));
    i = re.lastIndex;
  }
  return path;
}

function select(doc: unknown, path: readonly (string | number)[]): unknown {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function compare(path: readonly (string | number)[], op: string, value: Token, pattern: string): JsonTest {
  const numeric = value.kind === 'word' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.value);
  if (numeric) {
    const n = Number(value.value);
    return (d) => {
      const v = select(d, path);
      if (typeof v !== 'number') return false;
      switch (op) {
        case '=':
          return v === n;
        case '!=':
          return v !== n;
        case '<':
          return v < n;
        case '>':
          return v > n;
        case '<=':
          return v <= n;
        default:
          return v >= n;
      }
    };
  }
  if (op !== '=' && op !== '!=') throw invalid(pattern, `${op} needs a numeric value`);
  const raw = value.value;
  const re =
    raw.length > 1 && raw.startsWith('%') && raw.endsWith('%')
      ? toRegExp(raw.slice(1, -1), pattern)
      : new RegExp(
          `^${raw
            .split('*')
            .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
          's',
        );
  return (d) => {
    const v = select(d, path);
    if (typeof v !== 'string') return false;
    return re.test(v) === (op === '=');
  };
}
