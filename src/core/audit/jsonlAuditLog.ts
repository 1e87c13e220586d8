// The local audit sink: an append-only JSONL file, one canonical record per line, each
// batch fsync'ed before its promises resolve. Appends are queued and written in call
// order; records get their seq and hash only when written, so a failed write never
// leaves a gap in the chain. Rotation by size renames the file and the chain continues.
// A write that fails or is short (a full disk) rejects its appends and is cut back off
// the file, so what resolved is exactly what is on disk. After each write the head is
// anchored outside the file (anchor.ts); a trail found behind it gets an audit.gap record.
import { mkdir, open, rename, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { InfraWatchError } from '../errors';
import { silentLog, systemClock, type Clock, type Log } from '../ports';
import { describeGap, findGap, getGapEvent, type AnchorStore, type Gap } from './anchor';
import {
  currentAuditFileName,
  findRecordHash,
  getRotatedAuditFileName,
  listRotatedAuditFiles,
  readFileTail,
} from './auditFiles';
import { acquireFileLock } from './auditLock';
import { createAuditRecord, emptyChainHead, getRecordLine, type ChainHead } from './chain';
import {
  auditEventInputSchema,
  auditRecordSchema,
  type AuditEventInput,
  type AuditPort,
  type AuditRecord,
} from './events';
import { SecretGuard } from './secretGuard';

export interface JsonlAuditLogOptions {
  /** The extension's global storage folder (or a subfolder of it). */
  dir: string;
  clock?: Clock;
  log?: Log;
  /** Shared with whoever registers issued secrets (only those are refused). */
  guard?: SecretGuard;
  /** Rotate when the next line would take the file past this; default 5 MB. */
  maxBytes?: number;
  /** Where the head is anchored (SecretStorage in VS Code); without one, truncation goes unseen. */
  anchor?: AnchorStore;
}

interface Pending {
  input: AuditEventInput;
  time: string;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

const ignore = (): void => undefined;

function getValidInput(input: AuditEventInput): AuditEventInput {
  const parsed = auditEventInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InfraWatchError(
    'Validation',
    `Writing the audit record failed: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`,
  );
}

export class JsonlAuditLog implements AuditPort {
  private readonly path: string;
  private readonly lockPath: string;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly guard: SecretGuard;
  private readonly maxBytes: number;
  private readonly pending: Pending[] = [];
  private head: ChainHead = emptyChainHead;
  private file: FileHandle | undefined;
  private size = 0;
  private flushing: Promise<void> | undefined;
  /** The current file as we last left it (undefined: absent); null: read it again. */
  private known: { ino: number; size: number; mtimeMs: number } | undefined | null = null;

  private constructor(private readonly options: JsonlAuditLogOptions) {
    this.path = join(options.dir, currentAuditFileName);
    this.lockPath = join(options.dir, 'audit.lock');
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLog;
    this.guard = options.guard ?? new SecretGuard();
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  }

  /** Opens (creating the folder) and continues the chain from the last record on disk. */
  static async open(options: JsonlAuditLogOptions): Promise<JsonlAuditLog> {
    const log = new JsonlAuditLog(options);
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const release = await acquireFileLock(log.lockPath);
    try {
      await log.sync();
    } finally {
      await release();
    }
    return log;
  }

  /** The last record written or read (seq 0 before the first); options.anchor keeps it outside the file. */
  getHead(): ChainHead {
    return this.head;
  }

  /** Refuses (rejects) anything secret-looking or outside the vocabulary before queueing. */
  append(input: AuditEventInput): Promise<AuditRecord> {
    try {
      this.guard.assertClean(input);
      const valid = getValidInput(input);
      const time = new Date(this.clock.now()).toISOString();
      return new Promise<AuditRecord>((resolve, reject) => {
        this.pending.push({ input: valid, time, resolve, reject });
        this.flushing ??= this.flush();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async close(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    await this.file?.close();
    this.file = undefined;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      let release: (() => Promise<void>) | undefined;
      try {
        release = await acquireFileLock(this.lockPath);
        const written = this.head;
        await this.sync();
        const gap = await this.findGap(written);
        const start = this.head;
        try {
          await this.writeBatch(gap ? [this.getGapItem(gap), ...batch] : batch);
        } finally {
          if (this.head.seq !== start.seq) await this.saveAnchor();
        }
      } catch (error) {
        const failure =
          error instanceof InfraWatchError
            ? error
            : new InfraWatchError('Unknown', `Writing the audit trail failed: ${(error as Error).message}`, {
                cause: error,
              });
        this.log.error(failure.message);
        for (const item of batch) item.reject(failure);
      } finally {
        await release?.();
      }
    }
    this.flushing = undefined;
  }

  /** Whether the trail on disk is behind what this writer wrote or what the anchor says. */
  private async findGap(written: ChainHead): Promise<Gap | undefined> {
    const anchored = await this.options.anchor?.read().catch((error: unknown) => {
      this.log.warn(
        `Audit trail: reading the anchored head failed (${(error as Error).message}); the trail's end is not checked this time.`,
      );
      return undefined;
    });
    const gap = await findGap(this.head, [written, anchored], (seq) => findRecordHash(this.options.dir, seq));
    if (gap) this.log.error(describeGap(gap));
    return gap;
  }

  private getGapItem(gap: Gap): Pending {
    return { input: getGapEvent(gap), time: new Date(this.clock.now()).toISOString(), resolve: ignore, reject: ignore };
  }

  /** After the records are durable: a crash in between leaves the anchor behind, which is not a gap. */
  private async saveAnchor(): Promise<void> {
    await this.options.anchor?.write({ seq: this.head.seq, hash: this.head.hash }).catch((error: unknown) => {
      this.log.error(`Audit trail: anchoring the head (seq ${this.head.seq}) failed: ${(error as Error).message}`);
    });
  }

  /** Writes the batch in segments between rotations; each segment is durable before it resolves. */
  private async writeBatch(batch: Pending[]): Promise<void> {
    let index = 0;
    while (index < batch.length) {
      const lines: string[] = [];
      const records: AuditRecord[] = [];
      let head = this.head;
      let bytes = 0;
      for (const item of batch.slice(index)) {
        const record = createAuditRecord(head, item.input, item.time);
        const line = getRecordLine(record);
        const lineBytes = Buffer.byteLength(line, 'utf8');
        if (this.size + bytes > 0 && this.size + bytes + lineBytes > this.maxBytes) break;
        lines.push(line);
        records.push(record);
        bytes += lineBytes;
        head = { seq: record.seq, hash: record.hash };
      }
      if (records.length === 0) {
        await this.rotate();
        continue;
      }
      await this.writeDurably(Buffer.from(lines.join(''), 'utf8'));
      this.head = head;
      records.forEach((record, i) => batch[index + i]?.resolve(record));
      index += records.length;
    }
  }

  /** All of `data` on disk, or none of it: a failed or short write is cut back off and rethrown. */
  private async writeDurably(data: Buffer): Promise<void> {
    const file = await this.getFile();
    const start = this.size;
    try {
      const { bytesWritten } = await file.write(data, 0, data.length);
      if (bytesWritten !== data.length)
        throw new Error(`the disk took ${bytesWritten} of ${data.length} bytes (is it full?)`);
      await file.datasync();
    } catch (error) {
      await this.cutBack(file, start);
      throw error;
    }
    this.size += data.length;
    const info = await file.stat();
    this.known = { ino: info.ino, size: this.size, mtimeMs: info.mtimeMs };
  }

  /** Removes a failed write's bytes, so no part of it ever joins the chain. */
  private async cutBack(file: FileHandle, size: number): Promise<void> {
    try {
      await file.truncate(size);
      await file.datasync();
    } catch (error) {
      // The next write reads the file again and drops an unfinished last line (readHead).
      this.log.error(`Audit trail: removing a failed write from ${this.path} failed: ${(error as Error).message}`);
    }
    // Read the file again before the next write, with a fresh handle.
    this.known = null;
    await file.close().catch(() => undefined);
    this.file = undefined;
  }

  private async getFile(): Promise<FileHandle> {
    this.file ??= await open(this.path, 'a', 0o600);
    return this.file;
  }

  /** Catches up with writes by other windows (and rotations they made) since our last one. */
  private async sync(): Promise<void> {
    const onDisk = await stat(this.path).catch(() => undefined);
    const known = this.known;
    if (
      known !== null &&
      known?.ino === onDisk?.ino &&
      known?.size === onDisk?.size &&
      known?.mtimeMs === onDisk?.mtimeMs
    )
      return;
    await this.file?.close();
    this.file = undefined;
    this.head = await this.readHead();
    const now = await stat(this.path).catch(() => undefined);
    this.size = now?.size ?? 0;
    this.known = now === undefined ? undefined : { ino: now.ino, size: now.size, mtimeMs: now.mtimeMs };
  }

  private async readHead(): Promise<ChainHead> {
    let tail = await readFileTail(this.path);
    if (tail !== undefined && tail.partialBytes > 0) {
      // A crash cut the last line short; it was never acknowledged, so it is dropped.
      this.log.warn(`Audit trail: dropping ${tail.partialBytes} bytes of an unfinished last line in ${this.path}.`);
      await truncate(this.path, tail.size - tail.partialBytes);
      tail = await readFileTail(this.path);
    }
    let file = this.path;
    if (tail?.lastLine === undefined) {
      const rotated = (await listRotatedAuditFiles(this.options.dir)).at(-1);
      if (rotated === undefined) return emptyChainHead;
      file = rotated.path;
      tail = await readFileTail(rotated.path);
    }
    if (tail?.lastLine === undefined) return emptyChainHead;
    return this.parseHead(tail.lastLine, file);
  }

  private parseHead(line: string, file: string): ChainHead {
    try {
      const record = auditRecordSchema.parse(JSON.parse(line));
      return { seq: record.seq, hash: record.hash };
    } catch (error) {
      throw new InfraWatchError(
        'Validation',
        `Opening the audit trail failed: the last record of ${file} is unreadable; run "InfraWatch: Verify Audit Trail"`,
        { cause: error },
      );
    }
  }

  private async rotate(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
    const last = (await listRotatedAuditFiles(this.options.dir)).at(-1)?.n ?? 0;
    const target = join(this.options.dir, getRotatedAuditFileName(last + 1));
    await rename(this.path, target);
    const dir = await open(this.options.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    this.size = 0;
    this.known = undefined;
    this.log.info(`Audit trail: rotated to ${target}.`);
  }
}
