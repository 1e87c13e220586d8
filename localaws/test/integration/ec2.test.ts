// EC2 on the local endpoint over HTTP with the REAL clients (SDK v3 @aws-sdk/client-ec2
// and Debian's AWS CLI 2.9): DescribeInstances in the reservationSet/instancesSet shape,
// RebootInstances, EC2's own error codes (UnauthorizedOperation, InvalidInstanceID.*,
// DryRunOperation), and an ec2-read JIT session that may describe but not reboot.

import assert from 'node:assert/strict';
import { DescribeInstancesCommand, EC2Client, RebootInstancesCommand } from '@aws-sdk/client-ec2';
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

const web1 = 'i-0a1b2c3d4e5f60001';

type Failure = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };

describe('local AWS endpoint: EC2 with SDK v3 and the AWS CLI', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws();
  });
  after(async () => aws.close());

  const ec2 = (credentials: TestCredentials) =>
    new EC2Client({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });

  async function jitSession(policy: string | undefined): Promise<TestCredentials> {
    aws.clock.advance(30_000);
    const out = await stsClient(aws, credentialsOf(aws, 'employee')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Employee'),
        RoleSessionName: 'erin-ec2',
        Policy: policy,
        SerialNumber: identity(aws, 'employee').mfaSerial,
        TokenCode: totpCode(aws, 'employee'),
      }),
    );
    const c = out.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }

  it('SDK: DescribeInstances returns the three demo instances, one reservation each', async () => {
    const out = await ec2(await jitSession(undefined)).send(new DescribeInstancesCommand({}));
    assert.equal(out.Reservations?.length, 3);
    const instances = out.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    assert.deepEqual(
      instances.map((i) => i.InstanceId),
      [web1, 'i-0a1b2c3d4e5f60002', 'i-0a1b2c3d4e5f60003'],
    );
    const first = instances[0];
    assert.equal(first?.State?.Name, 'running');
    assert.equal(first?.State?.Code, 16);
    assert.equal(first?.InstanceType, 'm6i.large');
    assert.equal(first?.Placement?.AvailabilityZone, 'us-east-1a');
    assert.equal(first?.PrivateIpAddress, '10.0.1.23');
    assert.equal(first?.VpcId, 'vpc-0f1e2d3c4b5a69788');
    assert.ok(first?.LaunchTime instanceof Date);
    assert.deepEqual(
      first?.Tags?.find((t) => t.Key === 'Name'),
      { Key: 'Name', Value: 'web-1' },
    );
    assert.equal(out.Reservations?.[0]?.OwnerId, '111122223333');
  });

  it('SDK: filters and ids narrow the answer; unknown and malformed ids fail with EC2 codes', async () => {
    const client = ec2(await jitSession(undefined));
    const web = await client.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:role', Values: ['web'] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      }),
    );
    assert.deepEqual(
      web.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.Tags?.find((t) => t.Key === 'Name')?.Value),
      ['web-1', 'web-2'],
    );
    const one = await client.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a1b2c3d4e5f60003'] }));
    assert.equal(one.Reservations?.[0]?.Instances?.[0]?.InstanceType, 'c6i.xlarge');
    await assert.rejects(
      client.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000dead'] })),
      (e: Failure) =>
        e.name === 'InvalidInstanceID.NotFound' &&
        e.message === "The instance ID 'i-0000000000000dead' does not exist" &&
        e.$metadata?.httpStatusCode === 400,
    );
    await assert.rejects(
      client.send(new DescribeInstancesCommand({ InstanceIds: ['web-1'] })),
      (e: Failure) => e.name === 'InvalidInstanceID.Malformed',
    );
  });

  it('SDK: an ec2-read session describes; RebootInstances is UnauthorizedOperation; an ec2-write session reboots', async () => {
    const reader = ec2(await jitSession(buildSessionPolicy('ec2', 'read', ['*'])));
    assert.equal((await reader.send(new DescribeInstancesCommand({}))).Reservations?.length, 3);
    await assert.rejects(reader.send(new RebootInstancesCommand({ InstanceIds: [web1] })), (e: Failure) => {
      assert.equal(e.name, 'UnauthorizedOperation');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.match(
        e.message ?? '',
        new RegExp(
          `not authorized to perform: ec2:RebootInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/${web1}`,
        ),
      );
      return true;
    });
    const writer = ec2(await jitSession(buildSessionPolicy('ec2', 'write', ['*'])));
    await assert.rejects(
      writer.send(new RebootInstancesCommand({ InstanceIds: [web1], DryRun: true })),
      (e: Failure) => e.name === 'DryRunOperation' && e.$metadata?.httpStatusCode === 412,
    );
    const out = await writer.send(new RebootInstancesCommand({ InstanceIds: [web1] }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    await assert.rejects(
      writer.send(new RebootInstancesCommand({ InstanceIds: ['i-0000000000000dead'] })),
      (e: Failure) => e.name === 'InvalidInstanceID.NotFound',
    );
  });

  it('AWS CLI: describe-instances works for a read session; reboot-instances is UnauthorizedOperation', async () => {
    const session = await jitSession(buildSessionPolicy('ec2', 'read', ['*']));
    const described = await runAwsCli(aws, session, ['ec2', 'describe-instances', '--instance-ids', web1]);
    assert.equal(described.code, 0, described.stderr);
    const out = JSON.parse(described.stdout) as {
      Reservations: { Instances: { InstanceId: string; State: { Name: string } }[] }[];
    };
    assert.deepEqual(
      out.Reservations.flatMap((r) => r.Instances).map((i) => [i.InstanceId, i.State.Name]),
      [[web1, 'running']],
    );
    const denied = await runAwsCli(aws, session, ['ec2', 'reboot-instances', '--instance-ids', web1]);
    assert.equal(cliErrorCode(denied), 'UnauthorizedOperation');
    const missing = await runAwsCli(aws, session, [
      'ec2',
      'describe-instances',
      '--instance-ids',
      'i-0000000000000dead',
    ]);
    assert.equal(cliErrorCode(missing), 'InvalidInstanceID.NotFound');
  });
});
