import * as assert from 'node:assert/strict';
import { type PolicyProblem, parsePolicy } from '../../src/core/policy/parse';

const acct = '111122223333';
const roleArn = (name: string, account = acct): string => `arn:aws:iam::${account}:role/${name}`;

/** A small valid policy as a plain object, for tests to break one thing at a time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into and break the JSON freely
function basePolicy(): Record<string, any> {
  return {
    version: 1,
    accounts: [{ id: acct, name: 'demo', region: 'us-east-1' }],
    roles: {
      Employee: { roleArns: { [acct]: roleArn('Employee') }, grants: [{ service: 'rds', levels: ['read'] }] },
      Manager: {
        inherits: 'Employee',
        roleArns: { [acct]: roleArn('Manager') },
        grants: [{ service: 'rds', levels: ['write'] }],
      },
    },
    assignments: [
      { userName: 'erin', role: 'Employee' },
      { principal: `arn:aws:iam::${acct}:user/max`, role: 'Manager' },
    ],
  };
}

function problemsFor(policy: unknown): PolicyProblem[] {
  const result = parsePolicy(JSON.stringify(policy, null, 2));
  assert.equal(result.ok, false, 'expected the policy to be rejected');
  return result.ok ? [] : result.problems;
}

function single(policy: unknown): PolicyProblem {
  const problems = problemsFor(policy);
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 2));
  return problems[0]!;
}

describe('parsePolicy: rules', () => {
  it('accepts the base policy (so each test below breaks exactly one thing)', () => {
    const result = parsePolicy(JSON.stringify(basePolicy()));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  });

  it('ignores $schema but rejects any other unknown top-level key', () => {
    assert.ok(
      parsePolicy(JSON.stringify({ $schema: 'https://infrawatch.dev/schemas/policy.schema.json', ...basePolicy() })).ok,
    );
    const problem = single({ ...basePolicy(), acounts: [] });
    assert.equal(problem.path, '$.acounts');
    assert.match(problem.message, /unknown key "acounts" at the top level \(did you mean "accounts"\?\)/);
  });

  it('rejects an unsupported version', () => {
    const problem = single({ ...basePolicy(), version: 2 });
    assert.equal(problem.path, '$.version');
    assert.match(problem.message, /unsupported policy version 2/);
  });

  it('reports a missing required key on its parent', () => {
    const policy = basePolicy();
    delete policy.roles.Manager.grants;
    const problem = single(policy);
    assert.equal(problem.path, '$.roles.Manager.grants');
    assert.equal(problem.message, 'missing required key "grants" in role "Manager"');
  });

  it('rejects unknown access levels and repeated ones', () => {
    const policy = basePolicy();
    policy.roles.Employee.grants[0].levels = ['reed'];
    assert.match(
      single(policy).message,
      /^unknown access level "reed" \(did you mean "read"\?\); expected one of read, write, admin$/,
    );
    policy.roles.Employee.grants[0].levels = ['read', 'read'];
    assert.equal(single(policy).path, '$.roles.Employee.grants[0].levels');
    policy.roles.Employee.grants[0].levels = [];
    assert.match(single(policy).message, /levels must not be empty/);
  });

  it('keeps minutes within what AWS allows (15–720)', () => {
    const policy = basePolicy();
    policy.roles.Employee.grants[0].maxMinutes = 10;
    const low = single(policy);
    assert.equal(low.path, '$.roles.Employee.grants[0].maxMinutes');
    assert.match(low.message, /maxMinutes must be at least 15 .*900–43,200 seconds.*got 10/);
    policy.roles.Employee.grants[0].maxMinutes = 721;
    assert.match(single(policy).message, /maxMinutes must be at most 720/);
    policy.roles.Employee.grants[0].maxMinutes = 30.5;
    assert.match(single(policy).message, /whole number/);
  });

  it('checks defaultMinutes against the default maxMinutes when none is given', () => {
    const policy = basePolicy();
    policy.roles.Employee.grants[0].defaultMinutes = 90;
    const problem = single(policy);
    assert.match(problem.message, /defaultMinutes \(90\) is more than maxMinutes \(60, the default\)/);
  });

  it('rejects an inherits that names no role, even "constructor"', () => {
    const policy = basePolicy();
    policy.roles.Manager.inherits = 'constructor';
    const problem = single(policy);
    assert.equal(problem.path, '$.roles.Manager.inherits');
    assert.match(problem.message, /^unknown role "constructor"/);
  });

  it('names a role that inherits from itself', () => {
    const policy = basePolicy();
    policy.roles.Employee.inherits = 'Employee';
    assert.match(single(policy).message, /^inheritance loop: Employee → Employee;/);
  });

  it('reports one problem per loop, not one per role on it', () => {
    const policy = basePolicy();
    policy.roles.Employee.inherits = 'Manager';
    policy.roles.Lead = { inherits: 'Manager', roleArns: {}, grants: [] };
    const problem = single(policy);
    assert.equal(problem.path, '$.roles.Employee.inherits');
    assert.match(problem.message, /^inheritance loop: Employee → Manager → Employee;/);
  });

  it('rejects role ARNs for accounts the policy does not list, and ARNs filed under the wrong account', () => {
    const policy = basePolicy();
    policy.roles.Employee.roleArns['444455556666'] = roleArn('Employee', '444455556666');
    const unlisted = single(policy);
    assert.equal(unlisted.path, '$.roles.Employee.roleArns["444455556666"]');
    const other = basePolicy();
    other.roles.Employee.roleArns[acct] = roleArn('Employee', '444455556666');
    assert.match(
      single(other).message,
      /this role ARN is in account 444455556666 but is listed under account 111122223333/,
    );
  });

  it('rejects a bad account id as a roleArns key', () => {
    const policy = basePolicy();
    policy.roles.Employee.roleArns = { '1234': roleArn('Employee') };
    const problem = single(policy);
    assert.equal(problem.path, '$.roles.Employee.roleArns["1234"]');
    assert.equal(problem.message, '"1234" is not an AWS account id; expected 12 digits');
  });

  it('rejects two grants for the same service in one role', () => {
    const policy = basePolicy();
    policy.roles.Employee.grants.push({ service: 'rds', levels: ['write'] });
    const problem = single(policy);
    assert.equal(problem.path, '$.roles.Employee.grants[1].service');
    assert.match(problem.message, /already has a grant for rds \(grants\[0\]\)/);
  });

  it('rejects resource ARNs of another service and malformed ones', () => {
    const policy = basePolicy();
    policy.roles.Employee.grants[0].resources = ['arn:aws:ec2:us-east-1:111122223333:instance/*'];
    assert.match(single(policy).message, /this is an ec2 ARN but the grant is for rds/);
    policy.roles.Employee.grants[0].resources = ['orders-*'];
    assert.match(single(policy).message, /"orders-\*" is not a resource ARN pattern/);
    policy.roles.Employee.grants[0].resources = ['arn:aws:rds:us-east-1:111122223333:db:orders-*'];
    assert.ok(parsePolicy(JSON.stringify(policy)).ok);
  });

  it('requires exactly one of principal and userName in an assignment', () => {
    const both = basePolicy();
    both.assignments[0].principal = `arn:aws:iam::${acct}:user/erin`;
    assert.equal(single(both).path, '$.assignments[0]');
    const neither = basePolicy();
    delete neither.assignments[0].userName;
    assert.match(single(neither).message, /exactly one of "principal" or "userName"/);
  });

  it('rejects malformed principal ARNs and globs', () => {
    for (const principal of [
      '*',
      'arn:aws:iam:user/x',
      'arn:aws:iam::1234:user/x',
      'arn:aws:s3:::bucket',
      'arn:aws:iam::111122223333:user/a b',
    ]) {
      const policy = basePolicy();
      policy.assignments[1].principal = principal;
      const problem = single(policy);
      assert.equal(problem.path, '$.assignments[1].principal', principal);
      assert.match(problem.message, /is not a principal ARN or glob/, principal);
    }
  });

  it('accepts principal globs over any session or account', () => {
    const policy = basePolicy();
    policy.assignments[1].principal = 'arn:aws:sts::*:assumed-role/AWSReservedSSO_*/*';
    assert.ok(parsePolicy(JSON.stringify(policy)).ok);
  });

  it('rejects the same account listed twice', () => {
    const policy = basePolicy();
    policy.accounts.push({ id: acct, name: 'again', region: 'eu-west-1' });
    const problem = single(policy);
    assert.equal(problem.path, '$.accounts[1].id');
  });

  it('rejects duplicate JSON keys, which JSON.parse would silently drop', () => {
    const text = JSON.stringify(basePolicy(), null, 2).replace('"version": 1,', '"version": 1,\n  "version": 1,');
    const result = parsePolicy(text);
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]!.path, '$.version');
    assert.equal(result.problems[0]!.line, 3);
    assert.equal(result.problems[0]!.column, 3);
    assert.equal(result.problems[0]!.length, '"version"'.length);
  });

  it('treats "__proto__" as an ordinary (unknown) key', () => {
    const text = JSON.stringify(basePolicy()).replace('{"version"', '{"__proto__":{"admin":true},"version"');
    const result = parsePolicy(text);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => p.path),
      ['$.__proto__'],
    );
    assert.equal(({} as { admin?: unknown }).admin, undefined, 'Object.prototype must be untouched');
  });

  it('rejects comments, trailing commas, an empty file and a non-object document', () => {
    const base = JSON.stringify(basePolicy(), null, 2);
    const cases: Array<[string, RegExp]> = [
      [`// policy\n${base}`, /comments are not allowed/],
      [base.replace(/\n}$/, ',\n}'), /trailing commas are not allowed/],
      ['', /the policy is empty/],
      ['   \n', /the policy is empty/],
      ['[]', /the policy must be an object; got a list/],
      ['null', /the policy must be an object; got null/],
    ];
    for (const [text, message] of cases) {
      const result = parsePolicy(text);
      assert.ok(!result.ok, text);
      assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
      assert.match(result.problems[0]!.message, message);
    }
  });

  it('shows schema and reference problems together, without doubling up on one spot', () => {
    const policy = basePolicy();
    policy.roles.Manager.inherits = 'bad name!';
    policy.assignments[0].role = 'Nobody';
    const problems = problemsFor(policy);
    assert.deepEqual(
      problems.map((p) => p.path),
      ['$.roles.Manager.inherits', '$.assignments[0].role'],
    );
    assert.match(problems[0]!.message, /is not a valid role name/);
    assert.match(problems[1]!.message, /unknown role "Nobody"/);
  });
});

describe('parsePolicy: warnings', () => {
  it('warns about write access without MFA', () => {
    const policy = basePolicy();
    policy.roles.Manager.grants[0].mfa = false;
    const result = parsePolicy(JSON.stringify(policy));
    assert.ok(result.ok);
    assert.deepEqual(
      result.warnings.map((w) => w.path),
      ['$.roles.Manager.grants[0].mfa'],
    );
  });

  it('warns about an assigned role without an ARN in a listed account, and unreachable assignments', () => {
    const policy = basePolicy();
    policy.accounts.push({ id: '444455556666', name: 'staging', region: 'eu-west-1' });
    policy.roles.Employee.roleArns['444455556666'] = roleArn('Employee', '444455556666');
    policy.assignments.push({ userName: 'ERIN', role: 'Manager' });
    policy.assignments.push({ principal: 'arn:aws:iam::999999999999:user/zed', role: 'Employee' });
    const result = parsePolicy(JSON.stringify(policy));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.deepEqual(
      result.warnings.map((w) => w.path),
      ['$.roles.Manager.roleArns', '$.assignments[2]', '$.assignments[3].principal'],
    );
    assert.match(result.warnings[0]!.message, /no role ARN for account 444455556666 \(staging\)/);
  });
});
