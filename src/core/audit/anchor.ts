// The trail's head (seq + hash of the last record) kept outside the trail, so that cutting
// records from the end, deleting the newest files or replacing the whole trail with a
// re-hashed chain can be told from an intact trail. The VS Code layer keeps it in
// SecretStorage: someone who can edit files in global storage cannot read or set it, so a
// forged chain cannot be made to end on the anchored hash.
//
// A writer that finds the trail behind what it knows (the anchor, or the head it wrote
// itself) does not go on as if nothing happened: it first writes an `audit.gap` record that
// states what was expected and what was found, chained to what was found. The chain stays
// verifiable and the loss stays visible.
import { type ChainHead } from './chain';
import { type AuditEventInput } from './events';

export type Anchor = ChainHead;

/** Where the anchor lives: one value shared by every window of the user. */
export interface AnchorStore {
  read(): Promise<Anchor | undefined>;
  write(anchor: Anchor): Promise<void>;
}

export class MemoryAnchorStore implements AnchorStore {
  private value: Anchor | undefined;

  async read(): Promise<Anchor | undefined> {
    return this.value && { ...this.value };
  }

  async write(anchor: Anchor): Promise<void> {
    this.value = { seq: anchor.seq, hash: anchor.hash };
  }
}

export function formatAnchor(anchor: Anchor): string {
  return JSON.stringify({ seq: anchor.seq, hash: anchor.hash });
}

/** undefined for nothing stored; throws for a stored value that is not an anchor. */
export function parseAnchor(text: string | undefined): Anchor | undefined {
  if (text === undefined) return undefined;
  let value: Partial<Anchor> | undefined;
  try {
    value = JSON.parse(text) as Partial<Anchor>;
  } catch {
    value = undefined;
  }
  if (
    typeof value?.seq !== 'number' ||
    !Number.isInteger(value.seq) ||
    value.seq < 0 ||
    typeof value.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(value.hash)
  ) {
    throw new Error('the stored audit anchor is damaged');
  }
  return { seq: value.seq, hash: value.hash };
}

export type GapCause = 'shortened' | 'replaced';

export interface Gap {
  /** The head the writer knew: the anchor or its own last record. */
  expected: ChainHead;
  /** The head the trail on disk ends with. */
  found: ChainHead;
  /** shortened: the trail ends before `expected`; replaced: it holds another record there. */
  cause: GapCause;
}

/**
 * Compares the trail's head with what is known about it. `hashAt(seq)` gives the hash of
 * the trail's record with that seq (undefined: none), needed only when other windows wrote
 * after what is known. The highest known head decides: if the trail still holds it, the
 * chain vouches for every record before it.
 */
export async function findGap(
  found: ChainHead,
  known: readonly (ChainHead | undefined)[],
  hashAt: (seq: number) => Promise<string | undefined>,
): Promise<Gap | undefined> {
  const expected = known
    .filter((head): head is ChainHead => head !== undefined && head.seq > 0)
    .sort((a, b) => b.seq - a.seq)[0];
  if (expected === undefined) return undefined;
  if (found.seq < expected.seq) return { expected, found, cause: 'shortened' };
  const hash = found.seq === expected.seq ? found.hash : await hashAt(expected.seq);
  return hash === expected.hash ? undefined : { expected, found, cause: 'replaced' };
}

/** The record a writer puts before its own after finding a gap. */
export function getGapEvent(gap: Gap): AuditEventInput {
  return {
    event: 'audit.gap',
    actor: 'InfraWatch',
    outcome: 'failure',
    detail: {
      cause: gap.cause,
      expectedSeq: gap.expected.seq,
      expectedHash: gap.expected.hash,
      foundSeq: gap.found.seq,
      foundHash: gap.found.hash,
    },
  };
}

export function describeGap(gap: Gap): string {
  const what =
    gap.cause === 'shortened'
      ? `ends at seq ${gap.found.seq}, but seq ${gap.expected.seq} was written: seq ${gap.found.seq + 1}–${gap.expected.seq} were cut or their files deleted`
      : `does not hold seq ${gap.expected.seq} as written (hash ${gap.expected.hash.slice(0, 12)}…): it was rewritten or replaced (it now ends at seq ${gap.found.seq})`;
  return `Audit trail: the trail ${what}. Not continuing silently: a record of the gap (audit.gap) starts a new segment after seq ${gap.found.seq}.`;
}
