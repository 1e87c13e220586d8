// "Did you mean …?" for typos in keys, service names and role names.
// The policy is untrusted: it may name thousands of unknown roles among thousands of defined
// ones, and comparing each with each was quadratic (9,110 roles: 82 s on the extension host).
// So the work is bounded per check, whatever the input: only the first `maxWords` words get a
// suggestion, a word is compared only with candidates whose length is within its edit limit,
// at most `maxComparisons` edit distances are computed in all, and each stops early once it
// is past the limit. A policy within the schema's limits (50 roles) never reaches the bounds.

export const suggestLimits = { maxWords: 20, maxComparisons: 5000, maxWordLength: 100 } as const;

export interface Suggester {
  /** The closest candidate within a third of the word's length (at least 1, at most 3 edits). */
  suggest(word: string): string | undefined;
  /** Edit distances computed so far: never more than maxComparisons. */
  readonly comparisons: number;
}

interface Candidate {
  text: string;
  lower: string;
  index: number;
}

/** Case-insensitive edit distance of a and b, or limit + 1 as soon as it must exceed limit. */
export function getBoundedDistance(a: string, b: string, limit: number): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => Math.min(j, over));
  for (let i = 1; i <= a.length; i += 1) {
    // Cells more than `limit` off the diagonal are past the limit: only the band is computed.
    const current = new Array<number>(b.length + 1).fill(over);
    current[0] = Math.min(i, over);
    let rowBest = current[0];
    for (let j = Math.max(1, i - limit); j <= Math.min(b.length, i + limit); j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost, over);
      rowBest = Math.min(rowBest, current[j]!);
    }
    if (rowBest > limit) return over;
    previous = current;
  }
  return previous[b.length]!;
}

export function createSuggester(candidates: readonly string[], limits = suggestLimits): Suggester {
  const exact = new Map<string, string>();
  const byLength = new Map<number, Candidate[]>();
  candidates.forEach((text, index) => {
    if (text.length > limits.maxWordLength) return;
    const lower = text.toLowerCase();
    if (!exact.has(lower)) exact.set(lower, text);
    const bucket = byLength.get(lower.length) ?? [];
    bucket.push({ text, lower, index });
    byLength.set(lower.length, bucket);
  });
  let words = 0;
  let comparisons = 0;

  function suggest(word: string): string | undefined {
    if (word.length > limits.maxWordLength || words >= limits.maxWords) return undefined;
    words += 1;
    const lower = word.toLowerCase();
    const sameButCase = exact.get(lower);
    if (sameButCase !== undefined) return sameButCase;
    const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    let best: { candidate: Candidate; distance: number } | undefined;
    // Nearest lengths first: a length difference of d costs at least d edits.
    for (let d = 0; d <= limit && (!best || d <= best.distance); d += 1) {
      for (const length of d === 0 ? [lower.length] : [lower.length - d, lower.length + d]) {
        for (const candidate of byLength.get(length) ?? []) {
          if (comparisons >= limits.maxComparisons) return best?.candidate.text;
          comparisons += 1;
          const distance = getBoundedDistance(lower, candidate.lower, best ? best.distance : limit);
          const closer =
            !best || distance < best.distance || (distance === best.distance && candidate.index < best.candidate.index);
          if (distance <= limit && closer) best = { candidate, distance };
        }
      }
    }
    return best?.candidate.text;
  }

  return {
    suggest,
    get comparisons() {
      return comparisons;
    },
  };
}

/** ` (did you mean "x"?)` or nothing; for one word against a short list. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const suggestion = createSuggester(candidates).suggest(word);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}
