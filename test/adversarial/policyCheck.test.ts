// Why 8 of issue 9: a crafted policy inside the 256 KiB limit made the check quadratic. "Did
// you mean" compared every unknown role with every defined one (9,110 roles: 82 s), blocking
// the extension host. The check must stay linear and its suggestions bounded.
import * as assert from 'node:assert/strict';
import { maxReportedProblems, parsePolicy } from '../../src/core/policy/parse';
import { policyLimits } from '../../src/core/policy/schema';
import { getSemanticProblems } from '../../src/core/policy/semantics';
import * as suggest from '../../src/core/policy/suggest';

// Short names (a letter and 3 base-36 digits) so that 9,000 roles fit in 256 KiB.
const name = (prefix: string, i: number): string => `${prefix}${i.toString(36).padStart(3, '0')}`;

/** A policy of `count` tiny roles, padded with spaces to exactly 256 KiB. */
function hostilePolicy(count: number, role: (i: number) => object): string {
  const roles: Record<string, object> = {};
  for (let i = 0; i < count; i += 1) roles[name('r', i)] = role(i);
  const text = JSON.stringify({ version: 1, accounts: [{ id: '111122223333', name: 'a', region: 'us-east-1' }], roles, assignments: [] });
  assert.ok(text.length <= policyLimits.maxBytes, `${count} roles take ${text.length} bytes`);
  return `${text.slice(0, -1)}${' '.repeat(policyLimits.maxBytes - text.length)}}`;
}

/** Checks the text; how long it took. Generous: the README's bench row holds the real figure. */
function timedCheck(text: string): { problems: Array<{ path: string; message: string }>; ms: number } {
  const began = performance.now();
  const result = parsePolicy(text);
  const ms = performance.now() - began;
  assert.ok(!result.ok);
  return { problems: result.problems, ms };
}

describe('adversarial: the policy check is linear (issue 9, Why 8)', () => {
  it('checks a 256 KiB policy of 9,000 roles that each inherit an unknown, near-miss role in well under a second', () => {
    // r001 inherits "x001": one edit from a defined role, so every name is a candidate.
    const text = hostilePolicy(9000, (i) => ({ inherits: name('x', i) }));
    assert.equal(Buffer.byteLength(text), policyLimits.maxBytes);
    const { problems, ms } = timedCheck(text);
    assert.ok(ms < 1000, `the check took ${ms.toFixed(0)} ms`);
    assert.deepEqual(problems.map((p) => p.path), ['$.roles']);
    assert.match(problems[0]!.message, /^roles defines 9000 roles; the limit is 50\. The rest of the policy is checked once it is within the limit$/);
  });

  it('names unknown roles among 9,000 in linear time, with suggestions for the first ones only', () => {
    const roles: Record<string, object> = { Employee: {}, Manager: { inherits: 'Employe' } };
    for (let i = 0; i < 9000; i += 1) roles[name('r', i)] = { inherits: name('x', i) };
    const began = performance.now();
    const problems = getSemanticProblems({ roles, assignments: [{ role: 'Managr' }] });
    const ms = performance.now() - began;
    assert.ok(ms < 1000, `the semantic check took ${ms.toFixed(0)} ms`);
    assert.equal(problems.length, 9002);
    assert.match(problems[0]!.message, /^unknown role "Employe" \(did you mean "Employee"\?\); defined roles: Employee, Manager, r000/);
    assert.match(problems[1]!.message, /^unknown role "x000" \(did you mean "r000"\?\)/);
    const suggested = problems.filter((p) => p.message.includes('did you mean')).length;
    assert.ok(suggested <= suggest.suggestLimits.maxWords, `${suggested} suggestions`);
    assert.match(problems.at(-1)!.message, /^unknown role "Managr"; defined roles:/, 'past the bound, no suggestion');
  });

  it('walks a 9,000-role inheritance chain and a 9,000-role loop in linear time', () => {
    const rolesOf = (role: (i: number) => object): Record<string, object> =>
      Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [name('r', i), role(i)]));
    // r000 → r001 → … → r6xz (the walk from the first role crosses every role).
    const chain = rolesOf((i) => (i < 8999 ? { inherits: name('r', i + 1) } : {}));
    let began = performance.now();
    assert.deepEqual(getSemanticProblems({ roles: chain }), []);
    const chainMs = performance.now() - began;
    assert.ok(chainMs < 1000, `the chain took ${chainMs.toFixed(0)} ms`);
    const loop = rolesOf((i) => ({ inherits: name('r', (i + 1) % 9000) }));
    began = performance.now();
    const problems = getSemanticProblems({ roles: loop });
    const loopMs = performance.now() - began;
    assert.ok(loopMs < 1000, `the loop took ${loopMs.toFixed(0)} ms`);
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0]!.path, ['roles', 'r000', 'inherits']);
    assert.match(problems[0]!.message, /^inheritance loop: r000 → r001 → .* → r6xz → r000;/);
  });

  it('counts string comparisons: bounded, whatever the number of unknown and defined names', () => {
    const count = (n: number): number => {
      const defined = Array.from({ length: n }, (_, i) => name('r', i));
      const suggester = suggest.createSuggester(defined);
      for (let i = 0; i < n; i += 1) suggester.suggest(name('x', i));
      return suggester.comparisons;
    };
    const small = count(1000);
    const large = count(9000);
    assert.ok(large <= suggest.suggestLimits.maxComparisons, `${large} comparisons for 9,000 × 9,000 names`);
    assert.ok(large <= 9 * small + 1, `comparisons grow faster than the input: ${small} → ${large}`);
  });

  it('suggests as before: closest within a third of the length, case-insensitive, first on a tie', () => {
    const suggester = suggest.createSuggester(['Employee', 'Manager', 'Admin', 'Admit']);
    assert.equal(suggester.suggest('employe'), 'Employee');
    assert.equal(suggester.suggest('MANAGER'), 'Manager');
    assert.equal(suggester.suggest('Admn'), 'Admin');
    assert.equal(suggester.suggest('Admiz'), 'Admin');
    assert.equal(suggester.suggest('Zebra'), undefined);
    assert.equal(suggest.didYouMean('rdss', ['ec2', 'rds', 'lambda']), ' (did you mean "rds"?)');
    assert.equal(suggest.didYouMean('xyz', ['ec2', 'rds', 'lambda']), '');
  });

  it('checks other floods inside 256 KiB (9,000 unknown keys, 9,000 role ARNs) in well under a second, 100 problems shown', () => {
    const acct = '111122223333';
    const policy = (): Record<string, any> => ({ // eslint-disable-line @typescript-eslint/no-explicit-any -- built freely
      version: 1, accounts: [{ id: acct, name: 'a', region: 'us-east-1' }], roles: { E: { roleArns: {}, grants: [] } }, assignments: [],
    });
    const roleKeys = policy();
    const topKeys = policy();
    const roleArns = policy();
    for (let i = 0; i < 9000; i += 1) {
      roleKeys.roles.E[name('k', i)] = 0;
      topKeys[name('k', i)] = 0;
      roleArns.roles.E.roleArns[String(100_000_000_000 + i)] = 'x';
    }
    for (const [what, value] of Object.entries({ roleKeys, topKeys, roleArns })) {
      const { problems, ms } = timedCheck(JSON.stringify(value));
      assert.ok(ms < 1000, `${what}: the check took ${ms.toFixed(0)} ms`);
      assert.equal(problems.length, maxReportedProblems + 1, what);
    }
  });
});
