import * as assert from 'node:assert/strict';
import { buildIamTemplate, getIamTemplateWarnings, getPolicySize, trustPolicyLimit } from '../../src/core/iam/template';
import {
  canAssume,
  demoAccount,
  grantsOf,
  permissionAllows,
  policyWith,
  roleByName,
  rolesOf,
  roundTrip,
  ssoSession,
  tagsFor,
  type TestCaller,
} from './iamKit';

const acct = demoAccount;
const role = (name: string, grants: unknown[], extra: Record<string, unknown> = {}) => ({
  roleArns: { [acct]: `arn:aws:iam::${acct}:role/${name}` },
  grants,
  ...extra,
});

describe('IAM kit: mixed MFA', () => {
  const policy = policyWith(
    {
      Ops: role('ops/jit/InfraWatch-Ops', [
        { service: 'ec2', levels: ['read'], maxMinutes: 90, mfa: false },
        {
          service: 'rds',
          levels: ['write'],
          maxMinutes: 30,
          mfa: true,
          resources: ['arn:aws:rds:us-east-1:111122223333:db:orders-*'],
        },
      ]),
    },
    [{ principal: `arn:aws:iam::${acct}:user/olga`, role: 'Ops' }],
  );
  const ops = roleByName(roundTrip(buildIamTemplate(policy, acct)), 'InfraWatch-Ops');
  const olga: TestCaller = { arn: `arn:aws:iam::${acct}:user/olga`, mfa: false };

  it('takes RoleName and Path from the ARN and MaxSessionDuration from the longest grant', () => {
    assert.equal(ops.Path, '/ops/jit/');
    assert.equal(ops.MaxSessionDuration, 5400);
  });

  it("does not require MFA to assume, but refuses the MFA grant without it and keeps it on that grant's permissions", () => {
    assert.equal(ops.AssumeRolePolicyDocument.Statement[0]?.Condition?.['Bool'], undefined);
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('ec2', 'read') }), true);
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('rds', 'write') }), false, 'RDS write needs MFA');
    assert.equal(canAssume(ops, { ...olga, mfa: true, tags: tagsFor('rds', 'write') }), true);
    const deny = ops.AssumeRolePolicyDocument.Statement.find((s) => s.Sid === 'DenyWithoutMfa');
    assert.deepEqual(
      deny?.Condition?.['BoolIfExists'],
      { 'aws:MultiFactorAuthPresent': 'false' },
      'absent for access keys, so IfExists',
    );
    const [ec2, rds] = grantsOf(ops);
    assert.equal(ec2?.Condition?.['Bool'], undefined);
    assert.deepEqual(rds?.Condition?.['Bool'], { 'aws:MultiFactorAuthPresent': 'true' });
    // Scoped: the level on *, its resource-scoped actions denied except on the patterns (sts/sessionPolicy.ts).
    const rdsDeny = grantsOf(ops).find((s) => s.Sid?.startsWith('RdsWrite') && s.Effect === 'Deny');
    assert.deepEqual(rdsDeny?.NotResource, 'arn:aws:rds:us-east-1:111122223333:db:orders-*');
    assert.deepEqual(rdsDeny?.Condition?.['Bool'], { 'aws:MultiFactorAuthPresent': 'true' });
  });

  it('lets a session without MFA use only the grants without MFA', () => {
    const orders = 'arn:aws:rds:us-east-1:111122223333:db:orders-prod';
    const rdsWrite = tagsFor('rds', 'write');
    assert.equal(permissionAllows(ops, 'ec2:DescribeInstances', { mfa: false, tags: tagsFor('ec2', 'read') }), true);
    assert.equal(permissionAllows(ops, 'rds:RebootDBInstance', { mfa: false, tags: rdsWrite }, orders), false);
    assert.equal(permissionAllows(ops, 'rds:RebootDBInstance', { mfa: true, tags: rdsWrite }, orders), true);
    assert.equal(
      permissionAllows(
        ops,
        'rds:RebootDBInstance',
        { mfa: true, tags: rdsWrite },
        'arn:aws:rds:us-east-1:111122223333:db:billing',
      ),
      false,
    );
  });

  it('ends the 30-minute RDS write after 30 minutes of a 90-minute role, through aws:MultiFactorAuthAge', () => {
    const [, rds] = grantsOf(ops);
    assert.deepEqual(rds?.Condition?.['NumericLessThan'], { 'aws:MultiFactorAuthAge': '1800' });
  });
});

