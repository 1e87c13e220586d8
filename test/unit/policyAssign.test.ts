import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getIamUserName, resolveAccess, resolveRole } from '../../src/core/policy/assign';
import { countLiterals, matchesGlob } from '../../src/core/policy/glob';
import { parsePolicy } from '../../src/core/policy/parse';
import { type AccessPolicy } from '../../src/core/policy/schema';

const acct = '111122223333';
const other = '444455556666';
const user = (name: string, account = acct) => ({ arn: `arn:aws:iam::${account}:user/${name}`, account });
const session = (role: string, name: string, account = acct) => ({
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
  account,
});

function load(text: string): AccessPolicy {
  const result = parsePolicy(text);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.policy;
}

const demo = (): AccessPolicy => load(readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));

function withAssignments(assignments: unknown[], accounts = [acct]): AccessPolicy {
  const role = (name: string) => ({
    roleArns: { [acct]: `arn:aws:iam::${acct}:role/${name}` },
    grants: [{ service: 'ec2', levels: ['read'] }],
  });
  return load(
    JSON.stringify({
      version: 1,
      accounts: accounts.map((id, i) => ({ id, name: `a${i}`, region: 'us-east-1' })),
      roles: { A: role('A'), B: role('B'), C: role('C') },
      assignments,
    }),
  );
}

describe('glob matching', () => {
  it('anchors, lets * span "/", ? match one character, and is case-sensitive', () => {
    assert.ok(matchesGlob('arn:aws:sts::1:assumed-role/Dev_*/*', 'arn:aws:sts::1:assumed-role/Dev_abc/sam'));
    assert.ok(matchesGlob('arn:*', 'arn:aws:iam::1:user/a/b/c'));
    assert.ok(!matchesGlob('arn:aws:iam::1:user/a', 'arn:aws:iam::1:user/ab'));
    assert.ok(!matchesGlob('aws:iam::1:user/a', 'arn:aws:iam::1:user/a'));
    assert.ok(matchesGlob('user/a?c', 'user/abc'));
    assert.ok(!matchesGlob('user/a?c', 'user/ac'));
    assert.ok(!matchesGlob('user/a?c', 'user/abbc'));
    assert.ok(!matchesGlob('user/Dev*', 'user/dev1'));
    assert.ok(matchesGlob('*', ''));
    assert.ok(matchesGlob('a**b', 'ab'));
    assert.equal(countLiterals('arn:aws:sts::*:assumed-role/x?/*'), 'arn:aws:sts:::assumed-role/x/'.length);
  });
});

