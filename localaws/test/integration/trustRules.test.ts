// AssumeRole trust evaluation and session tags through the real SDK (issue 10, 3b–3d): one test
// per rule, each against a role written for it. AWS pages behind the rules:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
import assert from 'node:assert/strict';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { startLocalAws, type LocalAws } from '../../server/server';
import {
  cloudWatchClient,
  credentialsOf,
  identity,
  stsClient,
  totpCode,
  type TestCredentials,
} from '../../testing/clients';
import type { PolicyDocument, PolicyStatement } from '../../server/types';

const account = '111122223333';
const root = `arn:aws:iam::${account}:root`;
const erinArn = `arn:aws:iam::${account}:user/erin.employee`;
const umaArn = `arn:aws:iam::${account}:user/uma.unassigned`;
const allThree = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];
const doc = (Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

function putRole(
  aws: LocalAws,
  name: string,
  trust: PolicyStatement[],
  permissions: PolicyStatement[] = [],
  tags?: Record<string, string>,
): string {
  const arn = `arn:aws:iam::${account}:role/${name}`;
  const roleId = `AROA${name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(17, 'X')}`;
  aws.state.roles.set(arn, {
    arn,
    name,
    roleId,
    maxSessionDuration: 3600,
    trustPolicy: doc(trust),
    permissions: permissions.length ? [doc(permissions)] : [],
    tags,
  });
  return arn;
}

function setIdentityPolicy(aws: LocalAws, who: string, statements: PolicyStatement[]): void {
  aws.state.credentials.get(identity(aws, who).accessKeyId)!.principal.permissions = [doc(statements)];
}

function trust(principal: string | string[], extra: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: 'Allow', Principal: { AWS: principal }, Action: allThree, ...extra };
}

async function assume(
  credentials: TestCredentials,
  aws: LocalAws,
  input: Omit<AssumeRoleCommandInput, 'RoleSessionName'> & { RoleSessionName?: string },
): Promise<TestCredentials> {
  const out = await stsClient(aws, credentials).send(new AssumeRoleCommand({ RoleSessionName: 's1', ...input }));
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

async function deniedFor(promise: Promise<unknown>, action: string): Promise<void> {
  await assert.rejects(promise, (e: Error & { Code?: string }) => {
    assert.equal(e.Code ?? e.name, 'AccessDenied', e.message);
    assert.match(e.message, new RegExp(`not authorized to perform: ${action} on resource`));
    return true;
  });
}

const listMetrics = (aws: LocalAws, credentials: TestCredentials) =>
  cloudWatchClient(aws, credentials).send(new ListMetricsCommand({}));

describe('local AWS endpoint: AssumeRole trust evaluation (3c)', function () {
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());

  it('trust names the account: the caller must also be allowed sts:TagSession when it passes tags', async () => {
    const role = putRole(aws, 'T-Account', [trust(root)]);
    setIdentityPolicy(aws, 'employee', [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role }]);
    await assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role });
    await deniedFor(
      assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, Tags: [{ Key: 'team', Value: 'platform' }] }),
      'sts:TagSession',
    );
  });

  it('trust names the account: the caller must also be allowed sts:SetSourceIdentity when it passes one', async () => {
    const role = putRole(aws, 'T-Account', [trust(root)]);
    setIdentityPolicy(aws, 'employee', [
      { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: role },
    ]);
    await deniedFor(
      assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, SourceIdentity: 'erin.employee' }),
      'sts:SetSourceIdentity',
    );
  });

  it('trust names the account: with all three allowed to the caller, tags and SourceIdentity pass', async () => {
    const role = putRole(aws, 'T-Account', [trust(root)]);
    setIdentityPolicy(aws, 'employee', [{ Effect: 'Allow', Action: allThree, Resource: role }]);
    await assume(credentialsOf(aws, 'employee'), aws, {
      RoleArn: role,
      SourceIdentity: 'erin.employee',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
  });

  it("trust names the account: no sts:AssumeRole in the caller's policy → AccessDenied", async () => {
    const role = putRole(aws, 'T-Account', [trust(root)]);
    await deniedFor(assume(credentialsOf(aws, 'unassigned'), aws, { RoleArn: role }), 'sts:AssumeRole');
  });

  it('trust names the user ARN (same account): the trust policy alone suffices', async () => {
    const role = putRole(aws, 'T-Direct', [trust(umaArn)]);
    setIdentityPolicy(aws, 'unassigned', []);
    await assume(credentialsOf(aws, 'unassigned'), aws, {
      RoleArn: role,
      SourceIdentity: 'uma',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
  });

  it("trust names the caller's role ARN: the caller's session policy still limits it; naming the session ARN does not", async () => {
    const sso = aws.state.credentials.get(identity(aws, 'sso').accessKeyId)!.principal;
    sso.permissions = [];
    const byRole = putRole(aws, 'T-ByRole', [trust(sso.roleArn!)]);
    await assume(credentialsOf(aws, 'sso'), aws, { RoleArn: byRole });
    sso.sessionPolicy = doc([{ Effect: 'Allow', Action: 'cloudwatch:*', Resource: '*' }]);
    await deniedFor(assume(credentialsOf(aws, 'sso'), aws, { RoleArn: byRole }), 'sts:AssumeRole');
    const bySession = putRole(aws, 'T-BySession', [trust(sso.arn)]);
    await assume(credentialsOf(aws, 'sso'), aws, { RoleArn: bySession });
  });

  it('an explicit Deny in the trust policy wins over an Allow', async () => {
    const role = putRole(aws, 'T-Deny', [
      trust(erinArn),
      { Effect: 'Deny', Principal: { AWS: root }, Action: 'sts:TagSession' },
    ]);
    await deniedFor(
      assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, Tags: [{ Key: 'k', Value: 'v' }] }),
      'sts:TagSession',
    );
  });
});

