import assert from 'node:assert/strict';
import { decideExpiry, needsNewRoleCredentials } from '../../src/core/sso/expiry';
import { getConfigAddition, getSsoChoices } from '../../src/core/sso/ssoConfig';

const min = 60_000;

describe('sso: when to refresh and when to prompt', () => {
  it('a refreshable sign-in is refreshed in its last 5 minutes and never prompts before it ends', () => {
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 0, canRefresh: true }), {
      kind: 'fresh',
      checkAt: 55 * min,
    });
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 56 * min, canRefresh: true }), { kind: 'refresh' });
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 60 * min, canRefresh: true }), { kind: 'expired' });
  });

  it('without a refresh (or once it failed) the status bar warns in the last 15 minutes', () => {
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 0, canRefresh: false }), {
      kind: 'fresh',
      checkAt: 45 * min,
    });
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 46 * min, canRefresh: false }), {
      kind: 'endingSoon',
      minutesLeft: 14,
    });
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 57 * min, canRefresh: true, refreshFailed: true }), {
      kind: 'endingSoon',
      minutesLeft: 3,
    });
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 60 * min - 1, canRefresh: false }), {
      kind: 'endingSoon',
      minutesLeft: 1,
    });
    assert.deepEqual(decideExpiry({ expiresAt: 60 * min, now: 61 * min, canRefresh: false }), { kind: 'expired' });
  });

  it('role credentials are fetched again 5 minutes before they expire', () => {
    assert.equal(needsNewRoleCredentials(undefined, 0), true);
    assert.equal(needsNewRoleCredentials(10 * min, 4 * min), false);
    assert.equal(needsNewRoleCredentials(10 * min, 5 * min), true);
  });
});

describe('sso: the AWS config', () => {
  const sessions = {
    demo: { sso_start_url: 'https://x.awsapps.com/start', sso_region: 'us-east-1' },
    broken: { sso_region: 'us-east-1' },
  };
  const profiles = {
    dev: { sso_session: 'demo', sso_account_id: '111122223333', sso_role_name: 'Developer' },
    old: { sso_start_url: 'https://old.awsapps.com/start', sso_region: 'eu-west-1' },
    keys: { aws_access_key_id: 'AKIA' },
  };

  it('offers sso-sessions and the profiles that use them (legacy ones by start URL), nothing else', () => {
    const choices = getSsoChoices(profiles, sessions);
    assert.deepEqual(
      choices.map((c) => [c.label, c.session.name, c.profile?.roleName]),
      [
        ['sso-session demo', 'demo', undefined],
        ['profile dev', 'demo', 'Developer'],
        ['profile old', undefined, undefined],
      ],
    );
  });

  const add = {
    sessionName: 'demo',
    startUrl: 'https://x.awsapps.com/start',
    region: 'us-east-1',
    profileName: 'dev',
    accountId: '111122223333',
    roleName: 'Developer',
  };

  it("appends the sections that are missing, never rewrites the user's", () => {
    assert.equal(
      getConfigAddition('[default]\nregion = eu-west-1\n', add),
      '\n[sso-session demo]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n[profile dev]\nsso_session = demo\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = us-east-1\n',
    );
    assert.equal(
      getConfigAddition('[sso-session demo]\nsso_start_url = https://other\n', add)?.includes('[sso-session'),
      false,
    );
    assert.equal(getConfigAddition('[sso-session demo]\n[profile  dev]\n', add), undefined);
  });

  it('refuses values that would break out of an INI line', () => {
    assert.throws(() => getConfigAddition('', { ...add, roleName: 'Dev\n[default]' }), /cannot hold/);
    assert.throws(() => getConfigAddition('', { ...add, sessionName: 'a]b' }), /cannot hold/);
  });
});
