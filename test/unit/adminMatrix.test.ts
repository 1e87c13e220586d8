import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildPermissionMatrix, getPermissionCell } from '../../src/core/admin/permissionMatrix';
import { simulatePrincipal } from '../../src/core/admin/simulatePrincipal';
import { resolveAccess } from '../../src/core/policy/assign';
import { parsePolicy } from '../../src/core/policy/parse';
import { type AccessPolicy } from '../../src/core/policy/schema';

function load(text: string): AccessPolicy {
  const result = parsePolicy(text);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.policy;
}
const demo = (): AccessPolicy => load(readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));
const acct = '111122223333';

describe('admin: permission matrix', () => {
  const matrix = buildPermissionMatrix(demo());

  it('lists every role with its chain and admin flag', () => {
    assert.deepEqual(
      matrix.roles.map((r) => [r.name, r.admin, r.chain]),
      [
        ['Employee', false, ['Employee']],
        ['Manager', false, ['Manager', 'Employee']],
        ['Admin', true, ['Admin', 'Manager', 'Employee']],
      ],
    );
    assert.deepEqual(matrix.roles[0]!.accounts, [acct]);
  });

  it('has the duration caps and MFA, reason and ticket requirements of each cell', () => {
    assert.deepEqual(getPermissionCell(matrix, 'Employee', 'rds', 'read'), {
      role: 'Employee',
      service: 'rds',
      level: 'read',
      resources: ['*'],
      maxMinutes: 60,
      defaultMinutes: 30,
      mfa: true,
      mfaBy: { iamUser: 'totp', identityCenter: 'signIn', saml: 'signIn' },
      reason: true,
      ticket: false,
      inherited: false,
      fromRole: 'Employee',
    });
    assert.equal(getPermissionCell(matrix, 'Employee', 'rds', 'write'), undefined);
    assert.equal(getPermissionCell(matrix, 'Employee', 's3', 'read'), undefined);
    assert.equal(matrix.rows.filter((r) => r.role === 'Employee').length, 4);
  });

  it('marks inherited grants and the role they come from; an own grant overrides', () => {
    const inherited = getPermissionCell(matrix, 'Admin', 'rds', 'read');
    assert.equal(inherited?.inherited, true);
    assert.equal(inherited?.fromRole, 'Employee');
    assert.equal(inherited?.defaultMinutes, 30);
    const fromManager = getPermissionCell(matrix, 'Admin', 'ecs', 'write');
    assert.deepEqual([fromManager?.inherited, fromManager?.fromRole, fromManager?.maxMinutes], [true, 'Manager', 240]);
    const own = getPermissionCell(matrix, 'Admin', 'ec2', 'admin');
    assert.deepEqual([own?.inherited, own?.fromRole, own?.maxMinutes], [false, 'Admin', 720]);
    // Admin: 9 services × 3 levels, except what no role in its chain grants (sqs write, alb read via Manager…)
    const adminRows = matrix.rows.filter((r) => r.role === 'Admin');
    assert.equal(new Set(adminRows.map((r) => `${r.service}:${r.level}`)).size, adminRows.length);
    assert.ok(!adminRows.some((r) => r.service === 'sqs' && r.level === 'write'));
  });

  it('says when MFA is required only by default (the policy does not set "mfa")', () => {
    // Employee's rds read says "mfa": true; its ec2 read says nothing.
    assert.equal(getPermissionCell(matrix, 'Employee', 'rds', 'read')?.mfaDefault, undefined);
    const ec2 = getPermissionCell(matrix, 'Employee', 'ec2', 'read');
    assert.equal(ec2?.mfa, true);
    assert.equal(ec2?.mfaDefault, true);
    const off = load(
      readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8').replace(
        '"maxMinutes": 60 },',
        '"maxMinutes": 60, "mfa": false },',
      ),
    );
    const cell = getPermissionCell(buildPermissionMatrix(off), 'Employee', 'ec2', 'read');
    assert.equal(cell?.mfa, false);
    assert.equal(cell?.mfaDefault, undefined);
  });
});

