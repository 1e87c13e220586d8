// The forms a registered secret takes in a log line besides itself, for the Redactor.
// Encodings that change every character (base64, hex) are matched as encoded variants of the
// secret; escapes that leave most characters alone (JSON \/ and \u, URL %XX, line breaks put
// into a long value) are undone in a "decoded view" of the line, searched for the plain secret
// and its variants, and every hit is mapped back to the original characters it came from.

/** The secret itself, base64 (standard and URL alphabets) at each byte offset, and hex. */
export function getSecretVariants(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const variants = new Set([secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()]);
  for (let offset = 0; offset < 3; offset += 1) {
    // Inside a longer blob the secret may start at any byte of a 3-byte group: keep only the
    // characters its own bits decide, which are the same whatever surrounds it.
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const own = encoded.slice(Math.ceil((offset * 4) / 3), Math.floor(((offset + bytes.length) * 4) / 3));
    variants.add(own);
    variants.add(own.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...variants].filter((variant) => variant.length > 0);
}

export interface DecodedView {
  text: string;
  /** For each character of `text`: where it starts and ends in the original line. */
  starts: number[];
  ends: number[];
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** One pass of undoing: JSON escapes, %XX (ASCII only) and line breaks with their indentation. */
function decodeOnce(line: string): DecodedView {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (char: string, start: number, end: number): void => {
    out.push(char);
    starts.push(start);
    ends.push(end);
  };
  /** A line break joins the two halves: drop blanks and a "\" continuation before it. */
  const dropBeforeBreak = (): void => {
    while (isBlank(out.at(-1))) [out, starts, ends].forEach((list) => list.pop());
    if (out.at(-1) === '\\') [out, starts, ends].forEach((list) => list.pop());
    while (isBlank(out.at(-1))) [out, starts, ends].forEach((list) => list.pop());
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    const next = line[i + 1];
    const isEscapedBreak = c === '\\' && (next === 'n' || next === 'r');
    if (c === '\n' || c === '\r' || isEscapedBreak) {
      dropBeforeBreak();
      i += isEscapedBreak ? 2 : 1;
      while (
        i < line.length &&
        (line[i] === '\n' ||
          line[i] === '\r' ||
          isBlank(line[i]) ||
          (line[i] === '\\' && /[nr]/.test(line[i + 1] ?? '')))
      ) {
        i += line[i] === '\\' ? 2 : 1;
      }
    } else if (c === '\\' && next === 'u' && [2, 3, 4, 5].every((k) => isHex(line[i + k]))) {
      emit(String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16)), i, i + 6);
      i += 6;
    } else if (c === '\\' && (next === '/' || next === '"' || next === '\\')) {
      emit(next, i, i + 2);
      i += 2;
    } else if (c === '%' && isHex(next) && /^[0-7]$/.test(next!) && isHex(line[i + 2])) {
      emit(String.fromCharCode(parseInt(line.slice(i + 1, i + 3), 16)), i, i + 3);
      i += 3;
    } else {
      emit(c, i, i + 1);
      i += 1;
    }
  }
  return { text: out.join(''), starts, ends };
}

/** The line with escapes undone (twice, for a value encoded twice), mapped to the original. */
export function getDecodedView(line: string): DecodedView {
  const first = decodeOnce(line);
  if (!/[\\%]/.test(first.text)) return first;
  const second = decodeOnce(first.text);
  return {
    text: second.text,
    starts: second.starts.map((s) => first.starts[s]!),
    ends: second.ends.map((e) => first.ends[e - 1]!),
  };
}

/** Characters of a secret seen from its start before a match counts: a prefix this long is masked too. */
export const minPrefixLength = 16;

/** [start, end) ranges of `text` where a variant, or a prefix of one of at least 16 characters, appears. */
export function findVariants(text: string, variants: readonly string[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const variant of variants) {
    const needed = Math.min(minPrefixLength, variant.length);
    const head = variant.slice(0, needed);
    for (let at = text.indexOf(head); at >= 0; at = text.indexOf(head, at + 1)) {
      let length = needed;
      while (length < variant.length && text[at + length] === variant[length]) length += 1;
      found.push([at, at + length]);
    }
  }
  return found;
}
