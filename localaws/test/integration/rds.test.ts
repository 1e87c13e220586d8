// RDS on the local endpoint over HTTP with the REAL clients (SDK v3 @aws-sdk/client-rds
// and Debian's AWS CLI 2.9): the demo instances, a reboot that lasts a minute of the
// endpoint clock, AWS's error codes, and the scoping case the whole product rests on —
// an Employee JIT session whose policy is buildSessionPolicy('rds', 'read') may describe
// but not reboot, whatever the role itself would allow.

import assert from 'node:assert/strict';
import { DescribeDBInstancesCommand, RDSClient, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { buildSessionPolicy } from '../../../src/core/sts/sessionPolicy';
import { jitRoleArn } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import {
  cliErrorCode,
  credentialsOf,
  identity,
  runAwsCli,
  stsClient,
  totpCode,
  type TestCredentials,
} from '../../testing/clients';

interface CliInstances {
  DBInstances: {
    DBInstanceIdentifier: string;
    DBInstanceStatus: string;
    Engine: string;
    Endpoint: { Address: string; Port: number };
  }[];
}

describe('local AWS endpoint: RDS with SDK v3 and the AWS CLI', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());

  const rds = (credentials: TestCredentials) =>
    new RDSClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });

  /** Employee → InfraWatch-Employee with MFA and a session policy; a fresh TOTP step each time. */
  async function jitSession(
    policy: string | undefined,
    role = 'InfraWatch-Employee',
    who = 'employee',
  ): Promise<TestCredentials> {
    aws.clock.advance(30_000);
    const out = await stsClient(aws, credentialsOf(aws, who)).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn(role),
        RoleSessionName: `${who}-rds`,
        Policy: policy,
        DurationSeconds: 900,
        SerialNumber: identity(aws, who).mfaSerial,
        TokenCode: totpCode(aws, who),
      }),
    );
    const c = out.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }

  it('SDK: DescribeDBInstances lists orders-db and users-db with realistic fields', async () => {
    const session = await jitSession(undefined);
    const out = await rds(session).send(new DescribeDBInstancesCommand({}));
    assert.deepEqual(
      out.DBInstances?.map((d) => d.DBInstanceIdentifier),
      ['orders-db', 'users-db'],
    );
    const orders = out.DBInstances?.[0];
    assert.equal(orders?.Engine, 'postgres');
    assert.equal(orders?.DBInstanceStatus, 'available');
    assert.equal(orders?.DBInstanceClass, 'db.r6g.xlarge');
    assert.equal(orders?.Endpoint?.Port, 5432);
    assert.match(orders?.Endpoint?.Address ?? '', /^orders-db\.[a-z0-9]+\.us-east-1\.rds\.amazonaws\.com$/);
    assert.equal(orders?.AvailabilityZone, 'us-east-1a');
    assert.equal(orders?.MultiAZ, true);
    assert.equal(orders?.AllocatedStorage, 500);
    assert.equal(orders?.DBInstanceArn, 'arn:aws:rds:us-east-1:111122223333:db:orders-db');
    assert.ok(orders?.InstanceCreateTime instanceof Date && orders.InstanceCreateTime.getTime() < aws.clock.now());
    assert.deepEqual(
      orders?.TagList?.find((t) => t.Key === 'team'),
      { Key: 'team', Value: 'checkout' },
    );
    assert.equal(orders?.VpcSecurityGroups?.[0]?.Status, 'active');
    const one = await rds(session).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'users-db' }));
    assert.deepEqual(
      one.DBInstances?.map((d) => [d.DBInstanceIdentifier, d.EngineVersion, d.MultiAZ]),
      [['users-db', '15.8', false]],
    );
  });

  it('SDK: RebootDBInstance makes the instance rebooting for one minute of the endpoint clock', async () => {
    const session = await jitSession(undefined);
    const out = await rds(session).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }));
    assert.equal(out.DBInstance?.DBInstanceStatus, 'rebooting');
    const status = async () =>
      (await rds(session).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db' }))).DBInstances?.[0]
        ?.DBInstanceStatus;
    assert.equal(await status(), 'rebooting');
    await assert.rejects(
      rds(session).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' })),
      (e: { name?: string; message?: string }) =>
        e.name === 'InvalidDBInstanceStateFault' && /not in available state/.test(e.message ?? ''),
    );
    aws.clock.advance(59_000);
    assert.equal(await status(), 'rebooting');
    aws.clock.advance(1_000);
    assert.equal(await status(), 'available');
  });

  it('SDK: an unknown instance is DBInstanceNotFound (404); the base user without a role is AccessDenied', async () => {
    const session = await jitSession(undefined);
    await assert.rejects(
      rds(session).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope-db' })),
      (e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'DBInstanceNotFoundFault');
        assert.equal(e.message, 'DBInstance nope-db not found.');
        assert.equal(e.$metadata?.httpStatusCode, 404);
        return true;
      },
    );
    await assert.rejects(
      rds(credentialsOf(aws, 'employee')).send(new DescribeDBInstancesCommand({})),
      (e: { name?: string; message?: string }) =>
        e.name === 'AccessDenied' &&
        /user\/erin\.employee is not authorized to perform: rds:DescribeDBInstances/.test(e.message ?? ''),
    );
  });

  it('scoping: an rds-read session describes but may not reboot (SDK)', async () => {
    const session = await jitSession(buildSessionPolicy('rds', 'read', ['*']));
    const out = await rds(session).send(new DescribeDBInstancesCommand({}));
    assert.equal(out.DBInstances?.length, 2);
    await assert.rejects(
      rds(session).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' })),
      (e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        assert.match(
          e.message ?? '',
          /assumed-role\/InfraWatch-Employee\/employee-rds is not authorized to perform: rds:RebootDBInstance on resource: arn:aws:rds:us-east-1:111122223333:db:orders-db because no session policy allows/,
        );
        return true;
      },
    );
    const after = await rds(session).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db' }));
    assert.equal(after.DBInstances?.[0]?.DBInstanceStatus, 'available', 'the denied reboot changed nothing');
    // The same role with an rds-write session policy may reboot: the session policy decided.
    const writer = await jitSession(buildSessionPolicy('rds', 'write', ['*']));
    assert.equal(
      (await rds(writer).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'users-db' }))).DBInstance
        ?.DBInstanceStatus,
      'rebooting',
    );
  });

  it('scoping: a session policy limited to orders-* denies users-db by ARN', async () => {
    const session = await jitSession(buildSessionPolicy('rds', 'write', ['arn:aws:rds:*:111122223333:db:orders-*']));
    await rds(session).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }));
    await assert.rejects(
      rds(session).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'users-db' })),
      (e: { name?: string }) => e.name === 'AccessDenied',
    );
  });

  it('scoping: an rds-read session describes but may not reboot (AWS CLI 2.9)', async () => {
    const session = await jitSession(buildSessionPolicy('rds', 'read', ['*']));
    const described = await runAwsCli(aws, session, ['rds', 'describe-db-instances']);
    assert.equal(described.code, 0, described.stderr);
    const out = JSON.parse(described.stdout) as CliInstances;
    assert.deepEqual(
      out.DBInstances.map((d) => [d.DBInstanceIdentifier, d.Engine, d.DBInstanceStatus]),
      [
        ['orders-db', 'postgres', 'available'],
        ['users-db', 'postgres', 'available'],
      ],
    );
    assert.equal(out.DBInstances[0]?.Endpoint.Port, 5432);
    const denied = await runAwsCli(aws, session, [
      'rds',
      'reboot-db-instance',
      '--db-instance-identifier',
      'orders-db',
    ]);
    assert.notEqual(denied.code, 0);
    assert.equal(cliErrorCode(denied), 'AccessDenied');
    assert.match(denied.stderr, /is not authorized to perform: rds:RebootDBInstance/);
    const missing = await runAwsCli(aws, session, [
      'rds',
      'describe-db-instances',
      '--db-instance-identifier',
      'nope-db',
    ]);
    assert.equal(cliErrorCode(missing), 'DBInstanceNotFound');
  });

  it('AWS CLI: reboot-db-instance with a write session answers rebooting', async () => {
    const session = await jitSession(buildSessionPolicy('rds', 'write', ['*']));
    const out = await runAwsCli(aws, session, ['rds', 'reboot-db-instance', '--db-instance-identifier', 'orders-db']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      (JSON.parse(out.stdout) as { DBInstance: { DBInstanceStatus: string } }).DBInstance.DBInstanceStatus,
      'rebooting',
    );
  });
});
