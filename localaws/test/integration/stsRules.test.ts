// One failing input per AssumeRole rule (sts/rules.ts, listed in localaws/README.md), each asserting AWS's exact error
// code and, for the key ones, its message. A fresh endpoint per test keeps MFA codes fresh.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AssumeRoleCommand, type AssumeRoleCommandInput, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { jitRoleArn } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import { credentialsOf, identity, stsClient, totpCode } from '../../testing/clients';
import type { PolicyStatement } from '../../server/types';

const employeeRole = jitRoleArn('InfraWatch-Employee');

function validInput(
  aws: LocalAws,
  who: string,
  overrides: Partial<AssumeRoleCommandInput> = {},
): AssumeRoleCommandInput {
  return {
    RoleArn: employeeRole,
    RoleSessionName: `${who}-s1`,
    // An IAM user brings MFA; the sso role session has no MFA device to present (API_AssumeRole SerialNumber).
    ...(who === 'sso' ? {} : { SerialNumber: identity(aws, who).mfaSerial, TokenCode: totpCode(aws, who) }),
    ...overrides,
  };
}

function assume(
  aws: LocalAws,
  who: string,
  overrides: Partial<AssumeRoleCommandInput> = {},
  region?: string,
): Promise<AssumeRoleCommandOutput> {
  const client = stsClient(aws, credentialsOf(aws, who));
  if (region) client.config.region = async () => region;
  return client.send(new AssumeRoleCommand(validInput(aws, who, overrides)));
}

/**
 * Asserts the wire error code. SDK v3 puts it in `Code`; `name` is the modeled exception
 * (e.g. MalformedPolicyDocument arrives as name MalformedPolicyDocumentException).
 */