describe('IAM kit: reason and ticket', () => {
  const policy = policyWith(
    {
      Ops: role('InfraWatch-Ops', [
        { service: 'sqs', levels: ['read'], mfa: false },
        { service: 'ec2', levels: ['write'], mfa: false, reason: true, ticket: true },
      ]),
    },
    [{ principal: `arn:aws:iam::${acct}:user/olga`, role: 'Ops' }],
  );
  const ops = roleByName(roundTrip(buildIamTemplate(policy, acct)), 'InfraWatch-Ops');
  const olga: TestCaller = { arn: `arn:aws:iam::${acct}:user/olga`, mfa: false };

  it('requires the reason and ticket tags for the grant that requires them, and only there', () => {
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('sqs', 'read') }), true);
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('ec2', 'write', { reason: true }) }), false, 'no ticket');
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('ec2', 'write', { ticket: true }) }), false, 'no reason');
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('ec2', 'write', { reason: true, ticket: true }) }), true);
    assert.equal(permissionAllows(ops, 'ec2:StopInstances', { mfa: false, tags: tagsFor('ec2', 'write') }), false);
    assert.equal(
      permissionAllows(ops, 'ec2:StopInstances', {
        mfa: false,
        tags: tagsFor('ec2', 'write', { reason: true, ticket: true }),
      }),
      true,
    );
  });
});

describe('IAM kit: principals in the trust policy', () => {
  const policy = policyWith(
    {
      Dev: role('InfraWatch-Dev', [{ service: 'lambda', levels: ['read'] }]),
      Lead: role('InfraWatch-Lead', [{ service: 'lambda', levels: ['write'], maxMinutes: 120 }], { inherits: 'Dev' }),
      Nobody: role('InfraWatch-Nobody', [{ service: 's3', levels: ['read'] }]),
    },
    [
      { userName: 'uma', role: 'Dev' },
      { principal: `arn:aws:sts::${acct}:assumed-role/AWSReservedSSO_Lead_*/lena@example.com`, role: 'Lead' },
      { principal: `arn:aws:sts::${acct}:assumed-role/CiRunner/*`, role: 'Dev' },
      { principal: `arn:aws:iam::${acct}:user/contractors/*`, role: 'Dev' },
      { principal: 'arn:aws:iam::444455556666:user/elsewhere', role: 'Dev' },
    ],
  );
  const template = roundTrip(buildIamTemplate(policy, acct));
  const dev = roleByName(template, 'InfraWatch-Dev');
  const lead = roleByName(template, 'InfraWatch-Lead');

  it('maps a user name to the user ARN in the account', () => {
    assert.equal(canAssume(dev, { arn: `arn:aws:iam::${acct}:user/uma`, mfa: true }), true);
    assert.equal(canAssume(dev, { arn: `arn:aws:iam::${acct}:user/ursula`, mfa: true }), false);
  });

  it('trusts a named role for an assumed-role glob, narrowed to it', () => {
    const ciRole = `arn:aws:iam::${acct}:role/CiRunner`;
    const statement = dev.AssumeRolePolicyDocument.Statement.find((s) => s.Principal?.AWS === ciRole);
    assert.ok(statement, JSON.stringify(dev.AssumeRolePolicyDocument));
    assert.deepEqual(statement.Condition?.['ArnLike'], { 'aws:PrincipalArn': ciRole });
    const ci: TestCaller = {
      arn: `arn:aws:sts::${acct}:assumed-role/CiRunner/build-7`,
      roleArn: ciRole,
      userId: 'AROACI:build-7',
      mfa: true,
    };
    assert.equal(canAssume(dev, ci), true);
  });

  it('checks the session name of a session glob through aws:userid', () => {
    assert.equal(canAssume(lead, ssoSession('Lead', 'lena@example.com')), true);
    assert.equal(canAssume(lead, ssoSession('Lead', 'luke@example.com')), false);
    // A fixed session name is also the only SourceIdentity that session may set.
    assert.equal(
      canAssume(lead, { ...ssoSession('Lead', 'lena@example.com'), sourceIdentity: 'luke@example.com' }),
      false,
    );
  });

  it('trusts user globs through the account, with aws:PrincipalArn', () => {
    assert.equal(canAssume(dev, { arn: `arn:aws:iam::${acct}:user/contractors/cora`, mfa: true }), true);
    assert.equal(canAssume(dev, { arn: `arn:aws:iam::${acct}:user/staff/cora`, mfa: true }), false);
  });

  it('leaves out principals of other accounts, and roles nobody holds, with a warning', () => {
    assert.ok(!JSON.stringify(dev).includes('444455556666'));
    assert.ok(!rolesOf(template).some((r) => r.Properties.RoleName === 'InfraWatch-Nobody'));
    const warnings = getIamTemplateWarnings(policy, acct);
    assert.ok(
      warnings.some((w) => w.includes('"Nobody"') && w.includes('left out')),
      warnings.join('\n'),
    );
  });

  it('gives an inheriting role the inherited grants, but not the inherited principals', () => {
    assert.deepEqual(
      grantsOf(lead).map((s) => s.Sid),
      ['LambdaRead', 'LambdaWrite'],
    );
    assert.equal(lead.MaxSessionDuration, 7200);
    assert.equal(canAssume(lead, { arn: `arn:aws:iam::${acct}:user/uma`, mfa: true }), false);
  });
});

