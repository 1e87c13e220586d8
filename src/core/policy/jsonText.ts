// The policy as JSON text: strict parsing with positions, so every problem can point at the
// exact node in the file. jsonc-parser gives a tree with offsets; we build the value ourselves
// to catch duplicate keys (JSON.parse silently keeps the last) and to keep "__proto__" an
// ordinary key instead of a prototype change.
import { type Node, type ParseError, parseTree, printParseErrorCode, visit } from 'jsonc-parser';

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

interface PathTrie {
  /** Indexes into the paths asked for that end here. */
  ends: number[];
  next: Map<PathSegment, PathTrie>;
}

interface ScanFrame {
  trie: PathTrie | undefined;
  isArray: boolean;
  /** Arrays: the current element's index. */
  index: number;
  /** Objects: whether the next string is a key. */
  expectKey: boolean;
  /** Objects: the trie node of the current key's value. */
  member: PathTrie | undefined;
}

/**
 * Where each path is written in text that is valid JSON, found in one pass without building a
 * tree: an object member by its key, an array element or the document by its first character.
 * A path written more than once (a duplicate key on the way) is found each time, in text
 * order; JSON.parse keeps the last. Linear in the text, whatever the number of paths.
 */
export function findPaths(
  text: string,
  paths: ReadonlyArray<readonly PathSegment[]>,
): Array<Array<{ offset: number; length: number }>> {
  const found = paths.map((): Array<{ offset: number; length: number }> => []);
  const root: PathTrie = { ends: [], next: new Map() };
  paths.forEach((path, i) => {
    let node = root;
    for (const segment of path) {
      let child = node.next.get(segment);
      if (!child) node.next.set(segment, (child = { ends: [], next: new Map() }));
      node = child;
    }
    node.ends.push(i);
  });
  const mark = (node: PathTrie | undefined, offset: number, length: number): void =>
    node?.ends.forEach((i) => found[i]!.push({ offset, length }));
  const stack: ScanFrame[] = [];
  // The trie node of the value starting next: the member's or the element's.
  const nextValue = (): PathTrie | undefined => {
    const top = stack.at(-1);
    if (!top) return root;
    return top.isArray ? top.trie?.next.get(top.index) : top.member;
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (i += 1; i < text.length && text.charCodeAt(i) !== 34; i += 1) {
        if (text.charCodeAt(i) === 92 /* \ */) {
          escaped = true;
          i += 1;
        }
      }
      const top = stack.at(-1);
      if (top && !top.isArray && top.expectKey) {
        top.expectKey = false;
        // Decoded only on a path asked for, and only when written with escapes.
        const key = top.trie && (escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i));
        top.member = key === undefined ? undefined : top.trie!.next.get(key);
        mark(top.member, start, i - start + 1);
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const trie = nextValue();
      if (stack.length === 0 || stack.at(-1)!.isArray) mark(trie, i, 1);
      stack.push({ trie, isArray: c === 91, index: 0, expectKey: c === 123, member: undefined });
    } else if (c === 125 /* } */ || c === 93 /* ] */) stack.pop();
    else if (c === 44 /* , */) {
      const top = stack.at(-1);
      if (top?.isArray) top.index += 1;
      else if (top) top.expectKey = true;
    }
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
  let at = error.offset;
  while (at < text.length && /\s/.test(text[at]!)) at += 1;
  const next = text[at];
  const code = printParseErrorCode(error.error);
  if ((code === 'ValueExpected' || code === 'PropertyNameExpected') && (next === '}' || next === ']')) {
    return 'JSON syntax error: trailing commas are not allowed';
  }
  return `JSON syntax error: ${syntaxMessages[code] ?? 'invalid JSON'}`;
}

/**
 * The JSON path at each of these offsets (ascending), as jsonc-parser's getLocation gives it,
 * in one pass: getLocation scans from the start each time, which made thousands of syntax
 * errors quadratic.
 */
