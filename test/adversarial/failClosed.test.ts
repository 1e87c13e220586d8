// Why 3 of issue 9: a requester could keep their session out of the audit trail. A reason
// or ticket with a run of 100+ letters/digits looked like a token to the secret guard, every
// record of the session was refused, record() swallowed the error and the grant went ahead.
// Now the guard refuses only values InfraWatch issued, and the trail fails closed: no
// AssumeRole without its access.requested record; a later record that cannot be written is
// shown at once and retried, never dropped.
import * as assert from 'node:assert/strict';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditTrail } from '../../src/core/audit/auditTrail';
import { type AuditEventInput, type AuditPort, type AuditRecord } from '../../src/core/audit/events';
import { MemoryAuditLog } from '../../src/core/audit/memoryAuditLog';
import { SecretGuard } from '../../src/core/audit/secretGuard';
import { InfraWatchError } from '../../src/core/errors';
import { silentLog } from '../../src/core/ports';
import { type EffectiveGrant } from '../../src/core/policy/roles';
import { type SessionRequest } from '../../src/core/sts/broker';
import { requestAuditedSession } from '../../src/core/sts/auditedRequest';
import { FakeClock, makeSession } from '../unit/credentialsFixtures';

const account = '111122223333';
const actor = `arn:aws:iam::${account}:user/erin.employee`;
const now = Date.UTC(2026, 10, 24, 10, 0, 0);
const grant: EffectiveGrant = {
  service: 'rds',
  level: 'read',
  resources: ['*'],
  maxMinutes: 60,
  defaultMinutes: 30,
  mfa: false,
  reason: true,
  ticket: true,
  fromRole: 'Employee',
  inherited: false,
};

/** A run of 120 letters and digits: the shape the old guard took for a session token. */
const longRun = 'Q7x'.repeat(40);

function sessionRequest(over: Partial<SessionRequest> = {}): SessionRequest {
  return {
    caller: { arn: actor, account, userId: 'AIDAEXAMPLE' },
    role: 'Employee',
    roleArn: `arn:aws:iam::${account}:role/InfraWatch-Employee`,
    grant,
    account,
    region: 'us-east-1',
    durationSeconds: 1800,
    reason: 'orders-db slow',
    ticket: 'OPS-42',
    ...over,
  };
}

const issued = () => ({
  Credentials: {
    AccessKeyId: 'ASIAISSUEDKEY0000001',
    SecretAccessKey: 'issued-secret-access-key-0000000000000000',
    SessionToken: 'issued-session-token-0000',
    Expiration: new Date(now + 1_800_000),
  },
  AssumedRoleUser: {
    Arn: `arn:aws:sts::${account}:assumed-role/InfraWatch-Employee/erin.employee@abc`,
    AssumedRoleId: 'AROAEXAMPLE:erin.employee@abc',
  },
});

/** An AuditPort over the in-memory log that fails like a full disk while `failing` is set. */
class FlakyPort implements AuditPort {
  failing = false;
  attempts = 0;
  readonly memory = new MemoryAuditLog(new FakeClock(now));
  append(event: AuditEventInput): Promise<AuditRecord> {
    this.attempts += 1;
    if (this.failing)
      return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    return this.memory.append(event);
  }
  events(): string[] {
    return this.memory.records.map((r) => r.event);
  }
}

function makeTrail(
  port: AuditPort,
  guard = new SecretGuard(),
  retryMs = 60_000,
): { trail: AuditTrail; problems: string[]; recovered: string[] } {
  const problems: string[] = [];
  const recovered: string[] = [];
  const trail = new AuditTrail({
    open: () => Promise.resolve(port),
    guard,
    log: silentLog,
    onProblem: (m) => problems.push(m),
    onRecovered: (m) => recovered.push(m),
    retryMs,
  });
  return { trail, problems, recovered };
}

