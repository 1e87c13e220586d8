// Several windows of one user in one process: each a SessionStore with its own socket
// (SessionPeers) and the shared tombstone folder (EndedSessions), in temp folders.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EndedSessions } from '../../src/core/credentials/endedSessions';
import { getPeersDir, preparePeersDir, SessionPeers } from '../../src/core/credentials/sessionPeers';
import { SessionStore, type WithdrawReason } from '../../src/core/credentials/sessions';
import { sessionsSecretKey } from '../../src/core/credentials/sessionSchema';
import { type Session } from '../../src/core/session';
import { CapturingLog, FakeClock, FakeTimers, getSecrets, makeSession, MemorySecretStore } from './credentialsFixtures';

const minute = 60_000;

interface Window {
  store: SessionStore;
  secrets: MemorySecretStore;
  served: { id: string; previous?: string }[];
  withdrawn: { id: string; reason: WithdrawReason }[];
  received: number;
  log: CapturingLog;
  close(): void;
}

let root: string;
let clock: FakeClock;
const windows: Window[] = [];

async function openWindow(options: { secrets?: MemorySecretStore; peers?: boolean } = {}): Promise<Window> {
  const secrets = options.secrets ?? new MemorySecretStore();
  const log = new CapturingLog();
  const ended = new EndedSessions({ dir: join(root, 'ended'), clock, log, pollMs: 100 });
  const w = { secrets, served: [], withdrawn: [], received: 0, log } as unknown as Window;
  w.store = new SessionStore({
    secrets,
    clock,
    log,
    timers: new FakeTimers(clock),
    withdraw: (s, reason) => w.withdrawn.push({ id: s.id, reason }),
    serve: async (s, previous) => void w.served.push({ id: s.id, ...(previous ? { previous: previous.id } : {}) }),
  });
  const peers =
    options.peers === false
      ? undefined
      : await SessionPeers.open({
          dir: join(root, 'peers'),
          log,
          handlers: {
            getState: () => w.store.getPeerState(),
            onMessage: (m) => {
              w.received += 1;
              void w.store.receive(m);
            },
          },
        });
  await ended.start();
  w.store.connect({ ended, ...(peers ? { peers } : {}) });
  w.close = () => {
    peers?.dispose();
    ended.dispose();
    w.store.dispose();
  };
  await w.store.restore();
  windows.push(w);
  return w;
}

async function until(what: string, done: () => boolean, timeoutMs = 2_000): Promise<number> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > timeoutMs) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - start;
}

function storedIds(secrets: MemorySecretStore): string[] {
  const text = secrets.values.get(sessionsSecretKey);
  return text === undefined ? [] : (JSON.parse(text) as { sessions: Session[] }).sessions.map((s) => s.id).sort();
}

function session(service: Session['service'], minutes = 30, grantedAgo = 0): Session {
  const s = makeSession({ service, expiration: clock.now() + minutes * minute });
  return { ...s, grantedAt: clock.now() - grantedAgo };
}

