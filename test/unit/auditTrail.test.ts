import * as assert from 'node:assert/strict';
import { AuditTrail } from '../../src/core/audit/auditTrail';
import { type AuditEventInput, type AuditPort, type AuditRecord } from '../../src/core/audit/events';
import { MemoryAuditLog } from '../../src/core/audit/memoryAuditLog';
import { SecretGuard } from '../../src/core/audit/secretGuard';
import { InfraWatchError } from '../../src/core/errors';
import { FakeClock } from './credentialsFixtures';

const actor = 'arn:aws:iam::111122223333:user/erin';
const event = (name: AuditEventInput['event'], extra: Partial<AuditEventInput> = {}): AuditEventInput => ({
  event: name,
  actor,
  outcome: 'success',
  ...extra,
});

/** The in-memory log, failing with EIO while `failing` is set. */
class Port implements AuditPort {
  failing = false;
  readonly memory = new MemoryAuditLog(new FakeClock());
  append(input: AuditEventInput): Promise<AuditRecord> {
    return this.failing ? Promise.reject(new Error('EIO: i/o error, write')) : this.memory.append(input);
  }
}

function setup(options: { maxPending?: number; open?: () => Promise<AuditPort> } = {}) {
  const port = new Port();
  const guard = new SecretGuard();
  const problems: string[] = [];
  const forwarded: number[] = [];
  const trail = new AuditTrail({
    open: options.open ?? (() => Promise.resolve(port)),
    guard,
    onProblem: (m) => problems.push(m),
    forward: (r) => forwarded.push(r.seq),
    retryMs: 60_000,
    maxPending: options.maxPending,
    quietMs: 0,
  });
  return { port, guard, problems, forwarded, trail };
}

describe('audit trail: guard, retry queue, fail closed', () => {
  it('forwards every record it writes', async () => {
    const { trail, forwarded } = setup();
    await trail.record(event('policy.loaded'));
    await trail.require(event('access.requested'));
    assert.deepEqual(forwarded, [1, 2]);
    trail.dispose();
  });

  it('require() writes the waiting records first, and refuses (queueing nothing) while they cannot be written', async () => {
    const { port, trail } = setup();
    port.failing = true;
    await trail.record(event('session.expired'));
    await assert.rejects(
      trail.require(event('access.requested')),
      (e: InfraWatchError) => e instanceof InfraWatchError && /EIO/.test(e.message),
    );
    assert.equal(trail.pendingCount, 1, 'only the record of what happened waits');
    port.failing = false;
    await trail.require(event('access.requested'));
    assert.deepEqual(
      port.memory.records.map((r) => r.event),
      ['session.expired', 'access.requested'],
    );
    trail.dispose();
  });

  it('a record holding an issued secret is reported as a bug, not queued; the secret is not echoed', async () => {
    const { guard, trail, problems, port } = setup();
    const secret = 'issued-session-token-0123456789';
    guard.add(secret);
    await trail.record(event('access.failed', { detail: { message: `AWS said ${secret}` } }));
    assert.equal(trail.pendingCount, 0);
    assert.equal(port.memory.records.length, 0);
    assert.match(problems[0] ?? '', /record\.detail\.message contains a registered secret/);
    assert.ok(!problems[0]!.includes(secret));
    await assert.rejects(trail.require(event('access.requested', { reason: secret })), /Validation|registered secret/);
    trail.dispose();
  });

  it('gives up the oldest records past the bound, and says so', async () => {
    const { port, trail, problems } = setup({ maxPending: 2 });
    port.failing = true;
    for (const name of ['credentials.fetched', 'terminal.opened', 'session.revoked'] as const)
      await trail.record(event(name));
    assert.equal(trail.pendingCount, 2);
    assert.ok(
      problems.some((m) => /gave up 1 audit record\(s\) \(credentials\.fetched\)/.test(m)),
      problems.join('\n'),
    );
    trail.dispose();
  });

  it('opens the log again after a failed open', async () => {
    const port = new Port();
    let opens = 0;
    const { trail } = setup({
      open: () => (++opens === 1 ? Promise.reject(new Error('EMFILE: too many open files')) : Promise.resolve(port)),
    });
    await trail.record(event('policy.loaded'));
    assert.equal(trail.pendingCount, 1);
    await trail.flush();
    assert.equal(opens, 2);
    assert.deepEqual(
      port.memory.records.map((r) => r.event),
      ['policy.loaded'],
    );
    trail.dispose();
  });
});
