// The admin panel shows how each grant's MFA is met per kind of identity, and the "who gets
// what" simulation says it for the simulated principal's kind (with the 1-hour chaining cap
// for role sessions), so the panel never claims an MFA IAM cannot check.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPermissionMatrix, getPermissionCell } from '../../src/core/admin/permissionMatrix';
import { simulatePrincipal } from '../../src/core/admin/simulatePrincipal';
import { parsePolicy } from '../../src/core/policy/parse';
import { adminToWebviewSchema } from '../../src/shared/adminMessages';
import { parseMessage } from '../../src/shared/messages';
import { getMatrixRows, simulate } from '../../src/vscode/admin/adminData';

const parsed = parsePolicy(readFileSync(join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));
assert.ok(parsed.ok);
const policy = parsed.policy;
const sso = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/sam.sso';
const erin = 'arn:aws:iam::111122223333:user/erin.employee';

describe('admin: MFA per kind of identity', () => {
  it("the matrix says per kind how each grant's MFA is met", () => {
    const matrix = buildPermissionMatrix(policy);
    assert.deepEqual(getPermissionCell(matrix, 'Employee', 'rds', 'read')?.mfaBy, {
      iamUser: 'totp',
      identityCenter: 'signIn',
      saml: 'signIn',
    });
    const rows = getMatrixRows(policy);
    const rds = rows.find((r) => r.role === 'Employee' && r.service === 'rds' && r.level === 'read');
    assert.equal(rds?.mfaText, 'TOTP (IAM users) / Identity Center sign-in / SAML sign-in');
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

  it('simulating an Identity Center session shows its sign-in as the MFA, what IAM cannot verify, and the 1-hour chaining cap', () => {
    const result = simulatePrincipal(policy, sso);
    assert.ok(result.valid);
    assert.equal(result.identityKind, 'identityCenter');
    assert.match(
      result.explanation,
      /Identity Center session: MFA is met by the Identity Center sign-in \(IAM cannot verify it\); no TOTP code is asked/,
    );
    assert.match(result.explanation, /at most 1 hour \(role chaining\)/);
    const message = simulate(policy, sso);
    assert.ok(message.grants.length > 0);
    assert.ok(
      message.grants.every((g) => g.mfaText === 'Identity Center sign-in'),
      JSON.stringify(message.grants.map((g) => g.mfaText)),
    );
  });

  it('simulating an IAM user shows TOTP at AssumeRole and no chaining cap', () => {
    const result = simulatePrincipal(policy, erin);
    assert.ok(result.valid);
    assert.equal(result.identityKind, 'iamUser');
    assert.match(result.explanation, /IAM user: MFA is a TOTP code at AssumeRole/);
    assert.doesNotMatch(result.explanation, /role chaining/);
    assert.ok(simulate(policy, erin).grants.every((g) => g.mfaText === 'TOTP at AssumeRole'));
  });
});
