// Where the sender remembers each organisation stream's head (last link seq and hash), so a
// restart continues the chain without reading the whole stream. Written after each batch AWS
// took, through a temporary file and a rename, so it is never torn. A lost or stale file is
// not a loss: the sender reconciles with what the stream holds (cloudWatchSink.ts).
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { once } from '../../shared/lazySchema';
import { type StreamHead } from './orgChain';

export const streamHeadFileName = 'audit-stream-heads.json';
/** Streams remembered: one per identity used on this machine; the oldest are dropped. */
const maxStreams = 32;

const getHeadsSchema = once(() =>
  z.record(
    z.string().max(512),
    z.strictObject({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
);
type Heads = z.infer<ReturnType<typeof getHeadsSchema>>;

async function readHeads(dir: string): Promise<Heads> {
  try {
    const parsed = getHeadsSchema().safeParse(JSON.parse(await readFile(join(dir, streamHeadFileName), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    // Missing or damaged: the sender reads the head from the stream instead.
    return {};
  }
}

export async function readSavedStreamHead(dir: string, stream: string): Promise<StreamHead | undefined> {
  const heads = await readHeads(dir);
  return Object.hasOwn(heads, stream) ? heads[stream] : undefined;
}

export async function saveStreamHead(dir: string, stream: string, head: StreamHead): Promise<void> {
  const heads = await readHeads(dir);
  delete heads[stream];
  heads[stream] = { seq: head.seq, hash: head.hash };
  const kept = Object.fromEntries(Object.entries(heads).slice(-maxStreams));
  const path = join(dir, streamHeadFileName);
  const handle = await open(`${path}.tmp`, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(kept));
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(`${path}.tmp`, path);
}
