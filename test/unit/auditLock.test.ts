import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireFileLock } from '../../src/core/audit/auditLock';

/** A pid that ran on this machine and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('audit lock', () => {
  let dir: string;
  let lock: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iw-lock-'));
    lock = join(dir, 'audit.lock');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function leaveHeld(n: number, pid: number, ageMs = 0): Promise<void> {
    await mkdir(`${lock}.d`, { recursive: true });
    const path = join(`${lock}.d`, String(n));
    await writeFile(path, JSON.stringify({ state: 'held', pid, host: hostname(), token: 'left-behind' }));
    const then = new Date(Date.now() - ageMs);
    await utimes(path, then, then);
  }

  it('lets one holder in at a time among many concurrent acquirers, and keeps its folder small', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 10; i += 1) {
          const release = await acquireFileLock(lock);
          inside += 1;
          most = Math.max(most, inside);
          await sleep(1);
          inside -= 1;
          await release();
        }
      }),
    );
    assert.equal(most, 1);
    const left = await readdir(`${lock}.d`);
    assert.equal(left.length, 1, `left behind: ${left.join(', ')}`);
    assert.equal(await readFile(join(`${lock}.d`, left[0]!), 'utf8'), '', 'the last state is an empty free state');
  });

  it('takes over at once from a holder whose process is gone', async () => {
    await leaveHeld(4, deadPid());
    const started = Date.now();
    const release = await acquireFileLock(lock, { staleMs: 60_000 });
    assert.ok(Date.now() - started < 1_000);
    assert.deepEqual(await readdir(`${lock}.d`), ['5']);
    await release();
  });

  it('waits for a live holder, and takes over once its state was not refreshed for staleMs', async () => {
    await leaveHeld(1, process.ppid);
    await assert.rejects(
      acquireFileLock(lock, { timeoutMs: 100 }),
      /another window holds .*audit\.lock \(process \d+\)/,
    );
    await leaveHeld(1, process.ppid, 20_000);
    const release = await acquireFileLock(lock, { staleMs: 10_000 });
    await release();
  });

  it('a holder refreshes its state, so a long hold is not taken for a crashed one', async () => {
    const release = await acquireFileLock(lock, { staleMs: 300 });
    const [name] = await readdir(`${lock}.d`);
    const path = join(`${lock}.d`, name!);
    const before = (await stat(path)).mtimeMs;
    await sleep(400);
    assert.ok((await stat(path)).mtimeMs > before);
    await release();
  });

  it('the highest state is in force, whatever lower ones say', async () => {
    // As if a slow contender created 3 after 3 and 4 had come and gone: 5 (held) is in force.
    await leaveHeld(5, process.ppid);
    await leaveHeld(3, deadPid());
    await assert.rejects(acquireFileLock(lock, { timeoutMs: 100 }), /another window holds/);
  });

  it('a release after the hold was taken over changes nothing', async () => {
    const release = await acquireFileLock(lock);
    const [mine] = await readdir(`${lock}.d`);
    await leaveHeld(Number(mine) + 1, process.ppid);
    await release();
    assert.deepEqual((await readdir(`${lock}.d`)).sort(), [mine!, String(Number(mine) + 1)].sort());
  });
});