describe('adversarial: nobody can keep a session out of the audit trail (issue 9, Why 3)', () => {
  const sts = new STSClient({ region: 'us-east-1' });
  const stsMock = mockClient(sts);
  const trails: AuditTrail[] = [];
  const deps = (trail: AuditTrail) => ({ sts, clock: { now: () => now }, log: silentLog, audit: trail });

  beforeEach(() => {
    stsMock.reset();
    stsMock.on(AssumeRoleCommand).resolves(issued());
  });
  afterEach(() => trails.splice(0).forEach((t) => t.dispose()));
  after(() => stsMock.restore());

  it('a reason and a ticket with 100+ letters/digits are recorded as typed, in every record of the session', async () => {
    const guard = new SecretGuard();
    const log = new MemoryAuditLog(new FakeClock(now), guard);
    const session = makeSession({ expiration: now + 1_800_000 });
    for (const secret of [session.credentials.secretAccessKey, session.credentials.sessionToken, 'f'.repeat(64)])
      guard.add(secret);
    const reason = `checking ${longRun} before the release`;
    const ticket = `OPS-${'7'.repeat(110)}`;
    // A 40-character mixed-case word: the shape the old guard took for a secret access key.
    const keyShaped = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd';
    const fields = {
      actor,
      role: 'Employee',
      account,
      service: 'rds',
      level: 'read',
      requestId: session.id,
      reason,
      ticket,
    } as const;
    for (const event of [
      'access.requested',
      'access.granted',
      'credentials.fetched',
      'terminal.opened',
      'session.revoked',
    ] as const) {
      await log.append({ ...fields, event, outcome: 'success' });
    }
    await log.append({ ...fields, reason: keyShaped, event: 'access.requested', outcome: 'success' });
    assert.deepEqual(
      log.records.map((r) => r.event),
      [
        'access.requested',
        'access.granted',
        'credentials.fetched',
        'terminal.opened',
        'session.revoked',
        'access.requested',
      ],
    );
    assert.equal(log.records[0]!.reason, reason, 'stored as typed');
    assert.equal(log.records[0]!.ticket, ticket, 'stored as typed');
  });

  it('a value InfraWatch issued is still refused, wherever it appears in the record, without echoing it', async () => {
    const guard = new SecretGuard();
    const session = makeSession({ expiration: now + 1_800_000 });
    guard.add(session.credentials.sessionToken);
    const log = new MemoryAuditLog(new FakeClock(now), guard);
    const piece = session.credentials.sessionToken;
    for (const event of [
      { event: 'access.requested', actor, reason: `pasted ${piece.slice(0, 900)}`, outcome: 'success' },
      { event: 'access.failed', actor, detail: { message: `AWS said ${piece}` }, outcome: 'failure' },
    ] as AuditEventInput[]) {
      if (event.reason) guard.add(piece.slice(0, 900));
      await assert.rejects(
        log.append(event),
        (e: Error) => /registered secret/.test(e.message) && !e.message.includes(piece.slice(0, 40)),
      );
    }
    assert.equal(log.records.length, 0);
  });

  it('when access.requested cannot be written, AWS is never asked and the user is told why', async () => {
    const port = new FlakyPort();
    port.failing = true;
    const { trail } = makeTrail(port);
    trails.push(trail);
    const error = await requestAuditedSession(deps(trail), sessionRequest()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal(
      stsMock.commandCalls(AssumeRoleCommand).length,
      0,
      'no AssumeRole without its access.requested record',
    );
    assert.ok(error instanceof InfraWatchError, `refused with an InfraWatchError: ${String(error)}`);
    assert.match(error.message, /^Requesting access failed: .*audit trail.*no space left on device/);
    assert.equal(trail.pendingCount, 0, 'a request that did not happen is not recorded later');
  });

  it('access.requested carries the request id the session (and its RoleSessionName) gets', async () => {
    const port = new FlakyPort();
    const { trail } = makeTrail(port);
    trails.push(trail);
    const session = await requestAuditedSession(deps(trail), sessionRequest());
    const requested = port.memory.records.find((r) => r.event === 'access.requested');
    assert.ok(requested?.requestId, 'access.requested has a request id');
    assert.equal(requested.requestId, session.id);
    assert.ok(session.sessionName.endsWith(`@${session.id}`));
  });

  it('a later record that cannot be written is shown at once and retried on the next append, in order', async () => {
    const port = new FlakyPort();
    const { trail, problems, recovered } = makeTrail(port);
    trails.push(trail);
    await trail.record({ event: 'access.requested', actor, requestId: 'r1', outcome: 'success' });
    port.failing = true;
    await trail.record({ event: 'access.granted', actor, requestId: 'r1', outcome: 'success' });
    assert.equal(problems.length, 1, 'the user is told at once');
    assert.match(problems[0]!, /access\.granted.*no space left on device.*retr/i);
    assert.equal(trail.pendingCount, 1, 'kept for a retry, not dropped');
    await trail.record({ event: 'credentials.fetched', actor, requestId: 'r1', outcome: 'success' });
    assert.equal(trail.pendingCount, 2);
    port.failing = false;
    await trail.record({ event: 'session.revoked', actor, requestId: 'r1', outcome: 'success' });
    assert.deepEqual(port.events(), ['access.requested', 'access.granted', 'credentials.fetched', 'session.revoked']);
    assert.equal(trail.pendingCount, 0);
    assert.equal(recovered.length, 1, 'the user learns the waiting records were written');
  });

  it('a waiting record is retried by a timer even when nothing else is recorded', async () => {
    const port = new FlakyPort();
    const { trail, problems } = makeTrail(port, new SecretGuard(), 20);
    trails.push(trail);
    port.failing = true;
    await trail.record({ event: 'session.expired', actor, requestId: 'r2', outcome: 'success' });
    assert.equal(problems.length, 1);
    port.failing = false;
    const deadline = Date.now() + 5_000;
    while (trail.pendingCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(port.events(), ['session.expired']);
  });
});
