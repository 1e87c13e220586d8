// The local endpoint driven by Debian's real AWS CLI 2.9 (/usr/bin/aws, botocore of 2023:
// no x-amz-content-sha256, CloudWatch over awsQuery), and the standalone `cli.ts` process.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { jitRoleArn } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import {
  cliErrorCode,
  credentialsOf,
  identity,
  runAwsCli,
  testListMetrics,
  totpCode,
  type TestCredentials,
} from '../../testing/clients';

interface AssumeRoleJson {
  Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
  AssumedRoleUser: { Arn: string; AssumedRoleId: string };
  PackedPolicySize?: number;
  SourceIdentity?: string;
}

async function cliAssume(aws: LocalAws, who: string, role: string, extra: string[] = []): Promise<AssumeRoleJson> {
  const result = await runAwsCli(aws, credentialsOf(aws, who), [
    'sts',
    'assume-role',
    '--role-arn',
    jitRoleArn(role),
    '--role-session-name',
    `${who}-cli`,
    '--serial-number',
    identity(aws, who).mfaSerial,
    '--token-code',
    totpCode(aws, who),
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as AssumeRoleJson;
}

function issuedCredentials(out: AssumeRoleJson): TestCredentials {
  return {
    accessKeyId: out.Credentials.AccessKeyId,
    secretAccessKey: out.Credentials.SecretAccessKey,
    sessionToken: out.Credentials.SessionToken,
  };
}

describe('local AWS endpoint: AWS CLI 2.9', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws({ services: { monitoring: testListMetrics } });
  });
  afterEach(async () => aws.close());

  it('get-caller-identity for an IAM user and for a role session', async () => {
    const user = await runAwsCli(aws, credentialsOf(aws, 'admin'), ['sts', 'get-caller-identity']);
    assert.equal(user.code, 0, user.stderr);
    assert.equal((JSON.parse(user.stdout) as { Arn: string }).Arn, 'arn:aws:iam::111122223333:user/ada.admin');
    const sso = await runAwsCli(aws, credentialsOf(aws, 'sso'), ['sts', 'get-caller-identity']);
    assert.equal(sso.code, 0, sso.stderr);
    assert.match(
      (JSON.parse(sso.stdout) as { Arn: string }).Arn,
      /:assumed-role\/AWSReservedSSO_Developer_0123456789abcdef\/sam\.sso$/,
    );
  });

  it('assume-role with every parameter, then calls signed with the issued credentials', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['cloudwatch:ListMetrics'], Resource: '*' }],
    });
    const out = await cliAssume(aws, 'manager', 'InfraWatch-Manager', [
      '--duration-seconds',
      '7200',
      '--policy',
      policy,
      '--source-identity',
      'max.manager',
      '--tags',
      'Key=infrawatch:request,Value=abc1',
      'Key=infrawatch:service,Value=ec2',
    ]);
    assert.match(out.Credentials.AccessKeyId, /^ASIA/);
    assert.equal(out.AssumedRoleUser.Arn, 'arn:aws:sts::111122223333:assumed-role/InfraWatch-Manager/manager-cli');
    assert.equal(out.SourceIdentity, 'max.manager');
    assert.ok((out.PackedPolicySize ?? 0) > 0);
    const who = await runAwsCli(aws, issuedCredentials(out), ['sts', 'get-caller-identity']);
    assert.equal((JSON.parse(who.stdout) as { Arn: string }).Arn, out.AssumedRoleUser.Arn);
    const metrics = await runAwsCli(aws, issuedCredentials(out), ['cloudwatch', 'list-metrics']);
    assert.equal(metrics.code, 0, metrics.stderr);
    assert.equal(
      (JSON.parse(metrics.stdout) as { Metrics: { MetricName: string }[] }).Metrics[0]?.MetricName,
      'CPUUtilization',
    );
  });

  it('a session policy that does not allow cloudwatch:ListMetrics → AccessDenied (awsQuery)', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
    });
    const out = await cliAssume(aws, 'employee', 'InfraWatch-Employee', ['--policy', policy]);
    const denied = await runAwsCli(aws, issuedCredentials(out), ['cloudwatch', 'list-metrics']);
    assert.equal(cliErrorCode(denied), 'AccessDenied');
    assert.match(
      denied.stderr,
      /is not authorized to perform: cloudwatch:ListMetrics because no session policy allows/,
    );
  });

  it('a reused MFA code and a duration over MaxSessionDuration are refused', async () => {
    const code = totpCode(aws, 'employee');
    const args = [
      'sts',
      'assume-role',
      '--role-arn',
      jitRoleArn('InfraWatch-Employee'),
      '--role-session-name',
      'erin-cli',
      '--serial-number',
      identity(aws, 'employee').mfaSerial,
      '--token-code',
      code,
    ];
    assert.equal((await runAwsCli(aws, credentialsOf(aws, 'employee'), args)).code, 0);
    const reused = await runAwsCli(aws, credentialsOf(aws, 'employee'), args);
    assert.equal(cliErrorCode(reused), 'AccessDenied');
    assert.match(reused.stderr, /MultiFactorAuthentication failed with invalid MFA one time pass code\./);
    const tooLong = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      ...args.slice(0, -1),
      totpCode(aws, 'employee', aws.clock.now() + 30_000),
      '--duration-seconds',
      '7200',
    ]);
    assert.equal(cliErrorCode(tooLong), 'ValidationError');
  });

  it('wrong secret, unknown key, expired token and a skewed clock each fail with their code', async () => {
    const wrong = await runAwsCli(aws, { ...credentialsOf(aws, 'employee'), secretAccessKey: 'z'.repeat(40) }, [
      'sts',
      'get-caller-identity',
    ]);
    assert.equal(cliErrorCode(wrong), 'SignatureDoesNotMatch');
    const unknown = await runAwsCli(aws, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'z'.repeat(40) }, [
      'sts',
      'get-caller-identity',
    ]);
    assert.equal(cliErrorCode(unknown), 'InvalidClientTokenId');
    const issued = issuedCredentials(
      await cliAssume(aws, 'employee', 'InfraWatch-Employee', ['--duration-seconds', '900']),
    );
    aws.clock.advance(901_000);
    const expired = await runAwsCli(aws, issued, ['sts', 'get-caller-identity']);
    assert.equal(cliErrorCode(expired), 'ExpiredToken');
    aws.clock.advance(-901_000 + 16 * 60_000);
    const skewed = await runAwsCli(aws, credentialsOf(aws, 'employee'), ['cloudwatch', 'list-metrics']);
    assert.equal(cliErrorCode(skewed), 'SignatureDoesNotMatch');
    assert.match(
      skewed.stderr,
      /Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)/,
    );
  });
});

describe('local AWS endpoint: the standalone process (cli.ts)', function () {
  this.timeout(60_000);

  it('prints one JSON object first, serves, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'localaws/cli.ts', '--port', '0'], {
      cwd: `${__dirname}/../../..`,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(first) as {
      url: string;
      region: string;
      accountId: string;
      identities: { name: string; totpSeed: string; accessKeyId: string }[];
    };
    assert.equal(info.accountId, '111122223333');
    assert.equal(info.region, 'us-east-1');
    assert.deepEqual(
      info.identities.map((i) => i.name),
      ['employee', 'manager', 'admin', 'unassigned', 'sso'],
    );
    const totp = (await (await fetch(`${info.url}/_localaws/totp/employee`)).json()) as {
      code: string;
      serialNumber: string;
    };
    assert.match(totp.code, /^\d{6}$/);
    assert.equal(totp.serialNumber, 'arn:aws:iam::111122223333:mfa/erin.employee');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
