import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type AccessPolicy } from '../../src/core/policy/schema';
import { parsePolicy } from '../../src/core/policy/parse';
import { getAllowedServices, getEffectiveGrants, getRoleChain, isAdminRole } from '../../src/core/policy/roles';

function load(text: string): AccessPolicy {
  const result = parsePolicy(text);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.policy;
}

const demo = (): AccessPolicy => load(readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));

function withRoles(roles: Record<string, unknown>): AccessPolicy {
  return load(
    JSON.stringify({
      version: 1,
      accounts: [{ id: '111122223333', name: 'demo', region: 'us-east-1' }],
      roles,
      assignments: [],
    }),
  );
}

describe('role inheritance', () => {
  it('walks the chain from the role to its farthest ancestor', () => {
    const policy = demo();
    assert.deepEqual(getRoleChain(policy, 'Admin'), ['Admin', 'Manager', 'Employee']);
    assert.deepEqual(getRoleChain(policy, 'Employee'), ['Employee']);
    assert.deepEqual(getRoleChain(policy, 'Nobody'), []);
    assert.deepEqual(getRoleChain(policy, 'constructor'), [], 'inherited object members are not roles');
  });

  it('gives the demo roles their services, each role a superset of the one below', () => {
    const policy = demo();
    const services = (role: string): string[] => getAllowedServices(getEffectiveGrants(policy, role));
    assert.deepEqual(services('Employee'), ['ec2', 'rds', 'lambda', 'sqs']);
    assert.deepEqual(services('Manager'), ['ec2', 'rds', 'lambda', 'ecs', 'dynamodb', 'sqs', 'alb']);
    assert.deepEqual(services('Admin'), ['ec2', 'rds', 'lambda', 'ecs', 'dynamodb', 's3', 'sqs', 'alb', 'apigateway']);
    assert.deepEqual(services('Nobody'), []);
  });

  it('keeps the grant details and says where each grant comes from', () => {
    const grants = getEffectiveGrants(demo(), 'Manager').filter((g) => g.service === 'rds');
    const byKind = { iamUser: 'totp', identityCenter: 'signIn', saml: 'signIn' };
    assert.deepEqual(grants, [
      {
        service: 'rds',
        level: 'read',
        resources: ['*'],
        maxMinutes: 60,
        defaultMinutes: 30,
        mfa: true,
        mfaBy: byKind,
        reason: true,
        ticket: false,
        fromRole: 'Employee',
        inherited: true,
      },
      // The demo policy does not set "mfa" on Manager's grants: required, by default.
      {
        service: 'rds',
        level: 'write',
        resources: ['*'],
        maxMinutes: 240,
        defaultMinutes: 60,
        mfa: true,
        mfaBy: byKind,
        mfaDefault: true,
        reason: true,
        ticket: false,
        fromRole: 'Manager',
        inherited: false,
      },
    ]);
  });

  it('lists one grant per (service, level) in catalog and level order', () => {
    const grants = getEffectiveGrants(demo(), 'Admin');
    const keys = grants.map((g) => `${g.service}:${g.level}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(keys.slice(0, 3), ['ec2:read', 'ec2:write', 'ec2:admin']);
    assert.equal(keys.at(-1), 'apigateway:admin');
    assert.equal(grants.length, 26);
  });

  it("lets a role's own grant override the one it inherits for the same (service, level)", () => {
    const policy = withRoles({
      Base: {
        roleArns: {},
        grants: [{ service: 'rds', levels: ['read', 'write'], maxMinutes: 60, resources: ['arn:aws:rds:*:*:db:*'] }],
      },
      Child: {
        inherits: 'Base',
        roleArns: {},
        grants: [{ service: 'rds', levels: ['read'], maxMinutes: 120, mfa: false }],
      },
    });
    const grants = getEffectiveGrants(policy, 'Child');
    const read = grants.find((g) => g.level === 'read')!;
    const write = grants.find((g) => g.level === 'write')!;
    assert.equal(read.fromRole, 'Child');
    assert.equal(read.inherited, false);
    assert.equal(read.maxMinutes, 120);
    assert.equal(read.mfa, false);
    assert.deepEqual(read.resources, ['*']);
    assert.equal(write.fromRole, 'Base');
    assert.equal(write.inherited, true);
    assert.deepEqual(write.resources, ['arn:aws:rds:*:*:db:*']);
    // The parent itself is unchanged by its child's override.
    assert.equal(getEffectiveGrants(policy, 'Base').find((g) => g.level === 'read')!.maxMinutes, 60);
  });

  it('defaults defaultMinutes to one hour, or maxMinutes when that is shorter', () => {
    const policy = withRoles({
      R: {
        roleArns: {},
        grants: [
          { service: 'ec2', levels: ['read'], maxMinutes: 30 },
          { service: 'rds', levels: ['read'], maxMinutes: 480 },
        ],
      },
    });
    const [ec2, rds] = getEffectiveGrants(policy, 'R');
    assert.equal(ec2!.defaultMinutes, 30);
    assert.equal(rds!.defaultMinutes, 60);
  });

  it('inherits the admin flag down the chain, never up', () => {
    const policy = demo();
    assert.equal(isAdminRole(policy, 'Admin'), true);
    assert.equal(isAdminRole(policy, 'Manager'), false);
    assert.equal(isAdminRole(policy, 'Employee'), false);
    assert.equal(isAdminRole(policy, 'Nobody'), false);
    const extended = withRoles({
      Admin: { admin: true, roleArns: {}, grants: [] },
      SuperAdmin: { inherits: 'Admin', roleArns: {}, grants: [] },
    });
    assert.equal(isAdminRole(extended, 'SuperAdmin'), true);
  });
});
