// The policy as JSON text: strict parsing with positions, so every problem can point at the
// exact node in the file. jsonc-parser gives a tree with offsets; we build the value ourselves
// to catch duplicate keys (JSON.parse silently keeps the last) and to keep "__proto__" an
// ordinary key instead of a prototype change.
import { type Node, type ParseError, getLocation, parseTree, printParseErrorCode } from 'jsonc-parser';

export type PathSegment = string | number;

/** A problem before it is placed in the text; `at: 'key'` points at a property name, not its value. */
export interface RawProblem {
  path: PathSegment[];
  message: string;
  at?: 'key' | 'value';
  /** Set when the path alone is ambiguous (a duplicate key has the same path as the first). */
  range?: { offset: number; length: number };
}

export interface TextRange {
  offset: number;
  length: number;
  /** 1-based, as editors display them. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/** `$.roles.Manager.inherits`, `$.assignments[2].role`, `$.roles.Admin.roleArns["111122223333"]`. */
export function formatJsonPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return /^[A-Za-z_$][\w$]*$/.test(segment) ? `${out}.${segment}` : `${out}[${JSON.stringify(segment)}]`;
  }, '$');
}

/** The deepest bracket nesting outside strings; checked first because jsonc-parser recurses. */
export function getNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i += 1;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 93) depth -= 1;
  }
  return deepest;
}

/** Where a top-level key's name is written, each time, found without building a tree; only plain (unescaped) names match. */
export function findTopLevelKey(text: string, key: string): Array<{ offset: number; length: number }> {
  const found: Array<{ offset: number; length: number }> = [];
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      for (i += 1; i < text.length && text.charCodeAt(i) !== 34; i += 1) if (text.charCodeAt(i) === 92 /* \ */) i += 1;
      if (depth === 1 && text.slice(start + 1, i) === key && /^\s*:/.test(text.slice(i + 1, i + 65))) found.push({ offset: start, length: i - start + 1 });
    } else if (c === 123 || c === 91) depth += 1;
    else if (c === 125 || c === 93) depth -= 1;
  }
  return found;
}

// Keyed by name: jsonc-parser's ParseErrorCode is a const enum, unusable with isolatedModules.
const syntaxMessages: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between items',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'comments are not allowed in the policy',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control characters must be escaped inside strings',
};

function describeSyntaxError(text: string, error: ParseError): string {
  if (text.trim().length === 0) return 'the policy is empty; expected a JSON object';
  const next = text.slice(error.offset).trimStart()[0];
  const code = printParseErrorCode(error.error);
  if ((code === 'ValueExpected' || code === 'PropertyNameExpected') && (next === '}' || next === ']')) {
    return 'JSON syntax error: trailing commas are not allowed';
  }
  return `JSON syntax error: ${syntaxMessages[code] ?? 'invalid JSON'}`;
}

export type ParsedJson =
  | { ok: true; root: Node; value: unknown; problems: RawProblem[] }
  | { ok: false; syntax: Array<{ message: string; path: PathSegment[]; offset: number; length: number }> };

/** Strict JSON (no comments, no trailing commas) to a tree and a value; duplicate keys are problems. */
export function parseJsonText(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (root === undefined && errors.length === 0) {
    return { ok: false, syntax: [{ message: 'the policy is empty; expected a JSON object', path: [], offset: 0, length: 0 }] };
  }
  if (errors.length > 0 || root === undefined) {
    const syntax = errors.map((e) => ({
      message: describeSyntaxError(text, e),
      // At a missing property name the location ends in an empty key; the object is what is meant.
      path: getLocation(text, e.offset).path.filter((segment, i, all) => !(segment === '' && i === all.length - 1)),
      offset: e.offset,
      length: e.length,
    }));
    // One slip can make jsonc-parser report twice at the same spot; report it once.
    return { ok: false, syntax: syntax.filter((e, i) => syntax.findIndex((o) => o.offset === e.offset && o.message === e.message) === i) };
  }
  const problems: RawProblem[] = [];
  return { ok: true, root, value: toValue(root, [], problems), problems };
}

function toValue(node: Node, path: PathSegment[], problems: RawProblem[]): unknown {
  if (node.type === 'array') return (node.children ?? []).map((child, i) => toValue(child, [...path, i], problems));
  if (node.type !== 'object') return node.value;
  const out: Record<string, unknown> = {};
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    if (Object.prototype.hasOwnProperty.call(out, key)) {
      problems.push({ path: [...path, key], range: { offset: keyNode.offset, length: keyNode.length }, message: `duplicate key "${key}"; JSON keeps only one of them, so remove or rename one` });
      continue;
    }
    Object.defineProperty(out, key, { value: toValue(valueNode, [...path, key], problems), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Turns offsets into 1-based lines and columns; built once per text so many problems stay cheap. */
export function createRangeFinder(text: string): (offset: number, length: number) => TextRange {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (offset, length) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { offset, length, line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
}

// Each object's keys, indexed on first use: jsonc-parser's findNodeAtLocation scans every
// property, which made placing thousands of problems in an object of thousands of keys quadratic.
const keyIndexes = new WeakMap<Node, Map<string, Node>>();

function getChild(node: Node, segment: PathSegment): Node | undefined {
  if (typeof segment === 'number') return node.type === 'array' ? node.children?.[segment] : undefined;
  if (node.type !== 'object') return undefined;
  let index = keyIndexes.get(node);
  if (!index) {
    index = new Map();
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      // The first of duplicate keys, as findNodeAtLocation does.
      if (key && value && property.children!.length === 2 && !index.has(String(key.value))) index.set(String(key.value), value);
    }
    keyIndexes.set(node, index);
  }
  return index.get(segment);
}

function findNode(root: Node, path: readonly PathSegment[]): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) node = node && getChild(node, segment);
  return node;
}

/** Where a path points in the text; a missing node falls back to the nearest ancestor's key. */
export function locateNode(root: Node, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): { offset: number; length: number } {
  const node = findNode(root, path);
  if (node) {
    const target = at === 'key' && node.parent?.type === 'property' ? node.parent.children?.[0] ?? node : node;
    return { offset: target.offset, length: target.length };
  }
  for (let depth = path.length - 1; depth >= 0; depth -= 1) {
    const ancestor = findNode(root, path.slice(0, depth));
    if (!ancestor) continue;
    const key = ancestor.parent?.type === 'property' ? ancestor.parent.children?.[0] : undefined;
    return key ? { offset: key.offset, length: key.length } : { offset: ancestor.offset, length: 1 };
  }
  return { offset: root.offset, length: 1 };
}