describe('resolveRole', () => {
  it('resolves the demo principals the way the demo describes them', () => {
    const policy = demo();
    assert.deepEqual(resolveRole(policy, user('erin.employee')), {
      role: 'Employee',
      assignmentIndex: 0,
      matchedBy: 'arn',
      pattern: 'arn:aws:iam::111122223333:user/erin.employee',
    });
    assert.deepEqual(resolveRole(policy, user('max.manager')), {
      role: 'Manager',
      assignmentIndex: 1,
      matchedBy: 'userName',
      pattern: 'max.manager',
    });
    assert.equal(resolveRole(policy, user('ada.admin'))?.role, 'Admin');
    const sso = resolveRole(policy, session('AWSReservedSSO_Developer_0123456789abcdef', 'sam.sso'));
    assert.equal(sso?.role, 'Employee');
    assert.equal(sso?.matchedBy, 'glob');
    assert.equal(resolveRole(policy, user('uma.unassigned')), undefined);
  });

  it('prefers an exact ARN to a glob that comes first', () => {
    const policy = withAssignments([
      { principal: `arn:aws:iam::${acct}:user/*`, role: 'A' },
      { principal: `arn:aws:iam::${acct}:user/max`, role: 'B' },
    ]);
    assert.equal(resolveRole(policy, user('max'))?.role, 'B');
    assert.equal(resolveRole(policy, user('zoe'))?.role, 'A');
  });

  it('prefers an exact ARN to a user name, and a user name to a glob', () => {
    const policy = withAssignments([
      { principal: `arn:aws:iam::${acct}:user/ma*`, role: 'A' },
      { userName: 'max', role: 'B' },
      { principal: `arn:aws:iam::${acct}:user/max`, role: 'C' },
    ]);
    assert.deepEqual(resolveRole(policy, user('max')), {
      role: 'C',
      assignmentIndex: 2,
      matchedBy: 'arn',
      pattern: `arn:aws:iam::${acct}:user/max`,
    });
    const noExact = withAssignments([
      { principal: `arn:aws:iam::${acct}:user/ma*`, role: 'A' },
      { userName: 'max', role: 'B' },
    ]);
    assert.equal(resolveRole(noExact, user('max'))?.matchedBy, 'userName');
  });

  it('among globs, picks the one with more literal characters; ties go to the first', () => {
    const policy = withAssignments([
      { principal: 'arn:aws:sts::*:assumed-role/*', role: 'A' },
      { principal: `arn:aws:sts::${acct}:assumed-role/AWSReservedSSO_Dev_*/*`, role: 'B' },
      { principal: `arn:aws:sts::${acct}:assumed-role/AWSReservedSSO_*/*`, role: 'C' },
    ]);
    assert.deepEqual(resolveRole(policy, session('AWSReservedSSO_Dev_1', 'sam')), {
      role: 'B',
      assignmentIndex: 1,
      matchedBy: 'glob',
      pattern: `arn:aws:sts::${acct}:assumed-role/AWSReservedSSO_Dev_*/*`,
    });
    assert.equal(resolveRole(policy, session('AWSReservedSSO_Ops_1', 'sam'))?.role, 'C');
    assert.equal(resolveRole(policy, session('Other', 'sam'))?.role, 'A');
    const tie = withAssignments([
      { principal: `arn:aws:iam::${acct}:user/a*`, role: 'A' },
      { principal: `arn:aws:iam::${acct}:user/*b`, role: 'B' },
    ]);
    assert.equal(resolveRole(tie, user('ab'))?.role, 'A');
    assert.equal(resolveRole(tie, user('ab'))?.assignmentIndex, 0);
  });

  it('matches a user name only against IAM user ARNs, never role sessions or roles', () => {
    const policy = withAssignments([{ userName: 'max', role: 'A' }]);
    assert.equal(resolveRole(policy, session('max', 'max'))?.role, undefined);
    assert.equal(resolveRole(policy, session('SomeRole', 'max')), undefined);
    assert.equal(resolveRole(policy, { arn: `arn:aws:iam::${acct}:role/max`, account: acct }), undefined);
    assert.equal(resolveRole(policy, user('engineering/max'))?.role, 'A', 'IAM paths are allowed');
    assert.equal(resolveRole(policy, user('Max'))?.role, 'A', 'IAM user names are not case-sensitive');
    assert.equal(resolveRole(policy, user('maxi')), undefined);
  });

  it('matches a user name only in accounts the policy lists', () => {
    const policy = withAssignments([{ userName: 'max', role: 'A' }]);
    assert.equal(resolveRole(policy, user('max', other)), undefined);
    const both = withAssignments([{ userName: 'max', role: 'A' }], [acct, other]);
    assert.equal(resolveRole(both, user('max', other))?.role, 'A');
  });

  it('parses IAM user names out of user ARNs only', () => {
    assert.deepEqual(getIamUserName(`arn:aws:iam::${acct}:user/a/b/max`), { account: acct, name: 'max' });
    assert.equal(getIamUserName(`arn:aws:sts::${acct}:assumed-role/r/max`), undefined);
    assert.equal(getIamUserName(`arn:aws:iam::${acct}:root`), undefined);
  });
});

describe('resolveAccess', () => {
  it('bundles role, account, role ARN, grants, services and the admin flag', () => {
    const access = resolveAccess(demo(), user('ada.admin'));
    assert.ok(access);
    assert.equal(access.role, 'Admin');
    assert.equal(access.account.name, 'demo');
    assert.equal(access.roleArn, 'arn:aws:iam::111122223333:role/InfraWatch-Admin');
    assert.equal(access.admin, true);
    assert.equal(access.services.length, 9);
    assert.equal(access.resolution.matchedBy, 'arn');
    assert.equal(resolveAccess(demo(), user('erin.employee'))?.admin, false);
  });

  it('gives nothing to an unassigned caller or a caller from an unlisted account', () => {
    assert.equal(resolveAccess(demo(), user('uma.unassigned')), undefined);
    const policy = withAssignments([{ principal: 'arn:aws:iam::*:user/max', role: 'A' }]);
    assert.equal(resolveRole(policy, user('max', other))?.role, 'A');
    assert.equal(resolveAccess(policy, user('max', other)), undefined);
  });

  it("leaves roleArn undefined when the role has none in the caller's account", () => {
    const text = JSON.stringify({
      version: 1,
      accounts: [
        { id: acct, name: 'prod', region: 'us-east-1' },
        { id: other, name: 'dev', region: 'eu-west-1' },
      ],
      roles: {
        A: { roleArns: { [acct]: `arn:aws:iam::${acct}:role/A` }, grants: [{ service: 'sqs', levels: ['read'] }] },
      },
      assignments: [{ userName: 'max', role: 'A' }],
    });
    const access = resolveAccess(load(text), user('max', other));
    assert.ok(access);
    assert.equal(access.account.name, 'dev');
    assert.equal(access.roleArn, undefined);
    assert.deepEqual(access.services, ['sqs']);
  });
});
