import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEventInput } from '../../src/core/audit/events';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { MemoryAuditLog } from '../../src/core/audit/memoryAuditLog';
import { SecretGuard } from '../../src/core/audit/secretGuard';
import { createBearerToken } from '../../src/core/credentials/tokens';
import { FakeClock, makeSession } from './credentialsFixtures';

const base: AuditEventInput = {
  event: 'access.granted',
  actor: 'arn:aws:iam::123456789012:user/alice',
  outcome: 'success',
};

describe('audit: no secret can be written', () => {
  let dir: string;
  let guard: SecretGuard;
  let log: JsonlAuditLog;
  const file = (): string => join(dir, 'audit.jsonl');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infrawatch-audit-secrets-'));
    guard = new SecretGuard();
    log = await JsonlAuditLog.open({ dir, guard, clock: new FakeClock() });
  });
  afterEach(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function assertRefused(input: unknown, pattern: RegExp): Promise<void> {
    const sizeBefore = (await stat(file()).catch(() => undefined))?.size ?? 0;
    await assert.rejects(log.append(input as AuditEventInput), pattern);
    assert.equal((await stat(file()).catch(() => undefined))?.size ?? 0, sizeBefore, 'nothing was written');
  }

  it("refuses a session's secret access key and session token in any text field, without echoing them", async () => {
    const session = makeSession({ expiration: Date.now() + 60_000 });
    const { secretAccessKey, sessionToken } = session.credentials;
    guard.add(secretAccessKey);
    guard.add(sessionToken);
    for (const [field, value] of [
      ['reason', `oops ${secretAccessKey}`],
      ['ticket', secretAccessKey],
      ['actor', sessionToken],
    ] as const) {
      const error = await log.append({ ...base, [field]: value }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      assert.ok(error instanceof Error, `${field} was accepted`);
      assert.match(error.message, new RegExp(`record\\.${field} contains a registered secret`));
      assert.ok(!error.message.includes(value.trim().split(' ').at(-1)!), 'the error names the field, not the value');
    }
    assert.equal((await stat(file()).catch(() => undefined))?.size ?? 0, 0);
  });

  it('refuses registered secrets, such as a credential endpoint bearer token, even in detail', async () => {
    const token = createBearerToken();
    guard.add(token);
    await assertRefused(
      { ...base, detail: { note: `token was ${token}` } },
      /record\.detail\.note contains a registered secret/,
    );
  });

  it('refuses any field outside the vocabulary, but judges no detail key by its name', async () => {
    // Counts of refused requests are keyed "no-token", "bad-token": not secrets.
    await log.append({ ...base, event: 'credentials.fetched', detail: { 'bad-token': 3, 'no-token': 1 } });
    await assertRefused({ ...base, secretAccessKey: 'x' }, /Unrecognized key|unrecognized/i);
    await assertRefused({ ...base, shell: 'bash' }, /Unrecognized key|unrecognized/i);
    await assertRefused({ ...base, event: 'credentials.leaked' }, /event/);
  });

  it('accepts what an audit record is meant to hold, including hex digests and access key ids', async () => {
    const session = makeSession({ expiration: Date.now() + 60_000 });
    const record = await log.append({
      ...base,
      event: 'credentials.fetched',
      actor: session.assumedRoleArn,
      accessKeyId: session.credentials.accessKeyId,
      requestId: session.id,
      expiresAt: new Date(session.credentials.expiration).toISOString(),
      detail: {
        policySha1: createHash('sha1').update('p').digest('hex'),
        policySha256: createHash('sha256').update('p').digest('hex'),
        pid: 4242,
      },
    });
    assert.equal(record.accessKeyId, session.credentials.accessKeyId);
    const text = await readFile(file(), 'utf8');
    assert.ok(text.includes(session.credentials.accessKeyId));
    assert.ok(!text.includes(session.credentials.secretAccessKey));
  });

  it('accepts secret-shaped values nobody registered: what a requester types is never refused', () => {
    const bare = new SecretGuard();
    for (let i = 0; i < 200; i += 1) {
      assert.doesNotThrow(() => bare.assertClean({ reason: randomBytes(30).toString('base64') }));
      assert.doesNotThrow(() =>
        bare.assertClean({ reason: `IQoJb3JpZ2luX2VjE${randomBytes(120).toString('base64')}` }),
      );
    }
  });

  it('the in-memory log applies the same guard and chain', async () => {
    const memory = new MemoryAuditLog(new FakeClock(), guard);
    const secret = randomBytes(30).toString('base64');
    guard.add(secret);
    await assert.rejects(memory.append({ ...base, reason: secret }), /contains a registered secret/);
    const first = await memory.append(base);
    const second = await memory.append(base);
    assert.equal(second.prevHash, first.hash);
    assert.equal(memory.records.length, 2);
  });
});