// Erin's own policy allows the three actions on every role, so these tests turn on the rule
// they name and not on how the trust policy names her (3c).
async function startWithErinAllowed(): Promise<LocalAws> {
  const aws = await startLocalAws();
  setIdentityPolicy(aws, 'employee', [{ Effect: 'Allow', Action: allThree, Resource: '*' }]);
  return aws;
}

describe('local AWS endpoint: aws:MultiFactorAuthPresent in trust evaluation (3b)', function () {
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startWithErinAllowed();
  });
  afterEach(async () => aws.close());

  it('long-term keys without MFA: the key is absent, so "Deny if Bool …false" does not match', async () => {
    const role = putRole(aws, 'T-Mfa', [
      trust(erinArn),
      {
        Effect: 'Deny',
        Principal: { AWS: erinArn },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ]);
    await assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role });
  });

  it('long-term keys without MFA: "Deny if Null …true" matches', async () => {
    const role = putRole(aws, 'T-Mfa', [
      trust(erinArn),
      {
        Effect: 'Deny',
        Principal: { AWS: erinArn },
        Action: 'sts:AssumeRole',
        Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ]);
    await deniedFor(assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role }), 'sts:AssumeRole');
  });

  it("aws:MultiFactorAuthAge: seconds since the MFA code on the session's calls; absent without MFA", async () => {
    const role = putRole(
      aws,
      'T-MfaAge',
      [trust(erinArn)],
      [
        {
          Effect: 'Allow',
          Action: 'cloudwatch:ListMetrics',
          Resource: '*',
          Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '1800' } },
        },
      ],
    );
    const withMfa = await assume(credentialsOf(aws, 'employee'), aws, {
      RoleArn: role,
      SerialNumber: identity(aws, 'employee').mfaSerial,
      TokenCode: totpCode(aws, 'employee'),
    });
    await listMetrics(aws, withMfa);
    const withoutMfa = await assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, RoleSessionName: 's2' });
    await assert.rejects(listMetrics(aws, withoutMfa), /not authorized to perform: cloudwatch:ListMetrics/);
    // 1,801 seconds on (moved on the session rather than the clock, which SigV4 would refuse).
    aws.state.credentials.get(withMfa.accessKeyId)!.principal.mfaAuthenticatedAt! -= 1801_000;
    await assert.rejects(listMetrics(aws, withMfa), /not authorized to perform: cloudwatch:ListMetrics/);
  });

  it('a role session without MFA carries "false": "Deny if Bool …false" matches it', async () => {
    const sso = aws.state.credentials.get(identity(aws, 'sso').accessKeyId)!.principal;
    const role = putRole(aws, 'T-Mfa', [
      trust(sso.roleArn!),
      {
        Effect: 'Deny',
        Principal: { AWS: sso.roleArn! },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ]);
    await deniedFor(assume(credentialsOf(aws, 'sso'), aws, { RoleArn: role }), 'sts:AssumeRole');
  });
});

