// Where the JSONL trail lives: `audit.jsonl` is written to; when it reaches its size
// limit it is renamed `audit-<n>.jsonl` (n = 1, 2, …) and a new one is started. The chain
// runs through the files in that order.
import { open, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const currentAuditFileName = 'audit.jsonl';
const rotatedName = /^audit-(\d+)\.jsonl$/;

export function getRotatedAuditFileName(n: number): string {
  return `audit-${n}.jsonl`;
}

/** Rotated files in order (oldest first), without the current file. */
export async function listRotatedAuditFiles(dir: string): Promise<{ n: number; path: string }[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .map((name) => ({ name, match: rotatedName.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ n: Number(match[1]), path: join(dir, name) }))
    .sort((a, b) => a.n - b.n);
}

/** Every file of the trail, oldest first: the argument verifyAuditChain() takes. */
export async function listAuditFiles(dir: string): Promise<string[]> {
  const rotated = (await listRotatedAuditFiles(dir)).map((entry) => entry.path);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.includes(currentAuditFileName) ? [...rotated, join(dir, currentAuditFileName)] : rotated;
}

export interface FileTail {
  size: number;
  /** The last complete line, without its newline; undefined for an empty file. */
  lastLine: string | undefined;
  /** Bytes after the last newline: a line cut short by a crash. */
  partialBytes: number;
}

const tailChunk = 256 * 1024;

/** Reads only the end of a file; records are far smaller than the chunk. */
export async function readFileTail(path: string): Promise<FileTail | undefined> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (handle === undefined) return undefined;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, tailChunk);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    const end = text.lastIndexOf('\n');
    const partialBytes = Buffer.byteLength(text.slice(end + 1), 'utf8');
    if (end === -1) return { size, lastLine: undefined, partialBytes };
    const start = text.lastIndexOf('\n', end - 1);
    return { size, lastLine: text.slice(start + 1, end), partialBytes };
  } finally {
    await handle.close();
  }
}

/** The hash of the record with this seq, newest file first; undefined when no record has it. */
export async function findRecordHash(dir: string, seq: number): Promise<string | undefined> {
  for (const file of (await listAuditFiles(dir)).reverse()) {
    const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n');
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      let record: { seq?: unknown; hash?: unknown } | undefined;
      try {
        record = lines[i] ? (JSON.parse(lines[i]!) as { seq?: unknown; hash?: unknown }) : undefined;
      } catch {
        record = undefined;
      }
      if (typeof record?.seq !== 'number') continue;
      if (record.seq === seq) return typeof record.hash === 'string' ? record.hash : undefined;
      if (record.seq < seq) return undefined;
    }
  }
  return undefined;
}