async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  message?: string | RegExp,
  sdkName?: string,
): Promise<void> {
  await assert.rejects(promise, (e: Error & { Code?: string }) => {
    assert.equal(e.Code ?? e.name, code, `expected ${code}, got ${e.Code ?? e.name}: ${e.message}`);
    if (sdkName) assert.equal(e.name, sdkName);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

function trustStatement(aws: LocalAws, roleArn = employeeRole): PolicyStatement {
  const doc = aws.state.roles.get(roleArn)!.trustPolicy;
  return (Array.isArray(doc.Statement) ? doc.Statement[0] : doc.Statement) as PolicyStatement;
}

describe('local AWS endpoint: AssumeRole rules', function () {
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());

  const employeeArn = 'arn:aws:iam::111122223333:user/erin.employee';

  it('the valid baseline succeeds (so each failure below is caused by its one change)', async () => {
    const out = await assume(aws, 'employee');
    assert.ok(out.Credentials?.AccessKeyId);
  });

  describe('RoleArn and permissions', () => {
    it('a RoleArn shorter than 20 characters → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { RoleArn: 'arn:aws:iam::1:role' }),
        'ValidationError',
        "1 validation error detected: Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      ));

    it('a RoleArn that is not a role ARN → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { RoleArn: 'arn:aws:s3:::some-bucket-name-here' }),
        'ValidationError',
        'Request ARN is invalid',
      ));

    it('a role that does not exist → AccessDenied (AWS does not reveal existence)', () =>
      rejectsWith(
        assume(aws, 'employee', { RoleArn: jitRoleArn('Nope') }),
        'AccessDenied',
        `User: ${employeeArn} is not authorized to perform: sts:AssumeRole on resource: ${jitRoleArn('Nope')}`,
      ));

    it('a caller the trust policy does not name → AccessDenied', () =>
      rejectsWith(
        assume(aws, 'employee', { RoleArn: jitRoleArn('InfraWatch-Admin') }),
        'AccessDenied',
        `User: ${employeeArn} is not authorized to perform: sts:AssumeRole on resource: ${jitRoleArn('InfraWatch-Admin')}`,
      ));

    // Same account: a trust policy naming the account needs the caller's own Allow too; one naming
    // the user's ARN is enough alone (IAM policy evaluation logic; trustRules test has the rest).
    it('a caller whose own policy lacks sts:AssumeRole → AccessDenied when the trust names the account', async () => {
      trustStatement(aws).Principal = { AWS: 'arn:aws:iam::111122223333:root' };
      await rejectsWith(
        assume(aws, 'unassigned'),
        'AccessDenied',
        `User: arn:aws:iam::111122223333:user/uma.unassigned is not authorized to perform: sts:AssumeRole on resource: ${employeeRole}`,
      );
    });

    it('a caller whose own policy lacks sts:AssumeRole may still assume a role whose trust names its ARN', async () => {
      const principal = trustStatement(aws).Principal as { AWS: string[] };
      principal.AWS.push('arn:aws:iam::111122223333:user/uma.unassigned');
      const out = await assume(aws, 'unassigned');
      assert.ok(out.Credentials?.AccessKeyId);
    });
  });

  describe('DurationSeconds', () => {
    it('below 900 → ValidationError with the member constraint', () =>
      rejectsWith(
        assume(aws, 'employee', { DurationSeconds: 899 }),
        'ValidationError',
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ));

    it('above 43200 → ValidationError', () =>
      rejectsWith(
        assume(aws, 'admin', { RoleArn: jitRoleArn('InfraWatch-Admin'), DurationSeconds: 43201 }),
        'ValidationError',
        /Member must have value less than or equal to 43200$/,
      ));

    it("above the role's MaxSessionDuration → ValidationError", () =>
      rejectsWith(
        assume(aws, 'employee', { DurationSeconds: 7200 }),
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      ));

    it('up to the MaxSessionDuration is fine (Manager: 4 hours)', async () => {
      const out = await assume(aws, 'manager', { RoleArn: jitRoleArn('InfraWatch-Manager'), DurationSeconds: 14400 });
      assert.ok(out.Credentials?.Expiration);
    });

    it('role chaining (caller is a role session) over 1 hour → ValidationError', async () => {
      // Anyone, without the MFA the sso role session cannot bring.
      const statement = trustStatement(aws, jitRoleArn('InfraWatch-Manager'));
      statement.Principal = '*';
      delete statement.Condition;
      const role = aws.state.roles.get(jitRoleArn('InfraWatch-Manager'))!;
      await rejectsWith(
        assume(aws, 'sso', { RoleArn: role.arn, DurationSeconds: 3601 }),
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    });
  });

  describe('RoleSessionName and SourceIdentity', () => {
    it('a 1-character RoleSessionName → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { RoleSessionName: 'e' }),
        'ValidationError',
        "1 validation error detected: Value 'e' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ));

    it('a 65-character RoleSessionName → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { RoleSessionName: 'a'.repeat(65) }),
        'ValidationError',
        /Member must have length less than or equal to 64$/,
      ));

    it('a RoleSessionName with a space → ValidationError (pattern)', () =>
      rejectsWith(
        assume(aws, 'employee', { RoleSessionName: 'erin employee' }),
        'ValidationError',
        "1 validation error detected: Value 'erin employee' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ));

    it('a SourceIdentity with a character outside [\\w+=,.@-] → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { SourceIdentity: 'erin/employee' }),
        'ValidationError',
        /at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      ));

    it('a SourceIdentity starting with "aws:" → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { SourceIdentity: 'aws:erin' }),
        'ValidationError',
        /prefix 'aws:' is reserved/,
      ));

    it('a SourceIdentity when the trust policy lacks sts:SetSourceIdentity → AccessDenied', async () => {
      trustStatement(aws).Action = ['sts:AssumeRole', 'sts:TagSession'];
      await rejectsWith(
        assume(aws, 'employee', { SourceIdentity: 'erin.employee' }),
        'AccessDenied',
        `User: ${employeeArn} is not authorized to perform: sts:SetSourceIdentity on resource: ${employeeRole}`,
      );
    });

    it('a SourceIdentity cannot change down a chain; the same one or none passes and is kept', async () => {
      aws.state.credentials.get(identity(aws, 'sso').accessKeyId)!.principal.sourceIdentity = 'sam.sso';
      await rejectsWith(
        assume(aws, 'sso', { SourceIdentity: 'someone.else' }),
        'AccessDenied',
        /source identity 'sam\.sso' of a role session cannot be changed/,
      );
      const inherited = await assume(aws, 'sso');
      assert.equal(inherited.SourceIdentity, 'sam.sso');
    });
  });

  describe('Policy and packed size', () => {
    it('a Policy longer than 2048 characters → ValidationError', () => {
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*', Sid: 'x'.repeat(2100) }],
      });
      return rejectsWith(
        assume(aws, 'employee', { Policy: policy }),
        'ValidationError',
        /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048$/,
      );
    });

    it('a Policy that is not JSON → MalformedPolicyDocument', () =>
      rejectsWith(
        assume(aws, 'employee', { Policy: '{"Version": "2012-10-17", Statement: [' }),
        'MalformedPolicyDocument',
        undefined,
        'MalformedPolicyDocumentException',
      ));

    it('a Policy with invalid grammar (Effect "Maybe") → MalformedPolicyDocument', () =>
      rejectsWith(
        assume(aws, 'employee', {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Maybe', Action: 'ec2:*', Resource: '*' }],
          }),
        }),
        'MalformedPolicyDocument',
        'Syntax errors in policy.',
      ));

    it('policy + tags packing over 100 % → PackedPolicyTooLarge', () => {
      const tags = Array.from({ length: 50 }, (_, i) => ({
        Key: `k${i}-${randomBytes(40).toString('hex')}`,
        Value: randomBytes(120).toString('hex'),
      }));
      return rejectsWith(
        assume(aws, 'employee', { Tags: tags }),
        'PackedPolicyTooLarge',
        /^Packed policy consumes \d+% of allotted space/,
        'PackedPolicyTooLargeException',
      );
    });
  });

  describe('Tags', () => {
    it('51 tags → ValidationError', () => {
      const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      return rejectsWith(
        assume(aws, 'employee', { Tags: tags }),
        'ValidationError',
        /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
      );
    });

    it('a 129-character tag key → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }),
        'ValidationError',
        /at 'tags\.1\.member\.key' failed to satisfy constraint: Member must have length less than or equal to 128$/,
      ));

    it('a 257-character tag value → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }),
        'ValidationError',
        /at 'tags\.1\.member\.value' failed to satisfy constraint: Member must have length less than or equal to 256$/,
      ));

    it('tags when the trust policy lacks sts:TagSession → AccessDenied', async () => {
      trustStatement(aws).Action = ['sts:AssumeRole', 'sts:SetSourceIdentity'];
      await rejectsWith(
        assume(aws, 'employee', { Tags: [{ Key: 'k', Value: 'v' }] }),
        'AccessDenied',
        `User: ${employeeArn} is not authorized to perform: sts:TagSession on resource: ${employeeRole}`,
      );
    });
  });

  describe('MFA', () => {
    const mfaFailed = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';

    it('a SerialNumber shorter than 9 characters → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { SerialNumber: 'GAHT1234' }),
        'ValidationError',
        /at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9$/,
      ));

    it('a 5-digit TokenCode → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { TokenCode: '12345' }),
        'ValidationError',
        /at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6$/,
      ));

    it('a TokenCode that is not digits → ValidationError', () =>
      rejectsWith(
        assume(aws, 'employee', { TokenCode: 'abcdef' }),
        'ValidationError',
        /at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\d\]\*$/,
      ));

    it('no MFA for a role whose trust requires it → AccessDenied', () =>
      rejectsWith(
        assume(aws, 'employee', { SerialNumber: undefined, TokenCode: undefined }),
        'AccessDenied',
        `User: ${employeeArn} is not authorized to perform: sts:AssumeRole on resource: ${employeeRole}`,
      ));

    it('a wrong code → AccessDenied (MFA failed)', () => {
      const wrong = String((Number(totpCode(aws, 'employee')) + 500_000) % 1_000_000).padStart(6, '0');
      return rejectsWith(assume(aws, 'employee', { TokenCode: wrong }), 'AccessDenied', mfaFailed);
    });

    it("another user's MFA device → AccessDenied (MFA failed)", () =>
      rejectsWith(
        assume(aws, 'employee', {
          SerialNumber: identity(aws, 'manager').mfaSerial,
          TokenCode: totpCode(aws, 'manager'),
        }),
        'AccessDenied',
        mfaFailed,
      ));

    it('a code used once already → AccessDenied (MFA failed)', async () => {
      const code = totpCode(aws, 'employee');
      await assume(aws, 'employee', { TokenCode: code });
      await rejectsWith(
        assume(aws, 'employee', { TokenCode: code, RoleSessionName: 'employee-s2' }),
        'AccessDenied',
        mfaFailed,
      );
    });
  });

  describe('service conditions', () => {
    it('a disabled region → RegionDisabledException', async () => {
      aws.state.disabledRegions.add('eu-south-1');
      await rejectsWith(
        assume(aws, 'employee', {}, 'eu-south-1'),
        'RegionDisabledException',
        /STS is not activated in this region/,
      );
    });

    it('the throttle switch → Throttling', async () => {
      aws.state.throttledServices.add('sts');
      await rejectsWith(assume(aws, 'employee'), 'Throttling', 'Rate exceeded');
    });
  });
});
