// The IAM kit follows the grant's MFA per kind of identity: IAM users must bring MFA
// (aws:MultiFactorAuthPresent "true", from their TOTP code at AssumeRole); Identity Center and
// SAML sessions cannot (their aws:MultiFactorAuthPresent is "false": a role session has no MFA
// device), so for them the kit checks nothing about MFA and trusts the sign-in.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
import * as assert from 'node:assert/strict';
import { buildIamTemplate } from '../../src/core/iam/template';
import {
  canAssume,
  demoAccount,
  demoPolicyText,
  erin,
  grantsOf,
  parseOk,
  permissionAllows,
  policyWith,
  roleByName,
  roundTrip,
  ssoSession,
  tagsFor,
  type TestCaller,
} from './iamKit';

const acct = demoAccount;
const samlSession = (mfa: boolean): TestCaller => ({
  arn: `arn:aws:sts::${acct}:assumed-role/OktaDevelopers/ada@example.com`,
  roleArn: `arn:aws:iam::${acct}:role/OktaDevelopers`,
  userId: 'AROAEXAMPLESAML:ada@example.com',
  mfa,
});

describe('IAM kit: MFA per kind of identity (demo policy)', () => {
  const employee = roleByName(roundTrip(buildIamTemplate(parseOk(demoPolicyText), acct)), 'InfraWatch-Employee');
  // A real Identity Center session: MFA was the sign-in, so aws:MultiFactorAuthPresent is "false".
  const sam = ssoSession('Developer', 'sam.sso', false);
  const rdsRead = tagsFor('rds', 'read', { reason: true });

  it("lets the demo's Identity Center session assume Employee without an MFA code", () => {
    assert.equal(canAssume(employee, { ...sam, tags: rdsRead }), true);
    assert.equal(canAssume(employee, { ...sam, tags: tagsFor('ec2', 'read') }), true);
  });

  it('still refuses an IAM user without MFA, and lets one with MFA in', () => {
    assert.equal(canAssume(employee, { ...erin, mfa: false, tags: rdsRead }), false);
    assert.equal(canAssume(employee, { ...erin, mfa: true, tags: rdsRead }), true);
  });

  it("gives the Identity Center session its grant's permissions without MFA", () => {
    assert.equal(permissionAllows(employee, 'rds:DescribeDBInstances', { mfa: false, tags: rdsRead }), true);
    assert.equal(
      permissionAllows(employee, 'ec2:DescribeInstances', { mfa: false, tags: rdsRead }),
      false,
      'only the grant its tags name',
    );
  });

  it("keeps the MFA age limit for MFA sessions only (IfExists), and puts MFA in the IAM users' trust statement only", () => {
    for (const statement of grantsOf(employee)) assert.equal(statement.Condition?.['Bool'], undefined, statement.Sid);
    const who = employee.AssumeRolePolicyDocument.Statement.filter((s) => s.Effect === 'Allow');
    const users = who.find((s) => JSON.stringify(s.Principal).includes(':user/'));
    const glob = who.find((s) => JSON.stringify(s.Condition).includes('AWSReservedSSO_'));
    assert.deepEqual(users?.Condition?.['Bool'], { 'aws:MultiFactorAuthPresent': 'true' });
    assert.ok(glob, 'a statement for the Identity Center glob');
    assert.equal(glob.Condition?.['Bool'], undefined);
  });
});

describe('IAM kit: MFA per kind, mixed grants', () => {
  const policy = policyWith(
    {
      Ops: {
        roleArns: { [acct]: `arn:aws:iam::${acct}:role/InfraWatch-Ops` },
        grants: [
          { service: 'ec2', levels: ['read'], maxMinutes: 90, mfa: false },
          {
            service: 'rds',
            levels: ['write'],
            maxMinutes: 30,
            mfa: { iamUser: 'totp', identityCenter: 'signIn', saml: 'signIn' },
          },
        ],
      },
    },
    [
      { principal: `arn:aws:iam::${acct}:user/olga`, role: 'Ops' },
      { principal: `arn:aws:sts::${acct}:assumed-role/AWSReservedSSO_Ops_*/*`, role: 'Ops' },
      { principal: `arn:aws:sts::${acct}:assumed-role/OktaDevelopers/*`, role: 'Ops' },
    ],
  );
  const ops = roleByName(roundTrip(buildIamTemplate(policy, acct)), 'InfraWatch-Ops');
  const olga: TestCaller = { arn: `arn:aws:iam::${acct}:user/olga`, mfa: false };

  it('refuses the MFA grant to an IAM user without MFA, but not to Identity Center or SAML sessions', () => {
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('rds', 'write') }), false);
    assert.equal(canAssume(ops, { ...olga, mfa: true, tags: tagsFor('rds', 'write') }), true);
    assert.equal(canAssume(ops, { ...ssoSession('Ops', 'sam', false), tags: tagsFor('rds', 'write') }), true);
    assert.equal(canAssume(ops, { ...samlSession(false), tags: tagsFor('rds', 'write') }), true);
    assert.equal(canAssume(ops, { ...olga, tags: tagsFor('ec2', 'read') }), true);
  });

  it('a role trusting only IAM users keeps MFA on the permissions', () => {
    const usersOnly = policyWith(
      {
        Ops: {
          roleArns: { [acct]: `arn:aws:iam::${acct}:role/InfraWatch-Ops` },
          grants: [
            { service: 'rds', levels: ['write'], maxMinutes: 30 },
            { service: 'ec2', levels: ['read'], maxMinutes: 90, mfa: false },
          ],
        },
      },
      [{ principal: `arn:aws:iam::${acct}:user/olga`, role: 'Ops' }],
    );
    const role = roleByName(roundTrip(buildIamTemplate(usersOnly, acct)), 'InfraWatch-Ops');
    const rds = grantsOf(role).find((s) => s.Sid === 'RdsWrite');
    assert.deepEqual(rds?.Condition?.['Bool'], { 'aws:MultiFactorAuthPresent': 'true' });
    assert.deepEqual(rds?.Condition?.['NumericLessThan'], { 'aws:MultiFactorAuthAge': '1800' });
  });

  it('a role that also trusts sessions checks the MFA age only where MFA was used', () => {
    const rds = grantsOf(ops).find((s) => s.Sid === 'RdsWrite');
    assert.equal(rds?.Condition?.['Bool'], undefined);
    assert.deepEqual(rds?.Condition?.['NumericLessThanIfExists'], { 'aws:MultiFactorAuthAge': '1800' });
    assert.equal(
      permissionAllows(ops, 'rds:RebootDBInstance', { mfa: true, mfaAgeSeconds: 1900, tags: tagsFor('rds', 'write') }),
      false,
      'an MFA session past the grant',
    );
    assert.equal(
      permissionAllows(ops, 'rds:RebootDBInstance', { mfa: false, tags: tagsFor('rds', 'write') }),
      true,
      'an Identity Center session',
    );
  });
});
