// The broker follows the grant's MFA per kind of identity: an IAM user sends its TOTP code at
// AssumeRole; an Identity Center (or SAML) session, whose MFA is the identity provider's
// sign-in, is asked for no code and sends no SerialNumber/TokenCode (it has no device of its own).
import * as assert from 'node:assert/strict';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLog } from '../../src/core/ports';
import { type EffectiveGrant } from '../../src/core/policy/roles';
import { findMfaSerial, requestSession, type SessionRequest } from '../../src/core/sts/broker';
import { StsError } from '../../src/core/sts/stsError';

const account = '111122223333';
const now = Date.parse('2026-11-24T10:00:00Z');
const user = { arn: `arn:aws:iam::${account}:user/erin.employee`, account, userId: 'AIDAEXAMPLE' };
const sso = {
  arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/sam.sso`,
  account,
  userId: 'AROAEXAMPLE:sam.sso',
};
const saml = {
  arn: `arn:aws:sts::${account}:assumed-role/OktaDevelopers/ada@example.com`,
  account,
  userId: 'AROAEXAMPLE2:ada@example.com',
};

// The default ("mfa" unset or true): TOTP for IAM users, the sign-in for federated kinds.
const grant: EffectiveGrant = {
  service: 'rds',
  level: 'read',
  resources: ['*'],
  maxMinutes: 60,
  defaultMinutes: 30,
  mfa: true,
  mfaBy: { iamUser: 'totp', identityCenter: 'signIn', saml: 'signIn' },
  reason: false,
  ticket: false,
  fromRole: 'Employee',
  inherited: false,
};

const request = (caller: SessionRequest['caller'], over: Partial<SessionRequest> = {}): SessionRequest => ({
  caller,
  role: 'Employee',
  roleArn: `arn:aws:iam::${account}:role/InfraWatch-Employee`,
  grant,
  account,
  region: 'us-east-1',
  durationSeconds: 1800,
  ...over,
});

const issued = {
  Credentials: {
    AccessKeyId: 'ASIAISSUEDKEY0000001',
    SecretAccessKey: 'issued-secret',
    SessionToken: 'issued-token',
    Expiration: new Date(now + 1_800_000),
  },
  AssumedRoleUser: {
    Arn: `arn:aws:sts::${account}:assumed-role/InfraWatch-Employee/x@req0000001`,
    AssumedRoleId: 'AROA:x',
  },
};

describe('STS broker: MFA per kind of identity', () => {
  const sts = new STSClient({ region: 'us-east-1' });
  const stsMock = mockClient(sts);
  const deps = { sts, clock: { now: () => now }, log: silentLog, newRequestId: () => 'req0000001' };
  beforeEach(() => {
    stsMock.reset();
    stsMock.on(AssumeRoleCommand).resolves(issued);
  });
  after(() => stsMock.restore());

  it('an IAM user still needs the TOTP code, and sends it with its device', async () => {
    await assert.rejects(
      requestSession(deps, request(user)),
      (e: unknown) => e instanceof StsError && e.nextAction === 'reenterMfa' && /requires MFA/.test(e.message),
    );
    assert.equal(stsMock.commandCalls(AssumeRoleCommand).length, 0);
    await requestSession(deps, request(user, { tokenCode: '493817' }));
    const input = stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    assert.equal(input.SerialNumber, `arn:aws:iam::${account}:mfa/erin.employee`);
    assert.equal(input.TokenCode, '493817');
  });

  for (const [name, caller] of [
    ['Identity Center', sso],
    ['SAML', saml],
  ] as const) {
    it(`an ${name} session whose MFA is the sign-in is asked no code and sends no SerialNumber/TokenCode`, async () => {
      await requestSession(deps, request(caller));
      const input = stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
      assert.equal(input.SerialNumber, undefined);
      assert.equal(input.TokenCode, undefined);
    });

    it(`an ${name} session never sends a code, even one given (a role session has no MFA device)`, async () => {
      await requestSession(
        deps,
        request(caller, { tokenCode: '493817', mfaSerial: `arn:aws:iam::${account}:mfa/sam.sso` }),
      );
      const input = stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
      assert.equal(input.SerialNumber, undefined);
      assert.equal(input.TokenCode, undefined);
    });
  }

  it('guesses no MFA device for a role session', () => {
    assert.equal(findMfaSerial(sso), undefined);
    assert.equal(findMfaSerial(user), `arn:aws:iam::${account}:mfa/erin.employee`);
  });
});
