// Scoped grants through the local endpoint with the real SDK v3 clients (and the AWS CLI
// once): a session whose policy is buildSessionPolicy(service, level, patterns) lists and
// describes everything the service lists, and acts only on the resources the patterns name,
// at every level. The demo's "prod" resources here: EC2 web-1, RDS orders-db, Lambda
// checkout-handler; the others stand for the resources the grant does not name.

import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  EC2Client,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { type AccessLevel } from '../../src/core/catalog';
import { buildSessionPolicy } from '../../src/core/sts/sessionPolicy';
import { jitRoleArn } from '../../localaws/iam/identities';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import {
  credentialsOf,
  identity,
  runAwsCli,
  stsClient,
  totpCode,
  type TestCredentials,
} from '../../localaws/testing/clients';

const web1 = 'i-0a1b2c3d4e5f60001';
const batch1 = 'i-0a1b2c3d4e5f60003';
const ec2Pattern = `arn:aws:ec2:*:111122223333:instance/${web1}`;
const rdsPattern = 'arn:aws:rds:*:111122223333:db:orders-*';
const lambdaPattern = 'arn:aws:lambda:*:111122223333:function:checkout-*';

type Failure = { name?: string; message?: string };
const denied =
  (code: string, action: string) =>
  (e: Failure): boolean => {
    assert.equal(e.name, code, e.message);
    assert.match(e.message ?? '', new RegExp(`not authorized to perform: ${action}`));
    return true;
  };

describe('scoped sessions: list everything, act only on the patterns (SDK v3 against the local endpoint)', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());

  /** Admin sessions come from InfraWatch-Admin (the only role whose permissions reach admin). */
  async function session(policy: string, level: AccessLevel): Promise<TestCredentials> {
    const [who, role] = level === 'admin' ? ['admin', 'InfraWatch-Admin'] : ['employee', 'InfraWatch-Employee'];
    aws.clock.advance(30_000);
    const out = await stsClient(aws, credentialsOf(aws, who)).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn(role),
        RoleSessionName: `${who}-scoped`,
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

  const client = <T>(Client: new (config: object) => T, credentials: TestCredentials): T =>
    new Client({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });

  it('EC2 read on one instance: DescribeInstances lists all three; acting on any instance is denied', async () => {
    const ec2 = client(EC2Client, await session(buildSessionPolicy('ec2', 'read', [ec2Pattern]), 'read'));
    const out = await ec2.send(new DescribeInstancesCommand({}));
    assert.equal(out.Reservations?.flatMap((r) => r.Instances ?? []).length, 3);
    await assert.rejects(
      ec2.send(new StartInstancesCommand({ InstanceIds: [web1] })),
      denied('UnauthorizedOperation', 'ec2:StartInstances'),
    );
  });

  it('AWS CLI: describe-instances works under an EC2 read grant scoped to one instance', async () => {
    const credentials = await session(buildSessionPolicy('ec2', 'read', [ec2Pattern]), 'read');
    const out = await runAwsCli(aws, credentials, ['ec2', 'describe-instances']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal((JSON.parse(out.stdout) as { Reservations: unknown[] }).Reservations.length, 3);
  });

  for (const level of ['write', 'admin'] as const) {
    it(`EC2 ${level} on one instance: describe all; stop, start and reboot it; not another`, async () => {
      const ec2 = client(EC2Client, await session(buildSessionPolicy('ec2', level, [ec2Pattern]), level));
      assert.equal((await ec2.send(new DescribeInstancesCommand({}))).Reservations?.length, 3);
      const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [web1] }));
      assert.deepEqual(
        stopped.StoppingInstances?.map((i) => [i.InstanceId, i.PreviousState?.Name, i.CurrentState?.Name]),
        [[web1, 'running', 'stopping']],
      );
      const started = await ec2.send(new StartInstancesCommand({ InstanceIds: [web1] }));
      assert.deepEqual(
        started.StartingInstances?.map((i) => [i.PreviousState?.Name, i.CurrentState?.Name]),
        [['stopped', 'pending']],
      );
      await ec2.send(new RebootInstancesCommand({ InstanceIds: [web1] }));
      await assert.rejects(
        ec2.send(new StopInstancesCommand({ InstanceIds: [batch1] })),
        denied(
          'UnauthorizedOperation',
          `ec2:StopInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/${batch1}`,
        ),
      );
      await assert.rejects(
        ec2.send(new RebootInstancesCommand({ InstanceIds: [batch1] })),
        denied('UnauthorizedOperation', 'ec2:RebootInstances'),
      );
    });
  }

  for (const level of ['read', 'write', 'admin'] as const) {
    it(`RDS ${level} on orders-*: DescribeDBInstances lists both; reboot only orders-db, and only above read`, async () => {
      const rds = client(RDSClient, await session(buildSessionPolicy('rds', level, [rdsPattern]), level));
      assert.deepEqual(
        (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances?.map((d) => d.DBInstanceIdentifier),
        ['orders-db', 'users-db'],
      );
      assert.equal(
        (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'users-db' }))).DBInstances?.length,
        1,
      );
      if (level === 'read') {
        await assert.rejects(
          rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' })),
          denied('AccessDenied', 'rds:RebootDBInstance'),
        );
      } else {
        assert.equal(
          (await rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }))).DBInstance
            ?.DBInstanceStatus,
          'rebooting',
        );
      }
      await assert.rejects(
        rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'users-db' })),
        denied('AccessDenied', 'rds:RebootDBInstance on resource: arn:aws:rds:us-east-1:111122223333:db:users-db'),
      );
    });

    it(`Lambda ${level} on checkout-*: ListFunctions lists all; get and (above read) configure only checkout-handler`, async () => {
      const lambda = client(LambdaClient, await session(buildSessionPolicy('lambda', level, [lambdaPattern]), level));
      assert.equal((await lambda.send(new ListFunctionsCommand({}))).Functions?.length, 3);
      assert.equal(
        (await lambda.send(new GetFunctionCommand({ FunctionName: 'checkout-handler' }))).Configuration?.FunctionName,
        'checkout-handler',
      );
      await assert.rejects(
        lambda.send(new GetFunctionCommand({ FunctionName: 'image-resizer' })),
        denied('AccessDeniedException', 'lambda:GetFunction'),
      );
      const put = lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'checkout-handler', ReservedConcurrentExecutions: 5 }),
      );
      if (level === 'read') await assert.rejects(put, denied('AccessDeniedException', 'lambda:PutFunctionConcurrency'));
      else assert.equal((await put).ReservedConcurrentExecutions, 5);
      await assert.rejects(
        lambda.send(
          new PutFunctionConcurrencyCommand({ FunctionName: 'nightly-report', ReservedConcurrentExecutions: 5 }),
        ),
        denied('AccessDeniedException', 'lambda:PutFunctionConcurrency'),
      );
    });
  }
});
