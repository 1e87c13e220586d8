// A child process for auditLock.test.ts, bundled with esbuild so each start costs tens of
// milliseconds rather than a tsx start. Two modes:
//   crash <dir>   writes one record, then takes both locks and dies (SIGKILL) holding them
//   contend       a long-lived "window": on each message it opens the trail, and on "go"
//                 takes the raw lock (checking nobody else is inside) and appends a record
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireFileLock } from '../../src/core/audit/auditLock';
import { type AuditEventInput } from '../../src/core/audit/events';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';

export type WorkerMessage = { kind: 'open'; dir: string } | { kind: 'go' };
export type WorkerReply = { kind: 'opened' } | { kind: 'done'; doubleHolder: boolean; seq?: number; error?: string };

const event = (actor: string): AuditEventInput => ({ event: 'terminal.opened', actor, outcome: 'success' });

async function crash(dir: string): Promise<void> {
  const log = await JsonlAuditLog.open({ dir });
  await log.append(event('arn:aws:iam::123456789012:user/crashed'));
  await log.close();
  await acquireFileLock(join(dir, 'raw.lock'));
  await acquireFileLock(join(dir, 'audit.lock'));
  process.kill(process.pid, 'SIGKILL');
}

/** Holds the raw lock a while; a marker created exclusively inside shows a second holder. */
async function holdRawLock(dir: string): Promise<boolean> {
  const release = await acquireFileLock(join(dir, 'raw.lock'));
  const marker = join(dir, 'inside');
  let doubleHolder = false;
  try {
    const handle = await open(marker, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    doubleHolder = handle === undefined;
    await handle?.close();
    await sleep(15);
    if (!doubleHolder) await unlink(marker);
  } finally {
    await release();
  }
  return doubleHolder;
}

function contend(): void {
  let dir = '';
  let log: JsonlAuditLog | undefined;
  const reply = (message: WorkerReply): void => void process.send?.(message);
  process.on('message', (message: WorkerMessage) => {
    void (async () => {
      if (message.kind === 'open') {
        dir = message.dir;
        log = await JsonlAuditLog.open({ dir });
        return reply({ kind: 'opened' });
      }
      try {
        const doubleHolder = await holdRawLock(dir);
        const record = await log!.append(event(`arn:aws:iam::123456789012:user/window-${process.pid}`));
        await log!.close();
        reply({ kind: 'done', doubleHolder, seq: record.seq });
      } catch (error) {
        reply({ kind: 'done', doubleHolder: false, error: (error as Error).message });
      }
    })();
  });
}

if (process.argv[2] === 'crash') void crash(process.argv[3]!);
else contend();
