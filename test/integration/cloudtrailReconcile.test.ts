// "Sessions outside InfraWatch" end to end in one process: InfraWatch's own audited request
// (the real broker, its tags and session name, its local audit trail) and a bypass made
// with the same base credentials and a copied-looking set of tags, both through the local
// endpoint; the admin's reconciliation (real CloudTrail client, real LookupEvents paging)
// matches the first and flags the second with who, when, which role and which tags.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { type CallerIdentity } from '../../src/core/arn';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { fetchIdentity } from '../../src/core/identity';
import { type Access } from '../../src/core/accessState';
import { silentLog } from '../../src/core/ports';
import { resolveAccess } from '../../src/core/policy/assign';
import { parsePolicy } from '../../src/core/policy/parse';
import { requestAuditedSession } from '../../src/core/sts/auditedRequest';
import { getAssumedRoleMaxSessionSeconds } from '../../src/core/sts/duration';
import { type AdminContext } from '../../src/vscode/admin/adminContext';
import { findOutsideSessions } from '../../src/vscode/admin/outsideSessions';
import { jitRoleArn } from '../../localaws/iam/identities';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { credentialsOf, identity, stsClient, totpCode } from '../../localaws/testing/clients';

function demoPolicy() {
  const parsed = parsePolicy(readFileSync(join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));
  assert.ok(parsed.ok);
  return parsed.policy;
}

describe('sessions outside InfraWatch, against the local endpoint', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let dir: string;
  before(async () => {
    aws = await startLocalAws();
    dir = await mkdtemp(join(tmpdir(), 'iw-reconcile-'));
  });
  after(async () => {
    await aws.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('matches the session InfraWatch made and flags the one made around it', async () => {
    const policy = demoPolicy();
    const started = aws.clock.now();
    // Erin asks InfraWatch (the audited broker writes to her machine's trail)…
    const trail = await JsonlAuditLog.open({ dir, clock: aws.clock, log: silentLog });
    const sts = stsClient(aws, credentialsOf(aws, 'employee'));
    const who = await fetchIdentity(sts);
    assert.equal(who.kind, 'ok');
    const caller = (who as { identity: CallerIdentity }).identity;
    const access = resolveAccess(policy, caller)!;
    const grant = access.grants.find((g) => g.service === 'ec2' && g.level === 'read')!;
    aws.clock.advance(31_000);
    const session = await requestAuditedSession(
      {
        sts,
        clock: aws.clock,
        log: silentLog,
        audit: { require: (e) => trail.append(e), record: async (e) => void (await trail.append(e)) },
      },
      {
        caller,
        role: access.role,
        roleArn: access.roleArn!,
        grant,
        account: caller.account,
        region: aws.region,
        durationSeconds: 900,
        tokenCode: totpCode(aws, 'employee'),
        roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(access.grants),
      },
    );
    await trail.append({
      event: 'access.granted',
      outcome: 'success',
      actor: caller.arn,
      role: access.role,
      requestId: session.id,
      accessKeyId: session.credentials.accessKeyId,
    });
    await trail.close();

    // …then assumes the role herself with the CLI's equivalent, InfraWatch-looking tags and all.
    const erin = identity(aws, 'employee');
    aws.clock.advance(31_000);
    await stsClient(aws, credentialsOf(aws, 'employee')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Employee'),
        RoleSessionName: 'erin.employee@bypass0001',
        SerialNumber: erin.mfaSerial,
        TokenCode: totpCode(aws, 'employee'),
        SourceIdentity: 'erin.employee',
        Tags: [
          { Key: 'infrawatch:request-id', Value: 'bypass0001' },
          { Key: 'infrawatch:service', Value: 'ec2' },
          { Key: 'infrawatch:level', Value: 'read' },
        ],
      }),
    );

    const admin = identity(aws, 'admin');
    const context: AdminContext = {
      policy,
      access: { admin: true } as Access,
      caller: admin.arn,
      policyPath: 'policy.json',
      auditDir: dir,
      logsClient: undefined,
      cloudTrailClient: new CloudTrailClient({
        endpoint: aws.url,
        region: aws.region,
        credentials: credentialsOf(aws, 'admin'),
        maxAttempts: 5,
      }),
    };
    const report = await findOutsideSessions(context, { from: started - 60_000, to: aws.clock.now() + 60_000 });
    assert.equal(report.matched, 1, JSON.stringify(report));
    assert.equal(report.unmatched, 1);
    const [row] = report.rows;
    assert.deepEqual(
      {
        caller: row!.caller,
        roleArn: row!.roleArn,
        roles: row!.roles,
        sessionName: row!.sessionName,
        sourceIdentity: row!.sourceIdentity,
        reason: row!.reason,
      },
      {
        caller: erin.arn,
        roleArn: jitRoleArn('InfraWatch-Employee'),
        roles: ['Employee'],
        sessionName: 'erin.employee@bypass0001',
        sourceIdentity: 'erin.employee',
        reason: 'unknown-request-id',
      },
    );
    assert.deepEqual(
      row!.tags.map((t) => `${t.key}=${t.value}`),
      ['infrawatch:request-id=bypass0001', 'infrawatch:service=ec2', 'infrawatch:level=read'],
    );
    assert.equal(report.local.count, 2, 'the requested and granted records of this run');
  });

  it('says what permission is missing when the caller may not look up events', async () => {
    const context = {
      policy: demoPolicy(),
      access: { admin: true } as Access,
      caller: identity(aws, 'employee').arn,
      policyPath: 'policy.json',
      auditDir: dir,
      logsClient: undefined,
      cloudTrailClient: new CloudTrailClient({
        endpoint: aws.url,
        region: aws.region,
        credentials: credentialsOf(aws, 'employee'),
        maxAttempts: 1,
      }),
    } satisfies AdminContext;
    await assert.rejects(findOutsideSessions(context, { from: 0, to: aws.clock.now() }), /cloudtrail:LookupEvents/);
  });
});