describe('local AWS endpoint: session tags, SourceIdentity and transitive tags (3d)', function () {
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startWithErinAllowed();
  });
  afterEach(async () => aws.close());

  it("session tags become aws:PrincipalTag of the session, overriding the role's own tag of the same key (any case)", async () => {
    const role = putRole(
      aws,
      'T-Tags',
      [trust(erinArn)],
      [
        {
          Effect: 'Allow',
          Action: 'cloudwatch:ListMetrics',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform', 'aws:PrincipalTag/env': 'prod' } },
        },
      ],
      { team: 'ops', env: 'prod' },
    );
    const tagged = await assume(credentialsOf(aws, 'employee'), aws, {
      RoleArn: role,
      Tags: [{ Key: 'Team', Value: 'platform' }],
    });
    await listMetrics(aws, tagged);
    const untagged = await assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, RoleSessionName: 's2' });
    await assert.rejects(listMetrics(aws, untagged), /not authorized to perform: cloudwatch:ListMetrics/);
  });

  it('aws:TagKeys is absent when no tags are passed: "Null aws:TagKeys false" in the trust policy refuses an untagged request', async () => {
    const role = putRole(aws, 'T-NeedTags', [trust(erinArn, { Condition: { Null: { 'aws:TagKeys': 'false' } } })]);
    await deniedFor(assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role }), 'sts:AssumeRole');
    await assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, Tags: [{ Key: 'team', Value: 'platform' }] });
  });

  it('aws:RequestTag/<key> comes from the tags passed', async () => {
    const role = putRole(aws, 'T-ReqTag', [
      trust(erinArn, { Condition: { StringEquals: { 'aws:RequestTag/infrawatch:service': 'ec2' } } }),
    ]);
    await assume(credentialsOf(aws, 'employee'), aws, {
      RoleArn: role,
      Tags: [{ Key: 'infrawatch:service', Value: 'ec2' }],
    });
    await deniedFor(
      assume(credentialsOf(aws, 'employee'), aws, {
        RoleArn: role,
        Tags: [{ Key: 'infrawatch:service', Value: 'rds' }],
      }),
      'sts:AssumeRole',
    );
  });

  it("the caller's own policy sees aws:RequestTag when sts:TagSession is decided there", async () => {
    const role = putRole(aws, 'T-Account', [trust(root)]);
    setIdentityPolicy(aws, 'employee', [
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role },
      {
        Effect: 'Allow',
        Action: 'sts:TagSession',
        Resource: role,
        Condition: { StringEquals: { 'aws:RequestTag/infrawatch:service': 'ec2' } },
      },
    ]);
    await assume(credentialsOf(aws, 'employee'), aws, {
      RoleArn: role,
      Tags: [{ Key: 'infrawatch:service', Value: 'ec2' }],
    });
    await deniedFor(
      assume(credentialsOf(aws, 'employee'), aws, {
        RoleArn: role,
        Tags: [{ Key: 'infrawatch:service', Value: 'rds' }],
      }),
      'sts:TagSession',
    );
  });

  it("sts:SourceIdentity in the trust policy; aws:SourceIdentity on the session's later calls", async () => {
    const role = putRole(
      aws,
      'T-Source',
      [trust(erinArn, { Condition: { StringEquals: { 'sts:SourceIdentity': 'erin.employee' } } })],
      [
        {
          Effect: 'Allow',
          Action: 'cloudwatch:ListMetrics',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceIdentity': 'erin.employee' } },
        },
      ],
    );
    await deniedFor(
      assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, SourceIdentity: 'someone.else' }),
      'sts:AssumeRole',
    );
    await listMetrics(
      aws,
      await assume(credentialsOf(aws, 'employee'), aws, { RoleArn: role, SourceIdentity: 'erin.employee' }),
    );
  });

  function chain(): { first: string; second: string } {
    const first = putRole(
      aws,
      'T-First',
      [trust(erinArn, { Condition: { 'ForAllValues:StringEquals': { 'sts:TransitiveTagKeys': ['team'] } } })],
      [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }],
    );
    const second = putRole(
      aws,
      'T-Second',
      [trust(first, { Action: ['sts:AssumeRole', 'sts:TagSession'] })],
      [
        {
          Effect: 'Allow',
          Action: 'cloudwatch:ListMetrics',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } },
        },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Null: { 'aws:PrincipalTag/ticket': 'false' } } },
      ],
    );
    return { first, second };
  }

  it('transitive tags carry into a chained session; the others do not', async () => {
    const { first, second } = chain();
    const s1 = await assume(credentialsOf(aws, 'employee'), aws, {
      RoleArn: first,
      Tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'ticket', Value: 'T-1' },
      ],
      TransitiveTagKeys: ['team'],
    });
    const s2 = await assume(s1, aws, { RoleArn: second });
    await listMetrics(aws, s2);
  });

  it('sts:TransitiveTagKeys in the trust policy holds the keys set as transitive', async () => {
    const { first } = chain();
    await deniedFor(
      assume(credentialsOf(aws, 'employee'), aws, {
        RoleArn: first,
        Tags: [{ Key: 'ticket', Value: 'T-1' }],
        TransitiveTagKeys: ['ticket'],
      }),
      'sts:AssumeRole',
    );
  });

  it('a session tag with the same key as an inherited transitive tag fails', async () => {
    const { first, second } = chain();
    const s1 = await assume(credentialsOf(aws, 'employee'), aws, {
      RoleArn: first,
      Tags: [{ Key: 'team', Value: 'platform' }],
      TransitiveTagKeys: ['team'],
    });
    await assert.rejects(
      assume(s1, aws, { RoleArn: second, Tags: [{ Key: 'TEAM', Value: 'other' }] }),
      (e: Error & { Code?: string }) => {
        assert.notEqual(e.Code ?? e.name, 'AccessDenied', e.message);
        assert.match(e.message, /transitive/i);
        return true;
      },
    );
  });

  it('a transitive tag key must be one of the session tags passed', async () => {
    const { first } = chain();
    await assert.rejects(
      assume(credentialsOf(aws, 'employee'), aws, {
        RoleArn: first,
        Tags: [{ Key: 'ticket', Value: 'T-1' }],
        TransitiveTagKeys: ['team'],
      }),
      /transitive/i,
    );
  });
});
