// Writes a set of actions short enough for a session policy: given wildcards where they
// cover nothing forbidden, else the shortest prefix wildcards that cover none of the
// forbidden actions, else the action's name. The statement then means exactly what the list
// of actions meant, for every action AWS knows; an action AWS adds later falls under a
// wildcard only if it shares the prefix (in a Deny, that errs on the safe side).
import { actionGlob } from '../iamActions';

/** `words` ends prefixes where a word ends (`ec2:DescribeAddresses*`); `letters` anywhere (`ec2:DescribeAd*`). */
export type CompactStyle = 'words' | 'letters';

export interface CompactInput {
  /** Concrete actions (`prefix:Name`) the statement must allow. */
  allow: readonly string[];
  /** Concrete actions it must not allow. */
  forbidden: readonly string[];
  /** Wildcards to use as they are when safe (the catalog's entries), in order. */
  preferred: readonly string[];
  style: CompactStyle;
}

function prefixEnds(name: string, style: CompactStyle): number[] {
  const ends: number[] = [];
  const start = name.indexOf(':') + 2;
  for (let i = start; i < name.length; i++) {
    if (style === 'letters' || /[A-Z0-9]/.test(name[i] ?? '')) ends.push(i);
  }
  return ends;
}

/** Whether any of the sorted, lower-cased names starts with `prefix` (binary search). */
function anyStartsWith(sorted: readonly string[], prefix: string): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as string) < prefix) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length && (sorted[low] as string).startsWith(prefix);
}

export function compactActions(input: CompactInput): string[] {
  const forbidden = input.forbidden.map((a) => a.toLowerCase()).sort();
  const remaining = new Set(input.allow);
  const out: string[] = [];
  const take = (entry: string, covered: readonly string[]): void => {
    out.push(entry);
    for (const action of covered) remaining.delete(action);
  };
  for (const wildcard of input.preferred) {
    const re = actionGlob(wildcard);
    const covered = [...remaining].filter((a) => re.test(a));
    if (covered.length > 0 && !input.forbidden.some((a) => re.test(a))) take(wildcard, covered);
  }
  for (const action of [...remaining].sort()) {
    if (!remaining.has(action)) continue;
    const safe = prefixEnds(action, input.style)
      .map((end) => action.slice(0, end))
      .find((prefix) => !anyStartsWith(forbidden, prefix.toLowerCase()));
    const covered =
      safe === undefined ? [action] : [...remaining].filter((a) => a.toLowerCase().startsWith(safe.toLowerCase()));
    take(safe === undefined || safe.length + 1 >= action.length ? action : `${safe}*`, covered);
  }
  return out;
}
