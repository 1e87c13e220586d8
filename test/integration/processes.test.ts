// Stopping the process groups the test runners start (code-server, tiers): stop() returns
// as soon as the group is gone, and still ends a group that ignores SIGTERM.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isGroupAlive, killProcessGroup, makeTempBase, startDetached } from '../../scripts/lib/processes';

function startGroup(script: string) {
  return startDetached('sh', ['-c', script], { env: process.env, logFile: join(makeTempBase(), 'out.log') });
}

async function elapsed(action: () => void): Promise<number> {
  const started = Date.now();
  action();
  return Date.now() - started;
}

describe('stopping a process group', () => {
  it('returns as soon as the group has exited, though the leader is not reaped yet', async () => {
    // The leader is our child: until the event loop runs, it is a zombie that kill(-pid, 0) still finds.
    const group = startGroup('sleep 100 & wait');
    await new Promise((r) => setTimeout(r, 200));
    const ms = await elapsed(() => group.stop());
    assert.ok(ms < 1000, `stop() took ${ms} ms for a group that ends on SIGTERM`);
    await group.exited;
    assert.equal(isGroupAlive(group.pid), false);
  });

  it('kills a group that ignores SIGTERM once the grace time is over', async () => {
    const group = startGroup('trap "" TERM; sleep 100 & wait; sleep 100');
    await new Promise((r) => setTimeout(r, 200));
    const ms = await elapsed(() => killProcessGroup(group.pid, 500));
    assert.ok(ms >= 450 && ms < 2000, `took ${ms} ms`);
    await group.exited;
    assert.equal(isGroupAlive(group.pid), false, 'the group is gone');
    group.stop();
  });
});