describe('admin: principal simulation', () => {
  const policy = demo();

  it('resolves like the extension does, for users, user names and SSO globs', () => {
    const erin = simulatePrincipal(policy, ` arn:aws:iam::${acct}:user/erin.employee `);
    assert.ok(erin.valid);
    assert.equal(erin.arn, `arn:aws:iam::${acct}:user/erin.employee`);
    assert.deepEqual(erin.access, resolveAccess(policy, { arn: erin.arn, account: acct }));
    assert.equal(erin.access?.role, 'Employee');
    assert.equal(erin.grants.length, 4);
    assert.equal(erin.admin, false);
    assert.match(
      erin.explanation,
      /Assignment #1 of 4 matches by its exact ARN: role Employee\. 4 grants over 4 services\./,
    );

    const max = simulatePrincipal(policy, `arn:aws:iam::${acct}:user/teams/MAX.Manager`);
    assert.ok(max.valid);
    assert.equal(max.resolution?.matchedBy, 'userName');
    assert.equal(max.access?.role, 'Manager');

    const sso = simulatePrincipal(
      policy,
      `arn:aws:sts::${acct}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/sam`,
    );
    assert.ok(sso.valid);
    assert.equal(sso.resolution?.matchedBy, 'glob');
    assert.match(sso.explanation, /by glob arn:aws:sts::111122223333:assumed-role\/AWSReservedSSO_Developer_\*\/\*/);

    const ada = simulatePrincipal(policy, `arn:aws:iam::${acct}:user/ada.admin`);
    assert.ok(ada.valid && ada.admin);
    assert.match(ada.explanation, /admin panel allowed/);
  });

  it('explains an unassigned principal and an unlisted account', () => {
    const nobody = simulatePrincipal(policy, `arn:aws:iam::${acct}:user/nobody`);
    assert.ok(nobody.valid);
    assert.equal(nobody.access, undefined);
    assert.deepEqual(nobody.grants, []);
    assert.match(nobody.explanation, /No assignment matches this ARN \(4 checked/);

    const anyAccount = load(
      JSON.stringify({
        ...policy,
        assignments: [
          ...policy.assignments,
          { principal: 'arn:aws:sts::*:assumed-role/Contractor/*', role: 'Employee' },
        ],
      }),
    );
    const elsewhere = simulatePrincipal(anyAccount, 'arn:aws:sts::999988887777:assumed-role/Contractor/sam');
    assert.ok(elsewhere.valid);
    assert.equal(elsewhere.resolution?.role, 'Employee');
    assert.equal(elsewhere.access, undefined);
    assert.match(
      elsewhere.explanation,
      /account 999988887777 is not one of the policy's accounts \(111122223333\), so nothing is granted/,
    );
  });

  it('warns when the role has no IAM role in the account', () => {
    const twoAccounts = load(
      JSON.stringify({
        ...policy,
        accounts: [...policy.accounts, { id: '444455556666', name: 'other', region: 'us-east-1' }],
        assignments: [{ principal: 'arn:aws:sts::*:assumed-role/Contractor/*', role: 'Employee' }],
      }),
    );
    const result = simulatePrincipal(twoAccounts, 'arn:aws:sts::444455556666:assumed-role/Contractor/sam');
    assert.ok(result.valid);
    assert.equal(result.access?.roleArn, undefined);
    assert.match(result.warnings.join('\n'), /no IAM role ARN for account 444455556666/);
  });

  it('refuses malformed ARNs with a reason and the expected shape', () => {
    const cases: [string, RegExp][] = [
      ['', /No ARN given/],
      ['erin.employee', /Not an ARN/],
      [`arn:aws:s3:::bucket/key`, /Not a principal ARN \(service s3\)/],
      [`arn:aws:iam::12345:user/x`, /Not an ARN|no 12-digit account/],
      [`arn:aws:iam::${acct}:policy/x`, /Not a user, role or session ARN \(policy\)/],
      [`arn:aws:iam::${acct}:user/*`, /glob/],
      [`arn:aws:iam::${acct}:user/${'a'.repeat(2100)}`, /longer than 2048/],
    ];
    for (const [arn, pattern] of cases) {
      const result = simulatePrincipal(policy, arn);
      assert.equal(result.valid, false, arn);
      assert.match(result.explanation, pattern, arn);
      assert.match(result.explanation, /expected arn:aws:iam::<12-digit account>:user\/<name>/, arn);
    }
  });
});
