import * as assert from 'node:assert/strict';
import {
  checkAssumeRoleRequest,
  checkDurationSeconds,
  checkMfaSerial,
  checkPolicyText,
  checkRoleArn,
  checkRoleSessionName,
  checkSourceIdentity,
  checkTagKey,
  checkTags,
  checkTagValue,
  checkTokenCode,
  normalizeTokenCode,
  type PreflightInput,
} from '../../src/core/sts/rules';

const ok = (result: string | undefined, what: string): void =>
  assert.equal(result, undefined, `${what} should pass, got: ${result}`);
const fails = (result: string | undefined, pattern: RegExp): void => {
  assert.ok(result !== undefined, `expected a problem matching ${pattern}`);
  assert.match(result, pattern);
};

describe('STS rules: DurationSeconds', () => {
  it('accepts 900–43,200 seconds and rejects outside, saying the range', () => {
    ok(checkDurationSeconds(900), '900');
    ok(checkDurationSeconds(43_200), '43200');
    fails(checkDurationSeconds(899), /at least 15 minutes/);
    fails(checkDurationSeconds(43_201), /at most 12 hours/);
    fails(checkDurationSeconds(1800.5), /whole number/);
  });

  it('caps at the role MaxSessionDuration and tells who can raise it', () => {
    ok(checkDurationSeconds(3600, { roleMaxSessionSeconds: 3600 }), 'equal to the role max');
    fails(
      checkDurationSeconds(7200, { roleMaxSessionSeconds: 3600 }),
      /2 hours is too long for the IAM role.*MaxSessionDuration\) is 1 hour.*raise/,
    );
  });

  it('caps at 1 hour for a role-session base (role chaining), whatever the role allows', () => {
    ok(checkDurationSeconds(3600, { baseIsRoleSession: true, roleMaxSessionSeconds: 43_200 }), 'one hour chained');
    fails(
      checkDurationSeconds(3601, { baseIsRoleSession: true, roleMaxSessionSeconds: 43_200 }),
      /role chaining.*Choose 1 hour or less/,
    );
    ok(checkDurationSeconds(7200, { baseIsRoleSession: false, roleMaxSessionSeconds: 43_200 }), 'two hours unchained');
  });
});

describe('STS rules: RoleSessionName and SourceIdentity', () => {
  it('accepts 2–64 characters of [\\w+=,.@-]', () => {
    ok(checkRoleSessionName('ab'), 'two chars');
    ok(checkRoleSessionName('erin.employee@3f9a2c1b0d'), 'user@id');
    ok(checkRoleSessionName('a_b+c=d,e.f@g-h'), 'every allowed punctuation');
    ok(checkRoleSessionName('x'.repeat(64)), '64 chars');
  });

  it('rejects the wrong length or characters with the rule in the message', () => {
    fails(checkRoleSessionName('a'), /2–64 characters.*has 1/);
    fails(checkRoleSessionName('x'.repeat(65)), /2–64 characters.*has 65/);
    fails(checkRoleSessionName('erin employee'), /not allow: use only letters, digits and \+ = , \. @ _ -/);
    fails(checkRoleSessionName('erin/employee'), /not allow/);
    fails(checkRoleSessionName('érin'), /not allow/);
  });

  it('applies the same rules to SourceIdentity, plus the reserved aws: prefix', () => {
    ok(checkSourceIdentity('erin.employee'), 'plain');
    fails(checkSourceIdentity('aws:erin'), /starts with "aws:".*remove the prefix/);
    fails(checkSourceIdentity('AWS:erin'), /reserves/);
    fails(checkSourceIdentity('e'), /2–64/);
    fails(checkSourceIdentity('erin#1'), /not allow/);
  });
});

