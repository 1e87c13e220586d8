import assert from 'node:assert/strict';
import { SessionStore, type WithdrawReason } from '../../src/core/credentials/sessions';
import { sessionsSecretKey } from '../../src/core/credentials/sessionSchema';
import { type Session } from '../../src/core/session';
import { CapturingLog, FakeClock, FakeTimers, getSecrets, makeSession, MemorySecretStore } from './credentialsFixtures';

const minute = 60_000;

interface Harness {
  clock: FakeClock;
  timers: FakeTimers;
  secrets: MemorySecretStore;
  log: CapturingLog;
  store: SessionStore;
  withdrawn: { id: string; reason: WithdrawReason }[];
  warnings: string[];
  expired: string[];
  changes: number;
}

function createHarness(secrets = new MemorySecretStore(), clock = new FakeClock()): Harness {
  const timers = new FakeTimers(clock);
  const log = new CapturingLog();
  const h = { clock, timers, secrets, log, withdrawn: [], warnings: [], expired: [], changes: 0 } as unknown as Harness;
  h.store = new SessionStore({
    secrets,
    clock,
    log,
    timers,
    withdraw: (s, reason) => h.withdrawn.push({ id: s.id, reason }),
  });
  h.store.onWarning((s) => h.warnings.push(s.id));
  h.store.onExpired((s) => h.expired.push(s.id));
  h.store.onDidChange(() => (h.changes += 1));
  return h;
}

