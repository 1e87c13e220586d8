import * as assert from 'node:assert/strict';
import { resolveRole } from '../../src/core/policy/assign';
import { maxReportedProblems, parsePolicy } from '../../src/core/policy/parse';
import { policyLimits } from '../../src/core/policy/schema';

const acct = '111122223333';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into and break the JSON freely
function basePolicy(): Record<string, any> {
  return {
    version: 1,
    accounts: [{ id: acct, name: 'demo', region: 'us-east-1' }],
    roles: {
      Employee: { roleArns: { [acct]: `arn:aws:iam::${acct}:role/E` }, grants: [{ service: 'ec2', levels: ['read'] }] },
    },
    assignments: [{ userName: 'erin', role: 'Employee' }],
  };
}

function rejectedPaths(text: string): string[] {
  const result = parsePolicy(text);
  assert.ok(!result.ok, 'expected the policy to be rejected');
  return result.problems.map((p) => p.path);
}

describe('parsePolicy: size limits (the policy is untrusted input)', () => {
  it('accepts a document of exactly 256 KiB and rejects one byte more', () => {
    const text = JSON.stringify(basePolicy());
    const padded = text.slice(0, -1) + ' '.repeat(policyLimits.maxBytes - text.length) + '}';
    assert.equal(Buffer.byteLength(padded), policyLimits.maxBytes);
    assert.ok(parsePolicy(padded).ok);
    const over = `${padded} `;
    const result = parsePolicy(over);
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]!.path, '$');
    assert.match(result.problems[0]!.message, /limit is 262144 \(256 KiB\)/);
  });

  it('counts bytes, not characters', () => {
    const policy = basePolicy();
    policy.roles.Employee.description = 'é'.repeat(140_000); // 140,000 characters, 280,000 bytes
    const result = parsePolicy(JSON.stringify(policy));
    assert.ok(!result.ok);
    assert.match(result.problems[0]!.message, /bytes or more; the limit is 262144/);
  });

  it('rejects deep nesting before parsing, without overflowing the stack', () => {
    const deep = `{"version":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const result = parsePolicy(deep);
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!.message, /nests 100001 levels deep; the limit is 32/);
  });

  it('does not count brackets inside strings as nesting', () => {
    const policy = basePolicy();
    policy.roles.Employee.description = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{ \\" [[[[';
    assert.ok(parsePolicy(JSON.stringify(policy)).ok);
  });

  it('bounds strings', () => {
    const policy = basePolicy();
    policy.roles.Employee.description = 'x'.repeat(policyLimits.maxDescription + 1);
    assert.deepEqual(rejectedPaths(JSON.stringify(policy)), ['$.roles.Employee.description']);
    const name = basePolicy();
    name.accounts[0].name = 'n'.repeat(65);
    assert.deepEqual(rejectedPaths(JSON.stringify(name)), ['$.accounts[0].name']);
    const user = basePolicy();
    user.assignments[0].userName = 'u'.repeat(65);
    assert.deepEqual(rejectedPaths(JSON.stringify(user)), ['$.assignments[0].userName']);
  });

  it('bounds lists and maps', () => {
    const roles = basePolicy();
    for (let i = 0; i < policyLimits.maxRoles; i += 1) roles.roles[`R${i}`] = { roleArns: {}, grants: [] };
    assert.deepEqual(rejectedPaths(JSON.stringify(roles)), ['$.roles']);
    const assignments = basePolicy();
    assignments.assignments = Array.from({ length: policyLimits.maxAssignments + 1 }, (_, i) => ({
      userName: `u${i}`,
      role: 'Employee',
    }));
    assert.deepEqual(rejectedPaths(JSON.stringify(assignments)), ['$.assignments']);
    const resources = basePolicy();
    resources.roles.Employee.grants[0].resources = Array.from({ length: policyLimits.maxResources + 1 }, () => '*');
    assert.deepEqual(rejectedPaths(JSON.stringify(resources)), ['$.roles.Employee.grants[0].resources']);
  });

  it(`caps the report at ${maxReportedProblems} problems and says how many more there are`, () => {
    const policy = basePolicy();
    policy.assignments = Array.from({ length: 250 }, (_, i) => ({ userName: `u${i}`, role: 'Nobody' }));
    const result = parsePolicy(JSON.stringify(policy));
    assert.ok(!result.ok);
    assert.equal(result.problems.length, maxReportedProblems + 1);
    assert.equal(result.problems.at(-1)!.message, 'and 150 more problems not shown; fix these first');
  });

  it('matches a hostile glob in linear-ish time', () => {
    const policy = basePolicy();
    policy.assignments = [{ principal: `arn:aws:iam::${acct}:user/${'a*'.repeat(200)}b`, role: 'Employee' }];
    const result = parsePolicy(JSON.stringify(policy));
    assert.ok(result.ok);
    const started = Date.now();
    assert.equal(
      resolveRole(result.policy, { arn: `arn:aws:iam::${acct}:user/${'a'.repeat(1500)}`, account: acct }),
      undefined,
    );
    assert.ok(Date.now() - started < 1000, 'glob matching must not backtrack exponentially');
  });
});
