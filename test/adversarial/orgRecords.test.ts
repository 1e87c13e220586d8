// Why 7 of issue 9: a self-hashed `access.granted rds/admin` record put into the
// organisation's CloudWatch Logs group under another user's name showed in the admin panel
// as a normal record. Organisation records are now verifiable per writer: one stream per
// principal, a hash chain per stream, the actor must be the stream's principal; the admin
// data path flags anything else "unverified", with the reason.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchAuditSink } from '../../src/core/audit/cloudWatchSink';
import { createAuditRecord, emptyChainHead, getCanonicalJson, type ChainHead } from '../../src/core/audit/chain';
import { type AuditEventInput } from '../../src/core/audit/events';
import { emptyStreamHead, linkRecordLine } from '../../src/core/audit/orgChain';
import { getAuditStreamName } from '../../src/core/audit/orgStreams';
import { streamHeadFileName } from '../../src/core/audit/streamHeadFile';
import { silentLog } from '../../src/core/ports';
import { type AccessPolicy } from '../../src/core/policy/schema';
import { type AdminContext } from '../../src/vscode/admin/adminContext';
import { loadAuditSources, toAuditRow } from '../../src/vscode/admin/adminData';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { credentialsOf, identity } from '../../localaws/testing/clients';

const group = '/infrawatch/audit';

describe('adversarial: forged organisation records are flagged unverified (issue 9, Why 7)', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let dir: string;
  before(async () => {
    aws = await startLocalAws({ port: 0 });
  });
  after(async () => aws.close());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iw-org-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const logsAs = (name: string) =>
    new CloudWatchLogsClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: credentialsOf(aws, name),
      maxAttempts: 1,
    });
  const iso = () => new Date(aws.clock.now()).toISOString();
  const grant = (actor: string): AuditEventInput => ({
    event: 'access.granted',
    actor,
    role: 'Admin',
    account: aws.accountId,
    service: 'rds',
    level: 'admin',
    durationSeconds: 3600,
    reason: 'incident',
    outcome: 'success',
  });
  const adminContext = (): AdminContext => ({
    policy: { audit: { logGroup: group } } as unknown as AccessPolicy,
    access: { admin: true } as AdminContext['access'],
    caller: identity(aws, 'admin').arn,
    policyPath: 'policy.json',
    auditDir: join(dir, 'admin-local'),
    logsClient: logsAs('admin'),
  });

  const rowsOf = async () => {
    const loaded = await loadAuditSources(adminContext());
    assert.equal(loaded.remote.error, undefined);
    return loaded.records.map(toAuditRow);
  };
  const put = async (who: string, stream: string, message: string) => {
    const logs = logsAs(who);
    await logs
      .send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }))
      .catch((error: Error) => {
        if (error.name !== 'ResourceAlreadyExistsException') throw error;
      });
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: [{ timestamp: aws.clock.now(), message }],
      }),
    );
  };

  it("a self-hashed access.granted rds/admin record under another user's name is shown unverified, never as a normal record", async () => {
    const erin = identity(aws, 'employee').arn;
    const erinStream = getAuditStreamName(erin, 'machine-a')!;
    const openSink = () =>
      CloudWatchAuditSink.open({
        logs: logsAs('employee'),
        logGroup: group,
        streamName: erinStream,
        dir,
        clock: aws.clock,
        log: silentLog,
        batchDelayMs: 5,
      });
    // Erin's genuine records, sent the way the extension sends them: across a restart, and
    // once more after the saved stream head was lost (the sink reads it back from the stream).
    let head: ChainHead = emptyChainHead;
    const next = (input: AuditEventInput) => {
      const record = createAuditRecord(head, input, iso());
      head = record;
      return record;
    };
    for (const round of [0, 1, 2]) {
      if (round === 2) await rm(join(dir, streamHeadFileName));
      const sink = await openSink();
      await sink.enqueue(
        next({
          event: 'access.requested',
          actor: erin,
          service: 'rds',
          level: 'read',
          outcome: 'success',
          detail: { round },
        }),
      );
      await sink.enqueue(
        next({
          event: 'credentials.fetched',
          actor: `arn:aws:sts::${aws.accountId}:assumed-role/InfraWatch-Employee/erin.employee@0a1b2c3d4e`,
          outcome: 'success',
          detail: { round },
        }),
      );
      await sink.flush();
      await sink.close();
    }

    // Max forges Erin getting RDS admin, hashed correctly, four ways.
    const forged = (reason: string) => createAuditRecord(emptyChainHead, { ...grant(erin), reason }, iso());
    const linked = (reason: string, stream: string, prev = emptyStreamHead) =>
      linkRecordLine(getCanonicalJson(forged(reason)), stream, prev).message;
    const maxStream = getAuditStreamName(identity(aws, 'manager').arn, 'machine-m')!;
    await put(
      'manager',
      getAuditStreamName(erin, 'machine-z')!,
      getCanonicalJson(forged('plain, in a stream named for Erin')),
    );
    await put('manager', maxStream, linked('linked, in his own stream', maxStream));
    await put('manager', 'audit', linked('linked, in a stream named for nobody', 'audit'));
    await put(
      'manager',
      erinStream,
      linked("linked into Erin's stream, guessing the head", erinStream, { seq: 6, hash: 'f'.repeat(64) }),
    );

    const rows = await rowsOf();
    const genuine = rows.filter((r) => r.event !== 'access.granted');
    assert.equal(genuine.length, 6);
    for (const row of genuine)
      assert.equal(row.verification, 'verified', `${row.event} seq ${row.seq}: ${row.unverifiedReason ?? ''}`);
    const forgedRows = new Map(rows.filter((r) => r.event === 'access.granted').map((r) => [r.reason, r]));
    assert.equal(forgedRows.size, 4);
    const expect: [string, RegExp][] = [
      ['plain, in a stream named for Erin', /no stream link/],
      [
        'linked, in his own stream',
        /actor arn:aws:iam::\d+:user\/erin\.employee is not the stream's owner \(max\.manager/,
      ],
      ['linked, in a stream named for nobody', /not named for a principal/],
      ["linked into Erin's stream, guessing the head", /broken link/],
    ];
    for (const [reason, why] of expect) {
      const row = forgedRows.get(reason);
      assert.equal(row?.verification, 'unverified', `${reason}: shown as ${String(row?.verification)}`);
      assert.match(row.unverifiedReason ?? '', why, reason);
    }
  });
});