function storedIds(secrets: MemorySecretStore): string[] {
  const text = secrets.values.get(sessionsSecretKey);
  return text === undefined ? [] : (JSON.parse(text) as { sessions: Session[] }).sessions.map((s) => s.id);
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('credentials: SessionStore', () => {
  it('keeps several sessions, one per service and level, sorted by expiration', async () => {
    const h = createHarness();
    const late = makeSession({ service: 'rds', level: 'read', expiration: h.clock.now() + 30 * minute });
    const soon = makeSession({ service: 'ec2', level: 'write', expiration: h.clock.now() + 10 * minute });
    await h.store.add(late);
    await h.store.add(soon);
    assert.deepEqual(
      h.store.list().map((s) => s.id),
      [soon.id, late.id],
    );
    assert.equal(h.store.find('rds', 'read')?.id, late.id);
    assert.deepEqual(storedIds(h.secrets).sort(), [late.id, soon.id].sort());
  });

  it('add for the same service and level replaces the old one, withdrawn as replaced (a renew keeps its address)', async () => {
    const h = createHarness();
    const first = makeSession({ expiration: h.clock.now() + 30 * minute });
    const second = makeSession({ expiration: h.clock.now() + 40 * minute });
    await h.store.add(first);
    await h.store.add(second);
    assert.deepEqual(h.withdrawn, [{ id: first.id, reason: 'replaced' }]);
    assert.deepEqual(
      h.store.list().map((s) => s.id),
      [second.id],
    );
    assert.deepEqual(storedIds(h.secrets), [second.id]);
  });

  it('revoke removes, withdraws, persists, and leaves no entry when the last one goes', async () => {
    const h = createHarness();
    const session = makeSession({ expiration: h.clock.now() + 30 * minute });
    await h.store.add(session);
    const revoked = await h.store.revoke(session.id);
    assert.equal(revoked?.id, session.id);
    assert.deepEqual(h.withdrawn, [{ id: session.id, reason: 'revoked' }]);
    assert.equal(h.secrets.values.has(sessionsSecretKey), false);
    assert.equal(await h.store.revoke(session.id), undefined);
    assert.equal(h.timers.count, 0, 'no timers left once there is no session');
  });

  it('refuses a session that has already expired', async () => {
    const h = createHarness();
    await assert.rejects(h.store.add(makeSession({ expiration: h.clock.now() - 1 })), /expired/);
  });

  it('warns once five minutes before expiry, then expires once and withdraws', async () => {
    const h = createHarness();
    const session = makeSession({ expiration: h.clock.now() + 20 * minute });
    await h.store.add(session);
    h.timers.advance(14 * minute);
    assert.deepEqual(h.warnings, []);
    h.timers.advance(1 * minute + 1);
    assert.deepEqual(h.warnings, [session.id]);
    h.timers.advance(4 * minute);
    assert.deepEqual(h.warnings, [session.id], 'warned only once');
    assert.deepEqual(h.expired, []);
    h.timers.advance(1 * minute);
    assert.deepEqual(h.expired, [session.id]);
    assert.deepEqual(h.withdrawn, [{ id: session.id, reason: 'expired' }]);
    assert.equal(h.store.list().length, 0);
    h.timers.advance(10 * minute);
    assert.deepEqual(h.expired, [session.id], 'expired only once');
    await flush();
    assert.equal(h.secrets.values.has(sessionsSecretKey), false, 'the expired secret left SecretStorage');
  });

  it('catches expiry after a sleep through the periodic tick, not a long timer', async () => {
    const h = createHarness();
    const session = makeSession({ expiration: h.clock.now() + 30 * minute });
    await h.store.add(session);
    // The machine sleeps: the wall clock jumps, no timer fired meanwhile.
    h.clock.advance(31 * minute);
    assert.deepEqual(h.expired, []);
    h.timers.advance(15_000);
    assert.deepEqual(h.expired, [session.id]);
    assert.deepEqual(h.warnings, [], 'no late warning for a session that is already gone');
  });

  it('check() after a resume expires at once; a clock moved back delays the warning', async () => {
    const h = createHarness();
    const session = makeSession({ expiration: h.clock.now() + 30 * minute });
    await h.store.add(session);
    h.clock.advance(-10 * minute);
    h.timers.advance(29 * minute);
    assert.deepEqual(h.warnings, [], 'the warning follows the wall clock, not the elapsed time');
    h.clock.advance(20 * minute);
    h.store.check();
    assert.deepEqual(h.expired, [session.id]);
  });

  it('a session added with less than five minutes left is warned at once', async () => {
    const h = createHarness();
    const session = makeSession({ expiration: h.clock.now() + 3 * minute });
    await h.store.add(session);
    h.timers.runDue();
    assert.deepEqual(h.warnings, [session.id]);
  });

  it('restore() brings back live sessions and drops expired ones from the store', async () => {
    const secrets = new MemorySecretStore();
    const clock = new FakeClock();
    const before = createHarness(secrets, clock);
    const live = makeSession({ service: 'rds', expiration: clock.now() + 30 * minute });
    const dying = makeSession({ service: 'ec2', expiration: clock.now() + 5 * minute });
    await before.store.add(live);
    await before.store.add(dying);
    before.store.dispose();
    clock.advance(10 * minute); // the window was closed for ten minutes
    const after = createHarness(secrets, clock);
    const restored = await after.store.restore();
    assert.deepEqual(
      restored.map((s) => s.id),
      [live.id],
    );
    assert.deepEqual(after.store.list()[0]?.credentials, live.credentials);
    assert.deepEqual(storedIds(secrets), [live.id]);
    after.timers.advance(20 * minute);
    assert.deepEqual(after.expired, [live.id], 'restored sessions still expire');
  });

  it('restore() discards an unreadable entry without logging its content', async () => {
    const h = createHarness();
    const session = makeSession({ expiration: h.clock.now() + 30 * minute });
    const broken = JSON.stringify({ version: 1, sessions: [{ ...session, service: 'nope' }] });
    h.secrets.values.set(sessionsSecretKey, broken);
    assert.deepEqual(await h.store.restore(), []);
    assert.equal(h.secrets.values.has(sessionsSecretKey), false);
    assert.ok(h.log.lines.some((line) => line.includes('could not be read')));
    for (const secret of getSecrets(session)) assert.ok(!h.log.lines.join('\n').includes(secret));
  });

  it('persists writes in order, each with the latest state', async () => {
    const h = createHarness();
    const sessions = ['rds', 'ec2', 'lambda', 's3'].map((service) =>
      makeSession({ service: service as Session['service'], expiration: h.clock.now() + 30 * minute }),
    );
    await Promise.all(sessions.map((s) => h.store.add(s)));
    await h.store.revoke(sessions[1]!.id);
    assert.deepEqual(storedIds(h.secrets).sort(), [sessions[0]!.id, sessions[2]!.id, sessions[3]!.id].sort());
  });

  it('a failed write rejects with an actionable error, and the next write still happens', async () => {
    const h = createHarness();
    h.secrets.failNext = true;
    await assert.rejects(
      h.store.add(makeSession({ expiration: h.clock.now() + 30 * minute })),
      /Saving sessions to secret storage failed: keychain unavailable/,
    );
    const next = makeSession({ service: 'ec2', expiration: h.clock.now() + 30 * minute });
    await h.store.add(next);
    assert.ok(storedIds(h.secrets).includes(next.id));
  });

  it('logs nothing secret across the whole lifecycle', async () => {
    const h = createHarness();
    const session = makeSession({ expiration: h.clock.now() + 10 * minute });
    await h.store.add(session);
    h.timers.advance(11 * minute);
    await flush();
    assert.ok(h.log.lines.length > 0);
    const logText = h.log.lines.join('\n');
    for (const secret of getSecrets(session)) assert.ok(!logText.includes(secret));
  });
});