describe('STS rules: session Policy', () => {
  const policy = (chars: number): string => {
    const base =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds:Describe*","Resource":"arn:aws:rds:::db:"}]}';
    return base.replace('db:', `db:${'x'.repeat(chars - base.length)}`);
  };

  it('accepts exactly 2,048 characters and rejects 2,049, saying what to change', () => {
    assert.equal(policy(2048).length, 2048);
    ok(checkPolicyText(policy(2048)), '2048');
    const problem = checkPolicyText(policy(2049), 12);
    fails(problem, /2,049 characters, over AWS's limit of 2,048 \(its 12 resource patterns\)/);
    fails(problem, /fewer resource patterns, or a broader pattern/);
  });

  it('names a broader pattern of the service the policy is for', () => {
    const ec2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*"],"Resource":"*"},{"Effect":"Deny","Action":"ec2:Start*","NotResource":"${'x'.repeat(2048)}"}]}`;
    fails(
      checkPolicyText(ec2, 30),
      /a broader pattern such as arn:aws:ec2:<region>:<account>:instance\/i-0prod\* instead of one per resource/,
    );
  });

  it('rejects a statement without an Effect, an Action or a Resource', () => {
    ok(
      checkPolicyText(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:Start*","NotResource":"arn:aws:ec2:*:*:instance/i-0prod*"}]}',
      ),
      'NotResource',
    );
    fails(
      checkPolicyText('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Start*"}]}'),
      /lacks .* MalformedPolicyDocument/,
    );
    fails(
      checkPolicyText('{"Version":"2012-10-17","Statement":{"Effect":"Maybe","Action":"ec2:Start*","Resource":"*"}}'),
      /lacks/,
    );
  });

  it('rejects text that is not JSON or has no Statement', () => {
    fails(checkPolicyText('{"Version":'), /not valid JSON.*MalformedPolicyDocument/);
    fails(checkPolicyText('{"Version":"2012-10-17"}'), /no Statement/);
    fails(checkPolicyText('null'), /no Statement/);
  });
});

describe('STS rules: Tags', () => {
  it('accepts keys of 1–128 and values of 0–256 allowed characters', () => {
    ok(checkTagKey('k'), 'one char key');
    ok(checkTagKey('k'.repeat(128)), '128 char key');
    ok(checkTagKey('infrawatch:request-id'), 'our key');
    ok(checkTagValue(''), 'empty value');
    ok(checkTagValue('v'.repeat(256)), '256 char value');
    ok(checkTagValue('OPS-1234 / hotfix: db@prod +2'), 'letters, spaces and punctuation');
    ok(checkTagValue('Überprüfung 42'), 'unicode letters');
  });

  it('rejects bad keys and values with the limit or the allowed set', () => {
    fails(checkTagKey(''), /1–128 characters: it has 0/);
    fails(checkTagKey('k'.repeat(129)), /1–128 characters: it has 129/);
    fails(checkTagKey('a#b'), /use only letters, digits, spaces and/);
    fails(checkTagKey('aws:thing'), /reserves/);
    fails(checkTagValue('v'.repeat(257)), /257 characters, over AWS's limit of 256/);
    fails(checkTagValue('JIRA #12', 'ticket id'), /ticket id "JIRA #12" contains characters/);
  });

  it('allows at most 50 tags and no duplicate keys (case-insensitive)', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    ok(checkTags(tags(50)), '50 tags');
    fails(checkTags(tags(51)), /51 session tags is over AWS's limit of 50/);
    fails(
      checkTags([
        { Key: 'Team', Value: 'a' },
        { Key: 'team', Value: 'b' },
      ]),
      /"team" appears twice/,
    );
    fails(checkTags([{ Key: 'ok', Value: 'a|b' }]), /value of session tag "ok"/);
  });
});

describe('STS rules: MFA', () => {
  it('accepts a virtual device ARN and a hardware serial', () => {
    ok(checkMfaSerial('arn:aws:iam::111122223333:mfa/erin.employee'), 'virtual ARN');
    ok(checkMfaSerial('arn:aws:iam::111122223333:mfa/team/erin'), 'ARN with path');
    ok(checkMfaSerial('GAHT12345678'), 'hardware serial');
  });

  it('rejects bad serials with the expected form', () => {
    fails(checkMfaSerial('GAHT1234'), /9–256 characters.*has 8/);
    fails(checkMfaSerial(`GAHT${'1'.repeat(253)}`), /has 257/);
    fails(
      checkMfaSerial('arn:aws:iam::111122223333:user/erin'),
      /not an MFA device ARN: expected arn:aws:iam::<12-digit account>:mfa\/<name>/,
    );
    fails(checkMfaSerial('arn:aws:iam::111122223333:u2f/user/erin/key'), /FIDO security key/);
    fails(checkMfaSerial('serial with spaces'), /not allow/);
  });

  it('wants exactly 6 digits and never echoes the code', () => {
    ok(checkTokenCode('012345'), 'six digits');
    for (const code of ['12345', '1234567', '12a456', '']) {
      const problem = checkTokenCode(code);
      fails(problem, /6-digit|exactly 6 digits/);
      if (code.length > 0) assert.ok(!problem?.includes(code), 'the code is not repeated');
    }
    assert.equal(normalizeTokenCode(' 123 456 '), '123456');
  });
});

describe('STS rules: RoleArn', () => {
  it('accepts role ARNs with paths and partitions, rejects anything else', () => {
    ok(checkRoleArn('arn:aws:iam::111122223333:role/InfraWatch-Employee'), 'plain');
    ok(checkRoleArn('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_X_1'), 'path');
    ok(checkRoleArn('arn:aws-us-gov:iam::111122223333:role/R1'), 'partition');
    fails(checkRoleArn('arn:aws:iam::111122223333:user/erin'), /not a role ARN.*access policy/);
    fails(checkRoleArn('arn:aws:iam::1111:role/R'), /not a role ARN/);
    fails(checkRoleArn(`arn:aws:iam::111122223333:role/${'r'.repeat(65)}`), /not a role ARN/);
  });
});

describe('STS rules: the whole request', () => {
  const good: PreflightInput = {
    roleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee',
    roleSessionName: 'erin.employee@abc123',
    durationSeconds: 1800,
    policy: '{"Version":"2012-10-17","Statement":[]}',
    serialNumber: 'arn:aws:iam::111122223333:mfa/erin.employee',
    tokenCode: '123456',
    sourceIdentity: 'erin.employee',
    tags: [{ Key: 'infrawatch:service', Value: 'rds' }],
    baseIsRoleSession: false,
  };

  it('finds nothing in a good request', () => {
    assert.deepEqual(checkAssumeRoleRequest(good), []);
  });

  it('reports every problem with its field and next action', () => {
    const problems = checkAssumeRoleRequest({
      ...good,
      roleArn: 'nope',
      durationSeconds: 7200,
      baseIsRoleSession: true,
      tokenCode: '12',
      tags: [{ Key: 'aws:x', Value: '' }],
    });
    assert.deepEqual(
      problems.map((p) => [p.field, p.nextAction]),
      [
        ['roleArn', 'fixPolicy'],
        ['durationSeconds', 'chooseShorter'],
        ['tags', 'editRequest'],
        ['tokenCode', 'reenterMfa'],
      ],
    );
  });

  it('wants the MFA device and code together', () => {
    assert.deepEqual(
      checkAssumeRoleRequest({ ...good, serialNumber: undefined }).map((p) => p.field),
      ['serialNumber'],
    );
    assert.deepEqual(
      checkAssumeRoleRequest({ ...good, tokenCode: undefined }).map((p) => [p.field, p.nextAction]),
      [['tokenCode', 'reenterMfa']],
    );
  });
});
