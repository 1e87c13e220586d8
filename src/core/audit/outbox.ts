// The CloudWatch Logs sink's on-disk outbox: every record handed to the sink is appended
// here (fsync'ed) before anything is sent, so an extension-host crash or an outage loses
// nothing. A cursor file says how far the sender got. Every VS Code window runs its own
// extension host over the same global storage, so appends and compaction take a lock.
//
//   audit-outbox-<gen>.jsonl   one canonical record per line, append-only
//   audit-outbox.json          the cursor {gen, offset, seq}: bytes of <gen> already sent
//
// Compaction copies the unsent tail into generation gen+1 and only then moves the
// cursor, so a crash at any point leaves a cursor that matches its file.
import { open, readdir, readFile, rename, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { type Log } from '../ports';
import { acquireFileLock } from './auditLock';

export interface OutboxCursor {
  /** Which audit-outbox-<gen>.jsonl is current. */
  gen: number;
  /** Bytes of that file already delivered (or skipped). */
  offset: number;
  /** seq of the last record delivered (or skipped); 0 before the first. */
  seq: number;
}

export interface OutboxEntry {
  /** The record's canonical JSON, without the newline: the log event's message. */
  line: string;
  /** NaN when the line is not a readable record. */
  seq: number;
  /** The record's time, epoch ms (NaN when unreadable). */
  time: number;
  hash: string;
  /** Byte offset just after this line's newline. */
  end: number;
}

export const outboxCursorFileName = 'audit-outbox.json';
const outboxLockFileName = 'audit-outbox.lock';
const outboxFilePattern = /^audit-outbox-(\d+)\.jsonl$/;
const initialCursor: OutboxCursor = { gen: 1, offset: 0, seq: 0 };

export function getOutboxFileName(gen: number): string {
  return `audit-outbox-${gen}.jsonl`;
}

/** Reads one outbox line; a line that is not a record comes back with seq NaN. */
export function parseOutboxLine(line: string, end: number): OutboxEntry {
  try {
    const value = JSON.parse(line) as { seq?: unknown; time?: unknown; hash?: unknown };
    const seq = typeof value.seq === 'number' && Number.isInteger(value.seq) ? value.seq : Number.NaN;
    const time = typeof value.time === 'string' ? Date.parse(value.time) : Number.NaN;
    const hash = typeof value.hash === 'string' ? value.hash : '';
    return { line, seq: Number.isNaN(time) ? Number.NaN : seq, time, hash, end };
  } catch {
    return { line, seq: Number.NaN, time: Number.NaN, hash: '', end };
  }
}

/** Complete lines of `text` (which starts at byte `base`); a trailing partial line is left out. */
export function splitOutboxLines(text: Buffer, base: number): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  let start = 0;
  for (let newline = text.indexOf(10, start); newline !== -1; newline = text.indexOf(10, start)) {
    const line = text.subarray(start, newline).toString('utf8');
    start = newline + 1;
    if (line.length > 0) entries.push(parseOutboxLine(line, base + start));
  }
  return entries;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Appends `data` and makes it durable, or rejects and cuts the file back to where it was:
 * a full disk takes part of a write, and a line cut short must not stand in the outbox.
 */
async function appendAllOrNothing(handle: FileHandle, data: Buffer): Promise<void> {
  const { size } = await handle.stat();
  try {
    const { bytesWritten } = await handle.write(data, 0, data.length);
    if (bytesWritten !== data.length)
      throw new Error(
        `Writing the audit outbox failed: the disk took ${bytesWritten} of ${data.length} bytes (is it full?)`,
      );
    await handle.datasync();
  } catch (error) {
    // If this fails too, the next append's dropPartialLine removes the unfinished line.
    await handle
      .truncate(size)
      .then(() => handle.datasync())
      .catch(() => undefined);
    throw error;
  }
}

function isCursor(value: unknown): value is OutboxCursor {
  const c = value as Partial<OutboxCursor> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    [c.gen, c.offset, c.seq].every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0) &&
    (c.gen ?? 0) >= 1
  );
}

export class Outbox {
  private readonly lockPath: string;
  private readonly cursorPath: string;

  constructor(
    private readonly dir: string,
    private readonly log: Log,
  ) {
    this.lockPath = join(dir, outboxLockFileName);
    this.cursorPath = join(dir, outboxCursorFileName);
  }

