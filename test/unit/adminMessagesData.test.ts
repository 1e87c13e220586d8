import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../src/core/policy/parse';
import { type AccessPolicy } from '../../src/core/policy/schema';
import { adminToWebviewSchema } from '../../src/shared/adminMessages';
import { parseMessage } from '../../src/shared/messages';
import { getMatrixRows, simulate } from '../../src/vscode/admin/adminData';

function loadDemoPolicy(): AccessPolicy {
  const result = parsePolicy(readFileSync(join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));
  assert.ok(result.ok, 'demo/policy.json parses');
  return result.policy;
}

describe('admin panel data from the policy', () => {
  const policy = loadDemoPolicy();

  it('builds a matrix row for every role × granted service × level, marking inherited grants', () => {
    const rows = getMatrixRows(policy);
    assert.deepEqual(
      [...new Set(rows.map((r) => r.role))].sort(),
      Object.keys(policy.roles)
        .filter((role) => rows.some((r) => r.role === role))
        .sort(),
    );
    const manager = rows.filter((r) => r.role === 'Manager');
    assert.ok(
      manager.some((r) => r.inherited && r.fromRole === 'Employee'),
      'Manager inherits from Employee',
    );
    assert.ok(rows.filter((r) => r.role === 'Employee').every((r) => !r.inherited));
    const employee = (service: string) =>
      rows.find((r) => r.role === 'Employee' && r.service === service && r.level === 'read');
    assert.equal(employee('ec2')?.mfaDefault, true, 'the policy does not set "mfa" for ec2: required by default');
    assert.equal(employee('rds')?.mfaDefault, undefined, 'the policy sets "mfa": true for rds');
    const message = {
      type: 'init',
      panel: 'admin',
      caller: 'a',
      policyPath: 'p',
      roles: Object.keys(policy.roles),
      services: [],
      matrix: rows,
    };
    assert.ok(parseMessage(adminToWebviewSchema, message), 'the rows fit the message schema');
  });

  it('simulates a principal with the resolution the extension uses', () => {
    const erin = simulate(policy, ' arn:aws:iam::111122223333:user/erin.employee ');
    assert.equal(erin.valid, true);
    assert.equal(erin.role, 'Employee');
    assert.equal(erin.matchedBy, 'arn');
    assert.equal(erin.admin, false);
    assert.ok(erin.grants.length > 0);
    assert.equal(simulate(policy, 'arn:aws:iam::111122223333:user/ada.admin').admin, true);
    assert.equal(simulate(policy, 'arn:aws:iam::111122223333:user/max.manager').matchedBy, 'userName');
  });

  it('explains why nothing matches, or why the ARN is not one', () => {
    const stranger = simulate(policy, 'arn:aws:iam::111122223333:user/nobody');
    assert.equal(stranger.valid, true);
    assert.equal(stranger.role, undefined);
    assert.deepEqual(stranger.grants, []);
    assert.match(stranger.explanation, /No assignment matches/);
    const otherAccount = simulate(policy, 'arn:aws:iam::999999999999:user/erin.employee');
    assert.deepEqual(otherAccount.grants, []);
    const malformed = simulate(policy, 'erin');
    assert.equal(malformed.valid, false);
    assert.match(malformed.explanation, /Not a principal ARN/);
  });
});