describe('credentials: sessions shared by the windows of one user', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'iw-peers-'));
    clock = new FakeClock(Date.now());
  });

  afterEach(() => {
    for (const w of windows.splice(0)) w.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a grant in one window is served by the other, which neither re-tells nor re-audits it', async () => {
    const a = await openWindow();
    const b = await openWindow();
    const changes: number[] = [];
    b.store.onDidChange(() => changes.push(1));
    const s = session('rds');
    await a.store.add(s);
    await until('window B holds the grant', () => b.store.find('rds', 'read')?.id === s.id);
    assert.deepEqual(b.served, [{ id: s.id }], 'B serves it on its own endpoint before it joins the store');
    assert.equal(changes.length, 1, 'B listeners (tree, status bar, terminals) are told once');
    assert.equal(a.received, 0, 'B did not echo it back');
    assert.deepEqual(storedIds(b.secrets), [s.id], "B's SecretStorage has it too");
  });

  it('a revoke in one window withdraws it in the other at once, and no window writes it back', async () => {
    const shared = new MemorySecretStore();
    const a = await openWindow({ secrets: shared });
    const b = await openWindow({ secrets: shared });
    const s = session('rds');
    await a.store.add(s);
    await until('B holds it', () => b.store.get(s.id) !== undefined);
    await b.store.revoke(s.id);
    const ms = await until('A withdrew it', () => a.withdrawn.some((w) => w.id === s.id));
    assert.ok(ms < 2_000);
    assert.deepEqual(a.withdrawn, [{ id: s.id, reason: 'revoked' }]);
    assert.equal(a.store.get(s.id), undefined);
    await a.store.add(session('ec2'));
    assert.ok(!storedIds(shared).includes(s.id), "A's next save does not bring the revoked session back");
    const later = await openWindow({ secrets: shared });
    assert.equal(later.store.get(s.id), undefined, 'a window opened later does not restore it');
  });

  it("no window erases another's session when both save to one SecretStorage", async () => {
    const shared = new MemorySecretStore();
    const a = await openWindow({ secrets: shared });
    const b = await openWindow({ secrets: shared });
    const rds = session('rds');
    const ec2 = session('ec2');
    await a.store.add(rds);
    await until('B holds the rds session', () => b.store.get(rds.id) !== undefined);
    await b.store.add(ec2);
    assert.deepEqual(storedIds(shared), [ec2.id, rds.id].sort());
    await until('A holds the ec2 session', () => a.store.get(ec2.id) !== undefined);
  });

  it('a window that misses the message still withdraws the session through the tombstone file', async () => {
    const shared = new MemorySecretStore();
    const a = await openWindow({ secrets: shared, peers: false });
    const s = session('rds');
    await a.store.add(s);
    const b = await openWindow({ secrets: shared, peers: false });
    assert.ok(b.store.get(s.id), 'B restored it from SecretStorage');
    await b.store.revoke(s.id);
    const ms = await until('A withdrew it from the file alone', () =>
      a.withdrawn.some((w) => w.id === s.id && w.reason === 'revoked'),
    );
    assert.ok(ms < 2_000, `${ms} ms`);
    assert.ok(existsSync(join(root, 'ended', s.id)));
  });

  it('restore takes SecretStorage and the other windows, less tombstones, the later grant winning', async () => {
    const a = await openWindow();
    const old = session('rds', 60, 10 * minute);
    const newer = session('rds', 20);
    const revoked = session('ec2');
    const stale = new MemorySecretStore();
    stale.values.set(sessionsSecretKey, JSON.stringify({ version: 1, sessions: [old, revoked] }));
    await a.store.add(revoked);
    await a.store.revoke(revoked.id);
    await a.store.add(newer);
    const c = await openWindow({ secrets: stale });
    assert.deepEqual(
      c.store.list().map((s) => s.id),
      [newer.id],
      'the later grant wins even with an earlier expiry; the revoked one stays out',
    );
    assert.deepEqual(storedIds(stale), [newer.id]);
  });

  it('a renew in one window renews in place in the other; the replaced session is never restored', async () => {
    const a = await openWindow();
    const b = await openWindow();
    const first = session('rds', 60, minute);
    await a.store.add(first);
    await until('B holds it', () => b.store.get(first.id) !== undefined);
    const renewed = session('rds', 30);
    await b.store.add(renewed);
    await until('A holds the renewal', () => a.store.find('rds', 'read')?.id === renewed.id);
    assert.deepEqual(a.served.at(-1), { id: renewed.id, previous: first.id }, 'served in place of the previous one');
    assert.deepEqual(a.withdrawn, [{ id: first.id, reason: 'replaced' }]);
    const stale = new MemorySecretStore();
    stale.values.set(sessionsSecretKey, JSON.stringify({ version: 1, sessions: [first] }));
    a.close();
    b.close();
    windows.length = 0;
    const c = await openWindow({ secrets: stale, peers: false });
    assert.deepEqual(c.store.list(), [], 'the replaced session (longer expiry) is not restored from a stale copy');
  });

  it('concurrent grants of one service and level converge on the later grant', async () => {
    const a = await openWindow();
    const b = await openWindow();
    const early = session('rds', 30, 1_000);
    const late = session('rds', 30);
    await Promise.all([a.store.add(late), b.store.add(early)]);
    await until(
      'both hold the later grant',
      () => a.store.find('rds', 'read')?.id === late.id && b.store.find('rds', 'read')?.id === late.id,
    );
  });

  it('ignores what it cannot read, and logs no secret', async () => {
    const a = await openWindow();
    const b = await openWindow();
    const s = session('rds');
    const socket = readdirSync(join(root, 'peers'))
      .map((n) => join(root, 'peers', n))
      .find((p) => p !== undefined)!;
    for (const line of [
      'not json',
      JSON.stringify({ type: 'upsert', session: { ...s, service: 'nope' } }),
      JSON.stringify({ type: 'ended', entry: { id: '../x', expiration: 1, reason: 'revoked' } }),
    ]) {
      await new Promise<void>((resolve) => {
        const client = connect(socket, () => client.end(`${line}\n`, resolve));
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(a.store.list().length + b.store.list().length, 0);
    await a.store.add(s);
    await until('B holds it', () => b.store.get(s.id) !== undefined);
    await b.store.revoke(s.id);
    const logs = [...a.log.lines, ...b.log.lines].join('\n');
    assert.match(logs, /not understood/);
    for (const secret of getSecrets(s)) assert.ok(!logs.includes(secret));
  });
});

describe('credentials: SessionPeers folder and sockets', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'iw-peers-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const handlers = {
    getState: () => ({ type: 'state' as const, sessions: [], ended: [] }),
    onMessage: () => undefined,
  };

  it('names a short per-user folder from the storage path and uid', () => {
    const one = getPeersDir('/home/a/.config/Code/User/globalStorage/infrawatch.infrawatch', 1000, '/tmp');
    assert.match(one, /^\/tmp\/infrawatch-[0-9a-f]{16}$/);
    assert.notEqual(one, getPeersDir('/home/a/.config/Code/User/globalStorage/infrawatch.infrawatch', 1001, '/tmp'));
    assert.notEqual(one, getPeersDir('/home/a/.vscode-insiders/globalStorage/infrawatch.infrawatch', 1000, '/tmp'));
  });

  it('creates the folder 0700 and its socket 0600', async () => {
    const dir = join(root, 'peers');
    const peers = await SessionPeers.open({ dir, handlers });
    try {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(peers.socketPath).mode & 0o777, 0o600);
    } finally {
      peers.dispose();
    }
  });

  it('refuses a folder that is open to others or a link, saying why', async () => {
    const open = join(root, 'open');
    mkdirSync(open, { mode: 0o755 });
    await assert.rejects(preparePeersDir(open), /unsafe because its mode is 755, not 700/);
    const target = join(root, 'target');
    mkdirSync(target, { mode: 0o700 });
    const link = join(root, 'link');
    symlinkSync(target, link);
    await assert.rejects(preparePeersDir(link), /unsafe because it is not a folder/);
  });

  it("removes a crashed window's socket, keeps a live one's", async () => {
    const dir = join(root, 'peers');
    const peers = await SessionPeers.open({ dir, handlers });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadSocket = join(dir, `${dead.stdout}-deadbeef.sock`);
    const liveSocket = join(dir, `${process.pid}-cafebabe.sock`);
    writeFileSync(deadSocket, '');
    writeFileSync(liveSocket, '');
    try {
      await peers.publish({ type: 'ended', entry: { id: 'abc', expiration: Date.now() + minute, reason: 'revoked' } });
      await until('the dead socket is removed', () => !existsSync(deadSocket));
      assert.ok(existsSync(liveSocket), 'a socket of a running process is left alone');
    } finally {
      peers.dispose();
    }
  });
});