  async readCursor(): Promise<OutboxCursor> {
    let text: string;
    try {
      text = await readFile(this.cursorPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return initialCursor;
      throw error;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (isCursor(value)) return { gen: value.gen, offset: value.offset, seq: value.seq };
    } catch {
      // Falls through: the rename below makes a torn cursor impossible, so this is damage.
    }
    this.log.warn(
      `Audit sink: ${this.cursorPath} is unreadable; resending the outbox from its start (records CloudWatch Logs already has are not sent twice).`,
    );
    return { ...initialCursor, gen: (await this.listGenerations()).at(0) ?? 1 };
  }

  /** Written to a temporary file, fsync'ed and renamed, so the cursor is never torn. */
  async saveCursor(cursor: OutboxCursor): Promise<void> {
    const temporary = `${this.cursorPath}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ gen: cursor.gen, offset: cursor.offset, seq: cursor.seq }));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.cursorPath);
    await syncDir(this.dir);
  }

  /** Appends lines (no newlines inside) durably, in order, to the current generation. */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const release = await acquireFileLock(this.lockPath);
    try {
      const path = join(this.dir, getOutboxFileName((await this.readCursor()).gen));
      await this.dropPartialLine(path);
      const handle = await open(path, 'a', 0o600);
      try {
        await appendAllOrNothing(handle, Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8'));
      } finally {
        await handle.close();
      }
    } finally {
      await release();
    }
  }

  /** Every complete line after the cursor, in file order. */
  async readPending(cursor: OutboxCursor): Promise<OutboxEntry[]> {
    const handle = await open(join(this.dir, getOutboxFileName(cursor.gen)), 'r').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    if (handle === undefined) return [];
    try {
      const { size } = await handle.stat();
      const length = Math.max(0, size - cursor.offset);
      const buffer = Buffer.alloc(length);
      if (length > 0) await handle.read(buffer, 0, length, cursor.offset);
      return splitOutboxLines(buffer, cursor.offset);
    } finally {
      await handle.close();
    }
  }

  /**
   * Moves the unsent tail into a new generation and deletes the old files. Call only
   * while holding the sender lock, so the cursor cannot move underneath.
   */
  async compact(): Promise<OutboxCursor> {
    const release = await acquireFileLock(this.lockPath);
    try {
      const cursor = await this.readCursor();
      const oldPath = join(this.dir, getOutboxFileName(cursor.gen));
      const tail = await readFile(oldPath).catch(() => Buffer.alloc(0));
      const next: OutboxCursor = { gen: cursor.gen + 1, offset: 0, seq: cursor.seq };
      const handle = await open(join(this.dir, getOutboxFileName(next.gen)), 'w', 0o600);
      try {
        await handle.writeFile(tail.subarray(Math.min(cursor.offset, tail.length)));
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await this.saveCursor(next);
      for (const gen of await this.listGenerations()) {
        if (gen !== next.gen) await unlink(join(this.dir, getOutboxFileName(gen))).catch(() => undefined);
      }
      return next;
    } finally {
      await release();
    }
  }

  private async listGenerations(): Promise<number[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names
      .flatMap((name) => {
        const match = outboxFilePattern.exec(name);
        return match ? [Number(match[1])] : [];
      })
      .sort((a, b) => a - b);
  }

  /** A crash mid-append leaves half a line; the next line must not be glued onto it. */
  private async dropPartialLine(path: string): Promise<void> {
    const handle = await open(path, 'r').catch(() => undefined);
    if (handle === undefined) return;
    let size = 0;
    let last = 10;
    try {
      size = (await handle.stat()).size;
      if (size === 0) return;
      const chunk = Buffer.alloc(Math.min(size, 256 * 1024));
      await handle.read(chunk, 0, chunk.length, size - chunk.length);
      last = chunk[chunk.length - 1] ?? 10;
      if (last === 10) return;
      const keep = size - chunk.length + chunk.lastIndexOf(10) + 1;
      this.log.warn(
        `Audit sink: dropping ${size - keep} bytes of an unfinished outbox line in ${path}; that record stays in the local audit trail.`,
      );
      size = keep;
    } finally {
      await handle.close();
    }
    await truncate(path, size);
  }
}
