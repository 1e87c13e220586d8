// Bypassing InfraWatch gains nothing: with the IAM kit's roles for the demo policy loaded
// into the local endpoint, the AWS CLI on PATH (v1) and Debian's /usr/bin/aws (2.9) call
// `aws sts assume-role` directly, as someone holding erin's base keys would. Without the
// tags InfraWatch sends, with tags naming another role's service or a level the role lacks,
// without MFA, or with another person's source identity, AssumeRole is refused; with
// InfraWatch's own tags the session gets exactly that grant, even without a session policy.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildIamTemplate } from '../../src/core/iam/template';
import { parsePolicy } from '../../src/core/policy/parse';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { credentialsOf, identity, totpCode, type TestCredentials } from '../../localaws/testing/clients';
import { demoPolicyPath } from './world';

const account = '111122223333';
const role = `arn:aws:iam::${account}:role/InfraWatch-Employee`;

interface Cli {
  name: string;
  file: string | undefined;
}

function findAwsOnPath(): string | undefined {
  try {
    return execFileSync('/bin/sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const clis: Cli[] = [
  { name: 'aws on PATH (v1)', file: findAwsOnPath() },
  { name: 'Debian /usr/bin/aws (2.9)', file: '/usr/bin/aws' },
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** One CLI command with only these credentials: no config or credential files, no retries. */
function run(cli: string, aws: LocalAws, credentials: TestCredentials, args: string[]): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_DEFAULT_REGION: aws.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
  return new Promise((resolve) => {
    execFile(
      cli,
      [...args, '--endpoint-url', aws.url, '--output', 'json'],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Never the credentials: a failure message must not carry secrets. */
const assumedArn = (r: Run): string => /"Arn": "([^"]+)"/.exec(r.stdout)?.[1] ?? '(no ARN)';
const errorCode = (r: Run): string | undefined => /An error occurred \(([^)]+)\)/.exec(r.stderr)?.[1];

/** The tags InfraWatch sends for Employee RDS read (a reason is required there). */
const rdsReadTags = [
  'Key=infrawatch:request-id,Value=0a1b2c3d4e',
  'Key=infrawatch:service,Value=rds',
  'Key=infrawatch:level,Value=read',
  'Key=infrawatch:reason,Value=incident 42',
];

interface Attempt {
  tags?: string[];
  mfa?: boolean;
  sourceIdentity?: string;
  policy?: string;
}

for (const cli of clis) {
  describe(`bypass: ${cli.name} calls assume-role on a kit-generated role directly`, function () {
    this.timeout(180_000);
    let aws: LocalAws;
    const erin = () => credentialsOf(aws, 'employee');

    before(async function () {
      if (!cli.file) this.skip();
      const parsed = parsePolicy(readFileSync(demoPolicyPath, 'utf8'));
      if (!parsed.ok) throw new Error('the demo policy does not parse');
      aws = await startLocalAws({ port: 0, roles: { template: buildIamTemplate(parsed.policy, account) } });
    });
    after(async () => aws?.close());

    /** assume-role as erin; each MFA code is taken once, so the clock moves to the next one. */
    async function assume(attempt: Attempt): Promise<Run> {
      const args = [
        'sts',
        'assume-role',
        '--role-arn',
        role,
        '--role-session-name',
        'erin.employee@0a1b2c3d4e',
        '--duration-seconds',
        '900',
      ];
      if (attempt.mfa ?? true) {
        aws.clock.advance(30_000);
        args.push('--serial-number', identity(aws, 'employee').mfaSerial, '--token-code', totpCode(aws, 'employee'));
      }
      const source = attempt.sourceIdentity === undefined ? 'erin.employee' : attempt.sourceIdentity;
      if (source !== '') args.push('--source-identity', source);
      if (attempt.tags && attempt.tags.length > 0) args.push('--tags', ...attempt.tags);
      if (attempt.policy) args.push('--policy', attempt.policy);
      return run(cli.file!, aws, erin(), args);
    }

    async function assertDenied(attempt: Attempt, why: string): Promise<void> {
      const result = await assume(attempt);
      assert.notEqual(result.code, 0, `${why}: AssumeRole succeeded as ${assumedArn(result)}`);
      assert.equal(errorCode(result), 'AccessDenied', `${why}: ${result.stderr}`);
    }

    it('refuses AssumeRole without the InfraWatch tags', async () => {
      await assertDenied({ tags: [] }, 'no tags');
      await assertDenied({ tags: rdsReadTags.filter((t) => !t.includes('request-id')) }, 'no request id');
    });

    it("refuses tags naming another role's service or a level the role lacks", async () => {
      await assertDenied(
        { tags: rdsReadTags.map((t) => t.replace('Value=rds', 'Value=dynamodb')) },
        'DynamoDB is a Manager grant',
      );
      await assertDenied(
        { tags: rdsReadTags.map((t) => t.replace('Value=read', 'Value=write')) },
        'Employee has no RDS write',
      );
      await assertDenied({ tags: [...rdsReadTags, 'Key=team,Value=ops'] }, 'a tag key InfraWatch never sends');
    });

    it('refuses a grant without its MFA, its reason, or with another person as source identity', async () => {
      await assertDenied({ tags: rdsReadTags, mfa: false }, 'no MFA');
      await assertDenied({ tags: rdsReadTags.filter((t) => !t.includes('reason')) }, 'RDS read requires a reason');
      await assertDenied({ tags: rdsReadTags, sourceIdentity: 'max.manager' }, 'another person');
      await assertDenied({ tags: rdsReadTags, sourceIdentity: '' }, 'no source identity');
    });

    it("with InfraWatch's tags and no session policy, gives exactly the grant", async () => {
      const result = await assume({ tags: rdsReadTags });
      assert.equal(result.code, 0, result.stderr);
      const out = JSON.parse(result.stdout) as {
        Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      };
      const session = {
        accessKeyId: out.Credentials.AccessKeyId,
        secretAccessKey: out.Credentials.SecretAccessKey,
        sessionToken: out.Credentials.SessionToken,
      };
      const rds = await run(cli.file!, aws, session, ['rds', 'describe-db-instances']);
      assert.equal(rds.code, 0, `RDS read is the grant: ${rds.stderr}`);
      const rdsWrite = await run(cli.file!, aws, session, [
        'rds',
        'reboot-db-instance',
        '--db-instance-identifier',
        'orders-db',
      ]);
      assert.match(errorCode(rdsWrite) ?? '', /AccessDenied/, `RDS write is not: ${rdsWrite.stderr}`);
      const ec2 = await run(cli.file!, aws, session, ['ec2', 'describe-instances']);
      assert.match(
        errorCode(ec2) ?? '',
        /UnauthorizedOperation|AccessDenied/,
        `EC2 is another grant of the same role: ${ec2.stderr}`,
      );
      const lambda = await run(cli.file!, aws, session, ['lambda', 'list-functions']);
      assert.match(
        errorCode(lambda) ?? '',
        /AccessDenied/,
        `Lambda is another grant of the same role: ${lambda.stderr}`,
      );
    });
  });
}
