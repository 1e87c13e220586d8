// STS on the local endpoint, driven by the real SDK v3 client: GetCallerIdentity for a
// user and a role session, and a full AssumeRole whose credentials then work.

import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startLocalAws, type LocalAws } from '../../server/server';
import { jitRoleArn } from '../../iam/identities';
import { cloudWatchClient, credentialsOf, identity, stsClient, testListMetrics, totpCode } from '../../testing/clients';

const sessionPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['cloudwatch:ListMetrics', 'rds:Describe*'], Resource: '*' }],
});

describe('local AWS endpoint: STS with SDK v3', function () {
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws({ services: { monitoring: testListMetrics } });
  });
  after(async () => aws.close());

  it('GetCallerIdentity answers for an IAM user', async () => {
    const out = await stsClient(aws, credentialsOf(aws, 'employee')).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Arn, 'arn:aws:iam::111122223333:user/erin.employee');
    assert.equal(out.Account, '111122223333');
    assert.match(out.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
  });

  it('GetCallerIdentity answers for a role session (sso, with its session token)', async () => {
    const out = await stsClient(aws, credentialsOf(aws, 'sso')).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Arn, 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/sam.sso');
    assert.match(out.UserId ?? '', /^AROA[A-Z2-7]{17}:sam\.sso$/);
  });

  it('AssumeRole with every parameter issues working, scoped, expiring credentials', async () => {
    const input: AssumeRoleCommandInput = {
      RoleArn: jitRoleArn('InfraWatch-Employee'),
      RoleSessionName: 'erin.employee-r1a2',
      DurationSeconds: 1800,
      Policy: sessionPolicy,
      SerialNumber: identity(aws, 'employee').mfaSerial,
      TokenCode: totpCode(aws, 'employee'),
      SourceIdentity: 'erin.employee',
      Tags: [
        { Key: 'infrawatch:request', Value: 'r1a2' },
        { Key: 'infrawatch:service', Value: 'rds' },
        { Key: 'infrawatch:level', Value: 'read' },
      ],
    };
    const before = aws.clock.now();
    const out = await stsClient(aws, credentialsOf(aws, 'employee')).send(new AssumeRoleCommand(input));
    const c = out.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken && c.Expiration);
    assert.match(c.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.SecretAccessKey.length, 40);
    assert.ok(
      Math.abs(c.Expiration.getTime() - (before + 1800_000)) < 5000,
      'expires DurationSeconds after the endpoint clock',
    );
    assert.equal(
      out.AssumedRoleUser?.Arn,
      'arn:aws:sts::111122223333:assumed-role/InfraWatch-Employee/erin.employee-r1a2',
    );
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{17}:erin\.employee-r1a2$/);
    assert.equal(out.SourceIdentity, 'erin.employee');
    assert.ok(typeof out.PackedPolicySize === 'number' && out.PackedPolicySize > 0 && out.PackedPolicySize < 100);

    const issued = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    const who = await stsClient(aws, issued).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, out.AssumedRoleUser?.Arn);
    const metrics = await cloudWatchClient(aws, issued).send(new ListMetricsCommand({}));
    assert.equal(metrics.Metrics?.[0]?.MetricName, 'CPUUtilization');

    const recorded = aws.state.issuedSessions.find((s) => s.accessKeyId === c.AccessKeyId);
    assert.deepEqual(recorded?.tags, {
      'infrawatch:request': 'r1a2',
      'infrawatch:service': 'rds',
      'infrawatch:level': 'read',
    });
    assert.equal(recorded?.mfaAuthenticated, true);
  });

  it('a role session (sso) can chain into a JIT role for up to one hour', async () => {
    const out = await stsClient(aws, credentialsOf(aws, 'sso')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Employee'),
        RoleSessionName: 'sam.sso-x1',
        DurationSeconds: 3600,
      }),
    );
    assert.equal(out.AssumedRoleUser?.Arn, 'arn:aws:sts::111122223333:assumed-role/InfraWatch-Employee/sam.sso-x1');
  });

  it('a session policy narrows the role: an action it does not allow is AccessDenied', async () => {
    const narrow = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'rds:Describe*', Resource: '*' }],
    });
    const out = await stsClient(aws, credentialsOf(aws, 'manager')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Manager'),
        RoleSessionName: 'max.manager-n1',
        Policy: narrow,
        SerialNumber: identity(aws, 'manager').mfaSerial,
        TokenCode: totpCode(aws, 'manager'),
      }),
    );
    const c = out.Credentials!;
    const issued = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    await assert.rejects(cloudWatchClient(aws, issued).send(new ListMetricsCommand({})), (e: Error) => {
      assert.equal(e.name, 'AccessDenied');
      assert.match(e.message, /is not authorized to perform: cloudwatch:ListMetrics because no session policy allows/);
      return true;
    });
    // The same role without a session policy may list metrics: the denial is the session policy's.
    const wide = await stsClient(aws, credentialsOf(aws, 'manager')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Manager'),
        RoleSessionName: 'max.manager-n2',
        SerialNumber: identity(aws, 'manager').mfaSerial,
        TokenCode: totpCode(aws, 'manager', aws.clock.now() + 30_000),
      }),
    );
    const w = wide.Credentials!;
    const listed = await cloudWatchClient(aws, {
      accessKeyId: w.AccessKeyId!,
      secretAccessKey: w.SecretAccessKey!,
      sessionToken: w.SessionToken!,
    }).send(new ListMetricsCommand({}));
    assert.equal(listed.Metrics?.length, 1);
  });
});

describe('local AWS endpoint: session policies on the built-in CloudWatch and Logs handlers', function () {
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws();
  });
  after(async () => aws.close());

  async function assumeWith(policy: string, name: string) {
    aws.clock.advance(30_000); // a fresh TOTP step: each code works once
    const out = await stsClient(aws, credentialsOf(aws, 'admin')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Admin'),
        RoleSessionName: name,
        Policy: policy,
        SerialNumber: identity(aws, 'admin').mfaSerial,
        TokenCode: totpCode(aws, 'admin'),
      }),
    );
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  }

  it('CloudWatch (JSON): allowed by the session policy → data; not allowed → AccessDenied', async () => {
    const allowed = await assumeWith(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'cloudwatch:ListMetrics', Resource: '*' }],
      }),
      'ada-cw1',
    );
    const metrics = await cloudWatchClient(aws, allowed).send(new ListMetricsCommand({ Namespace: 'AWS/RDS' }));
    assert.ok((metrics.Metrics?.length ?? 0) > 0, 'the demo has RDS metrics');
    const denied = await assumeWith(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'logs:Describe*', Resource: '*' }],
      }),
      'ada-cw2',
    );
    await assert.rejects(
      cloudWatchClient(aws, denied).send(new ListMetricsCommand({ Namespace: 'AWS/RDS' })),
      (e: Error) => {
        assert.equal(e.name, 'AccessDenied');
        assert.match(e.message, /cloudwatch:ListMetrics/);
        return true;
      },
    );
  });

  it('CloudWatch Logs (JSON 1.1): not allowed by the session policy → AccessDeniedException', async () => {
    const denied = await assumeWith(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'cloudwatch:ListMetrics', Resource: '*' }],
      }),
      'ada-logs1',
    );
    const logs = new CloudWatchLogsClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: denied,
      maxAttempts: 1,
    });
    await assert.rejects(logs.send(new DescribeLogGroupsCommand({})), (e: Error) => {
      assert.equal(e.name, 'AccessDeniedException');
      assert.match(e.message, /is not authorized to perform: logs:DescribeLogGroups/);
      return true;
    });
  });
});
