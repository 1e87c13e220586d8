import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type PolicyProblem, type PolicyResult, parsePolicy } from '../../src/core/policy/parse';

const fixture = (name: string): string =>
  readFileSync(path.join(__dirname, '..', 'fixtures', 'policies', name), 'utf8');

/** Where `needle` (the `nth` occurrence) starts, computed independently of the parser. */
function positionOf(text: string, needle: string, nth = 1): { offset: number; line: number; column: number } {
  let offset = -1;
  for (let i = 0; i < nth; i += 1) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `fixture lacks ${needle}`);
  const before = text.slice(0, offset).split('\n');
  return { offset, line: before.length, column: before[before.length - 1]!.length + 1 };
}

function problemsOf(result: PolicyResult): PolicyProblem[] {
  assert.equal(result.ok, false, 'expected the policy to be rejected');
  assert.ok(!('policy' in result), 'a rejected policy must carry no policy');
  return result.ok ? [] : result.problems;
}

function onlyProblem(text: string): PolicyProblem {
  const problems = problemsOf(parsePolicy(text));
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 2));
  return problems[0]!;
}

function assertAt(problem: PolicyProblem, text: string, needle: string, nth = 1): void {
  const expected = positionOf(text, needle, nth);
  assert.equal(problem.offset, expected.offset, `offset of ${problem.path}`);
  assert.equal(problem.line, expected.line, `line of ${problem.path}`);
  assert.equal(problem.column, expected.column, `column of ${problem.path}`);
  assert.equal(problem.length, needle.length, `length of ${problem.path}`);
}

describe('parsePolicy: fixtures', () => {
  it('accepts the demo policy with no warnings', () => {
    const result = parsePolicy(readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(Object.keys(result.policy.roles), ['Employee', 'Manager', 'Admin']);
  });

  it('accepts a minimal policy and fills in the defaults', () => {
    const result = parsePolicy(fixture('valid-minimal.json'));
    assert.ok(result.ok);
    const grant = result.policy.roles.Employee!.grants[0]!;
    assert.deepEqual(grant, {
      service: 'ec2',
      levels: ['read'],
      resources: ['*'],
      maxMinutes: 60,
      mfa: true,
      reason: false,
      ticket: false,
    });
    assert.equal(result.policy.roles.Employee!.admin, false);
  });

  it('reports a JSON syntax error with its line and column', () => {
    const text = fixture('syntax-error.json');
    const problem = onlyProblem(text);
    assert.match(problem.message, /JSON syntax error: expected "," between items/);
    assert.equal(problem.line, 3);
    assert.equal(problem.column, 3);
    assert.equal(problem.offset, text.indexOf('"accounts"'));
  });

  it('names an unknown service, suggests the close one and lists the valid ones', () => {
    const text = fixture('unknown-service.json');
    const problem = onlyProblem(text);
    assert.equal(problem.path, '$.roles.Employee.grants[1].service');
    assert.match(
      problem.message,
      /^unknown service "rdss" \(did you mean "rds"\?\); expected one of ec2, rds, lambda, ecs, dynamodb, s3, sqs, alb, apigateway$/,
    );
    assertAt(problem, text, '"rdss"');
  });

  it('names the inheritance loop', () => {
    const text = fixture('inheritance-loop.json');
    const problem = onlyProblem(text);
    assert.equal(problem.path, '$.roles.Admin.inherits');
    assert.match(problem.message, /^inheritance loop: Admin → Manager → Admin;/);
    assertAt(problem, text, '"Manager"');
  });

  it('rejects a malformed role ARN and says what a role ARN looks like', () => {
    const text = fixture('malformed-role-arn.json');
    const problem = onlyProblem(text);
    assert.equal(problem.path, '$.roles.Employee.roleArns["111122223333"]');
    assert.equal(
      problem.message,
      '"arn:aws:iam:role/x" is not a role ARN; expected arn:aws:iam::<12-digit account>:role/<name>',
    );
    assertAt(problem, text, '"arn:aws:iam:role/x"');
  });

  it('rejects an assignment to an unknown role', () => {
    const text = fixture('unknown-assignment-role.json');
    const problem = onlyProblem(text);
    assert.equal(problem.path, '$.assignments[2].role');
    assert.match(
      problem.message,
      /^unknown role "Manger" \(did you mean "Manager"\?\); defined roles: Employee, Manager$/,
    );
    assertAt(problem, text, '"Manger"');
  });

  it('catches a typo in a key and points at the key', () => {
    const text = fixture('unknown-key.json');
    const problem = onlyProblem(text);
    assert.equal(problem.path, '$.roles.Manager.inherts');
    assert.match(problem.message, /unknown key "inherts" in role "Manager" \(did you mean "inherits"\?\)/);
    assertAt(problem, text, '"inherts"');
  });

  it('rejects defaultMinutes above maxMinutes', () => {
    const text = fixture('default-over-max.json');
    const problem = onlyProblem(text);
    assert.equal(problem.path, '$.roles.Employee.grants[1].defaultMinutes');
    assert.match(problem.message, /defaultMinutes \(90\) is more than maxMinutes \(60\)/);
    assertAt(problem, text, '90');
  });

  it('reports five different problems as exactly five, in document order', () => {
    const text = fixture('five-problems.json');
    const problems = problemsOf(parsePolicy(text));
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        '$.roles.Employee.grants[0].defaultMinutes',
        '$.roles.Employee.grants[1].service',
        '$.roles.Manager.roleArns["111122223333"]',
        '$.roles.Admin.roleArns["444455556666"]',
        '$.assignments[1].role',
      ],
    );
    assertAt(problems[0]!, text, '45');
    assertAt(problems[1]!, text, '"rdss"');
    assertAt(problems[2]!, text, '"arn:aws:iam:role/InfraWatch-Manager"');
    assertAt(problems[3]!, text, '"444455556666"');
    assertAt(problems[4]!, text, '"Admn"');
    assert.match(problems[3]!.message, /account 444455556666 is not listed in "accounts"/);
  });
});
