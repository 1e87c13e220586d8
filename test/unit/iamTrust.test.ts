import * as assert from 'node:assert/strict';
import { buildIamTemplate, getIamTemplateWarnings } from '../../src/core/iam/template';
import { canAssume, demoAccount, grantsOf, permissionAllows, policyWith, roleByName, rolesOf, roundTrip, ssoSession, type TestCaller } from './iamKit';

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
        { service: 'rds', levels: ['write'], maxMinutes: 30, mfa: true, resources: ['arn:aws:rds:us-east-1:111122223333:db:orders-*'] },
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

  it('does not require MFA to assume, but keeps it on the grants that ask for it', () => {
    assert.equal(ops.AssumeRolePolicyDocument.Statement[0]?.Condition?.['Bool'], undefined);
    assert.equal(canAssume(ops.AssumeRolePolicyDocument, olga), true);
    const [ec2, rds] = grantsOf(ops);
    assert.equal(ec2?.Condition, undefined);
    assert.deepEqual(rds?.Condition, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    assert.deepEqual(rds?.Resource, 'arn:aws:rds:us-east-1:111122223333:db:orders-*');
  });

  it('lets a session without MFA use only the grants without MFA', () => {
    const orders = 'arn:aws:rds:us-east-1:111122223333:db:orders-prod';
    assert.equal(permissionAllows(ops, 'ec2:DescribeInstances', false), true);
    assert.equal(permissionAllows(ops, 'rds:RebootDBInstance', false, orders), false);
    assert.equal(permissionAllows(ops, 'rds:RebootDBInstance', true, orders), true);
    assert.equal(permissionAllows(ops, 'rds:RebootDBInstance', true, 'arn:aws:rds:us-east-1:111122223333:db:billing'), false);
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
    assert.equal(canAssume(dev.AssumeRolePolicyDocument, { arn: `arn:aws:iam::${acct}:user/uma`, mfa: true }), true);
    assert.equal(canAssume(dev.AssumeRolePolicyDocument, { arn: `arn:aws:iam::${acct}:user/ursula`, mfa: true }), false);
  });

  it('trusts a named role for an assumed-role glob, narrowed to it', () => {
    const ciRole = `arn:aws:iam::${acct}:role/CiRunner`;
    const statement = dev.AssumeRolePolicyDocument.Statement.find((s) => s.Principal?.AWS === ciRole);
    assert.ok(statement, JSON.stringify(dev.AssumeRolePolicyDocument));
    assert.deepEqual(statement.Condition?.['ArnLike'], { 'aws:PrincipalArn': ciRole });
    const ci: TestCaller = { arn: `arn:aws:sts::${acct}:assumed-role/CiRunner/build-7`, roleArn: ciRole, userId: 'AROACI:build-7', mfa: true };
    assert.equal(canAssume(dev.AssumeRolePolicyDocument, ci), true);
  });

  it('checks the session name of a session glob through aws:userid', () => {
    assert.equal(canAssume(lead.AssumeRolePolicyDocument, ssoSession('Lead', 'lena@example.com')), true);
    assert.equal(canAssume(lead.AssumeRolePolicyDocument, ssoSession('Lead', 'luke@example.com')), false);
  });

  it('trusts user globs through the account, with aws:PrincipalArn', () => {
    assert.equal(canAssume(dev.AssumeRolePolicyDocument, { arn: `arn:aws:iam::${acct}:user/contractors/cora`, mfa: true }), true);
    assert.equal(canAssume(dev.AssumeRolePolicyDocument, { arn: `arn:aws:iam::${acct}:user/staff/cora`, mfa: true }), false);
  });

  it('leaves out principals of other accounts, and roles nobody holds, with a warning', () => {
    assert.ok(!JSON.stringify(dev).includes('444455556666'));
    assert.ok(!rolesOf(template).some((r) => r.Properties.RoleName === 'InfraWatch-Nobody'));
    const warnings = getIamTemplateWarnings(policy, acct);
    assert.ok(warnings.some((w) => w.includes('"Nobody"') && w.includes('left out')), warnings.join('\n'));
  });

  it('gives an inheriting role the inherited grants, but not the inherited principals', () => {
    assert.deepEqual(grantsOf(lead).map((s) => s.Sid), ['LambdaRead', 'LambdaWrite']);
    assert.equal(lead.MaxSessionDuration, 7200);
    assert.equal(canAssume(lead.AssumeRolePolicyDocument, { arn: `arn:aws:iam::${acct}:user/uma`, mfa: true }), false);
  });
});