function getSyntaxPaths(text: string, offsets: readonly number[]): PathSegment[][] {
  const paths: PathSegment[][] = [];
  const segments: PathSegment[] = [];
  // Every offset not yet placed for which `reached` holds gets the path as it is now.
  const take = (reached: (position: number) => boolean): void => {
    while (paths.length < offsets.length && reached(offsets[paths.length]!)) paths.push([...segments]);
  };
  visit(text, {
    onObjectBegin: (offset) => {
      take((p) => p <= offset);
      segments.push('');
    },
    onObjectProperty: (name, offset, length) => {
      take((p) => p < offset);
      segments[segments.length - 1] = name;
      take((p) => p <= offset + length);
    },
    onObjectEnd: (offset) => {
      take((p) => p <= offset);
      segments.pop();
    },
    onArrayBegin: (offset) => {
      take((p) => p <= offset);
      segments.push(0);
    },
    onArrayEnd: (offset) => {
      take((p) => p <= offset);
      segments.pop();
    },
    onLiteralValue: (_value, offset, length) => {
      take((p) => p <= offset + length);
    },
    onSeparator: (separator, offset) => {
      take((p) => p <= offset);
      if (separator === ',') {
        const last = segments[segments.length - 1];
        segments[segments.length - 1] = typeof last === 'number' ? last + 1 : '';
      }
    },
  });
  take(() => true);
  return paths;
}

export type ParsedJson =
  | { ok: true; root: Node; value: unknown; problems: RawProblem[] }
  | {
      ok: false;
      syntax: Array<{ message: string; path: PathSegment[]; offset: number; length: number }>;
      more: number;
    };

/**
 * Strict JSON (no comments, no trailing commas) to a tree and a value; duplicate keys are
 * problems. Of syntax errors, the first `maxErrors` are described; `more` counts the rest.
 */
export function parseJsonText(text: string, maxErrors = Infinity): ParsedJson {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (text.trim().length === 0 || (root === undefined && errors.length === 0)) {
    return {
      ok: false,
      syntax: [{ message: 'the policy is empty; expected a JSON object', path: [], offset: 0, length: 0 }],
      more: 0,
    };
  }
  if (errors.length > 0 || root === undefined) {
    // One slip can make jsonc-parser report twice at the same spot; report it once.
    const seen = new Set<string>();
    const described = errors
      .map((e) => ({ message: describeSyntaxError(text, e), offset: e.offset, length: e.length }))
      .filter((e) => !seen.has(`${e.offset}:${e.message}`) && seen.add(`${e.offset}:${e.message}`))
      .sort((a, b) => a.offset - b.offset);
    const shown = described.slice(0, maxErrors);
    const paths = getSyntaxPaths(
      text,
      shown.map((e) => e.offset),
    );
    // At a missing property name the location ends in an empty key; the object is what is meant.
    const syntax = shown.map((e, i) => ({
      ...e,
      path: paths[i]!.filter((segment, j, all) => !(segment === '' && j === all.length - 1)),
    }));
    return { ok: false, syntax, more: described.length - shown.length };
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
      problems.push({
        path: [...path, key],
        range: { offset: keyNode.offset, length: keyNode.length },
        message: `duplicate key "${key}"; JSON keeps only one of them, so remove or rename one`,
      });
      continue;
    }
    Object.defineProperty(out, key, {
      value: toValue(valueNode, [...path, key], problems),
      enumerable: true,
      writable: true,
      configurable: true,
    });
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
      if (key && value && property.children!.length === 2 && !index.has(String(key.value)))
        index.set(String(key.value), value);
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
export function locateNode(
  root: Node,
  path: readonly PathSegment[],
  at: 'key' | 'value' = 'value',
): { offset: number; length: number } {
  const node = findNode(root, path);
  if (node) {
    const target = at === 'key' && node.parent?.type === 'property' ? (node.parent.children?.[0] ?? node) : node;
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
