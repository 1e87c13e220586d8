// The policy's MFA per kind of identity: `mfa: true/false` as before, or an object saying how
// IAM users, Identity Center sessions and SAML sessions meet it; and the kind of a caller ARN.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getIdentityKind } from '../../src/core/identity';
import { describeMfaBy, getMfaMethod, needsTotp } from '../../src/core/policy/mfa';
import { parsePolicy } from '../../src/core/policy/parse';
import { getEffectiveGrants } from '../../src/core/policy/roles';
import { getPolicyWarnings } from '../../src/core/policy/warnings';

function policyWith(mfa: unknown): string {
  const grant: Record<string, unknown> = { service: 'rds', levels: ['read'] };
  if (mfa !== undefined) grant.mfa = mfa;
  return JSON.stringify({
    version: 1,
    accounts: [{ id: '111122223333', name: 'demo', region: 'us-east-1' }],
    roles: {
      Employee: { roleArns: { '111122223333': 'arn:aws:iam::111122223333:role/InfraWatch-Employee' }, grants: [grant] },
    },
    assignments: [],
  });
}

function grantOf(mfa: unknown) {
  const parsed = parsePolicy(policyWith(mfa));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.map((p) => p.message).join('; '));
  return getEffectiveGrants(parsed.policy, 'Employee')[0]!;
}

function problemsOf(mfa: unknown): string[] {
  const parsed = parsePolicy(policyWith(mfa));
  assert.equal(parsed.ok, false);
  return parsed.ok ? [] : parsed.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('policy: MFA per kind of identity', () => {
  it('a grant without "mfa", and "mfa": true, mean TOTP for IAM users and the sign-in for Identity Center and SAML', () => {
    for (const mfa of [undefined, true]) {
      const grant = grantOf(mfa);
      assert.deepEqual(grant.mfaBy, { iamUser: 'totp', identityCenter: 'signIn', saml: 'signIn' });
      assert.equal(grant.mfa, true);
      assert.equal(needsTotp(grant, 'iamUser'), true);
      assert.equal(needsTotp(grant, 'identityCenter'), false);
    }
  });

  it('"mfa": false means no MFA for any kind', () => {
    const grant = grantOf(false);
    assert.deepEqual(grant.mfaBy, { iamUser: 'none', identityCenter: 'none', saml: 'none' });
    assert.equal(grant.mfa, false);
  });

  it('an object sets a method per kind; a kind left out takes its default', () => {
    const grant = grantOf({ identityCenter: 'none' });
    assert.deepEqual(grant.mfaBy, { iamUser: 'totp', identityCenter: 'none', saml: 'signIn' });
    assert.equal(getMfaMethod(grant, 'saml'), 'signIn');
    assert.equal(describeMfaBy(grant.mfaBy!), 'TOTP (IAM users) / SAML sign-in / none for Identity Center');
    assert.equal(
      describeMfaBy({ iamUser: 'totp', identityCenter: 'signIn', saml: 'signIn' }),
      'TOTP (IAM users) / Identity Center sign-in / SAML sign-in',
    );
  });

  it('refuses "totp" for a federated kind, saying why', () => {
    const problems = problemsOf({ identityCenter: 'totp' });
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(
      problems[0]!,
      /identityCenter.*Identity Center sessions cannot use "totp".*no MFA device of its own.*"signIn"/,
    );
  });

  it('refuses an unknown method, an unknown kind and a non-boolean', () => {
    assert.match(
      problemsOf({ iamUser: 'signIn' }).join('\n'),
      /"signIn" is not an MFA method for IAM users; expected "totp" or "none"/,
    );
    assert.match(problemsOf({ oidc: 'signIn' }).join('\n'), /oidc/);
    assert.ok(problemsOf('yes').length > 0);
  });

  it("the demo's Identity Center user needs no TOTP for any Employee grant; its IAM users do", () => {
    const parsed = parsePolicy(readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));
    assert.ok(parsed.ok);
    const grants = getEffectiveGrants(parsed.policy, 'Employee');
    assert.ok(grants.length > 0);
    assert.ok(grants.every((g) => !needsTotp(g, 'identityCenter')));
    assert.ok(grants.some((g) => needsTotp(g, 'iamUser')));
  });
});

describe('identity kind from the caller ARN', () => {
  const cases: Array<[string, string]> = [
    ['arn:aws:iam::111122223333:user/erin.employee', 'iamUser'],
    ['arn:aws:iam::111122223333:user/team/erin', 'iamUser'],
    ['arn:aws:iam::111122223333:root', 'iamUser'],
    ['arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/sam.sso', 'identityCenter'],
    [
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer_0123456789abcdef',
      'identityCenter',
    ],
    ['arn:aws:sts::111122223333:assumed-role/OktaDevelopers/ada@example.com', 'saml'],
    ['arn:aws:sts::111122223333:federated-user/bob', 'saml'],
    ['arn:aws-us-gov:sts::111122223333:assumed-role/AWSReservedSSO_Ops_1/x', 'identityCenter'],
  ];
  for (const [arn, kind] of cases) it(`${arn} → ${kind}`, () => assert.equal(getIdentityKind(arn), kind));
});

describe('policy warnings: write access without MFA, per kind', () => {
  it('names the kinds a per-kind "mfa" lets in without MFA', () => {
    const text = policyWith({ identityCenter: 'none' }).replace('"levels":["read"]', '"levels":["read","write"]');
    const parsed = parsePolicy(text);
    assert.ok(parsed.ok);
    const messages = getPolicyWarnings(parsed.policy).map((w) => w.message);
    assert.ok(
      messages.includes(
        'rds write access without MFA for Identity Center sessions; set "mfa": true unless this is deliberate',
      ),
      messages.join('\n'),
    );
  });
});