describe('IAM kit: a trust policy over 2,048 characters', () => {
  const users = Array.from({ length: 2 }, (_, i) => ({
    principal: `arn:aws:sts::${acct}:assumed-role/AWSReservedSSO_Team${i}_*/*`,
    role: 'Big',
  }));
  const policy = policyWith(
    {
      Big: role('InfraWatch-Big', [
        { service: 'ec2', levels: ['read'], mfa: false },
        { service: 'rds', levels: ['read', 'write'], mfa: true, reason: true },
        { service: 'lambda', levels: ['write'], mfa: false, ticket: true },
        { service: 'sqs', levels: ['admin'], mfa: true },
      ]),
    },
    users,
  );
  const big = roleByName(roundTrip(buildIamTemplate(policy, acct)), 'InfraWatch-Big');

  it('leaves out the MFA / reason / ticket Denies (the permissions still require them) and says so', () => {
    const trust = big.AssumeRolePolicyDocument;
    assert.ok(getPolicySize(trust) <= trustPolicyLimit, String(getPolicySize(trust)));
    assert.ok(trust.Statement.some((s) => s.Sid === 'DenyOtherServices'));
    assert.ok(!trust.Statement.some((s) => s.Sid?.startsWith('DenyWithout')));
    const warnings = getIamTemplateWarnings(policy, acct);
    assert.ok(
      warnings.some((w) => w.includes('"Big"') && w.includes('leaves out its MFA, reason and ticket checks')),
      warnings.join('\n'),
    );
    // Only Identity Center sessions hold Big: none can bring MFA, so it is their sign-in's.
    assert.equal(
      permissionAllows(big, 'rds:DescribeDBInstances', { mfa: false, tags: tagsFor('rds', 'read', { reason: true }) }),
      true,
    );
    assert.equal(
      permissionAllows(big, 'rds:DescribeDBInstances', { mfa: false, tags: tagsFor('rds', 'read') }),
      false,
      'no reason',
    );
    assert.equal(
      permissionAllows(big, 'lambda:UpdateFunctionConfiguration', { mfa: false, tags: tagsFor('lambda', 'write') }),
      false,
      'no ticket',
    );
  });
});
