// Issue 9, Why 5: the audit lock must survive a crash. A process takes the lock and dies
// holding it; then two other processes ("windows") contend for it at the same moment.
// Over 100 runs: never two holders at once, never a forked chain.
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { listAuditFiles } from '../../src/core/audit/auditFiles';
import { verifyAuditChain } from '../../src/core/audit/verify';
import { type WorkerMessage, type WorkerReply } from './auditLockWorker';

const runs = 100;

function send(child: ChildProcess, message: WorkerMessage, want: WorkerReply['kind']): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.kind !== want) return;
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.send(message, (error) => error && reject(error));
  });
}

function crashHolding(bundle: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'crash', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`the crashing holder exited with ${signal ?? _code}`)),
    );
  });
}

describe('adversarial: the audit lock survives a crash (issue 9, Why 5)', function () {
  this.timeout(120_000);
  let root: string;
  let bundle: string;
  let windows: ChildProcess[] = [];

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'iw-audit-lock-'));
    bundle = join(root, 'worker.cjs');
    await build({
      entryPoints: [join(__dirname, 'auditLockWorker.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    windows = [
      fork(bundle, ['contend'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
      fork(bundle, ['contend'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
    ];
  });
  after(async () => {
    for (const child of windows) child.kill();
    await rm(root, { recursive: true, force: true });
  });

  it(`a lock left by a dead process and two contenders: ${runs} runs, 0 double holders, 0 forks`, async () => {
    let doubleHolders = 0;
    let forks = 0;
    const errors: string[] = [];
    const started = Date.now();
    for (let run = 0; run < runs; run += 1) {
      const dir = join(root, `run-${run}`);
      await Promise.all(windows.map((child) => send(child, { kind: 'open', dir }, 'opened')));
      await crashHolding(bundle, dir);
      const replies = await Promise.all(windows.map((child) => send(child, { kind: 'go' }, 'done')));
      for (const reply of replies) {
        if (reply.kind !== 'done') continue;
        if (reply.doubleHolder) doubleHolders += 1;
        if (reply.error) errors.push(`run ${run}: ${reply.error}`);
      }
      const result = await verifyAuditChain(await listAuditFiles(dir));
      if (!result.ok || result.count !== 3) forks += 1;
    }
    console.log(
      `    audit lock: ${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s: ${doubleHolders} double holders, ${forks} forked or short chains`,
    );
    assert.deepEqual(errors, []);
    assert.equal(doubleHolders, 0, `${doubleHolders} of ${runs} runs had two holders of the lock at once`);
    assert.equal(forks, 0, `${forks} of ${runs} runs forked the chain`);
  });
});
