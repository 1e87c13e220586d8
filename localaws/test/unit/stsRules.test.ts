import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseSessionPolicy } from '../../iam/policyGrammar';
import {
  checkDurationForRole,
  checkPackedSize,
  packedPolicySize,
  readAssumeRoleInput,
  validateAssumeRoleInput,
  type AssumeRoleInput,
} from '../../sts/rules';
import { AwsError } from '../../server/types';

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['rds:Describe*', 'rds:ListTagsForResource', 'cloudwatch:GetMetricData'],
      Resource: '*',
    },
  ],
});

function input(overrides: Partial<AssumeRoleInput> = {}): AssumeRoleInput {
  return {
    roleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee',
    roleSessionName: 'erin-1',
    policyArns: [],
    tags: [],
    transitiveTagKeys: [],
    ...overrides,
  };
}

function throwsAws(fn: () => unknown, code: string, message?: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

describe('localaws stsRules: packed size', () => {
  it('is a small percentage for an ordinary session policy and a few tags', () => {
    const size = packedPolicySize(policy, [
      { Key: 'infrawatch:request', Value: 'r1' },
      { Key: 'infrawatch:service', Value: 'rds' },
    ]);
    assert.ok(size > 0 && size < 20, `got ${size}`);
  });

  it('ignores insignificant whitespace in the policy, as the packed form does', () => {
    const pretty = JSON.stringify(JSON.parse(policy), null, 4);
    assert.equal(packedPolicySize(pretty, []), packedPolicySize(policy, []));
  });

  it('grows with tags and passes 100 % with 50 long random tags', () => {
    const few = packedPolicySize(policy, [{ Key: 'k', Value: 'v' }]);
    const tags = Array.from({ length: 50 }, (_, i) => ({
      Key: `k${i}${randomBytes(40).toString('hex')}`,
      Value: randomBytes(120).toString('hex'),
    }));
    const many = packedPolicySize(policy, tags);
    assert.ok(many > 100 && many > few, `few ${few}, many ${many}`);
    throwsAws(
      () => checkPackedSize(many),
      'PackedPolicyTooLarge',
      `Packed policy consumes ${many}% of allotted space, please use smaller policy for this session.`,
    );
    assert.doesNotThrow(() => checkPackedSize(100));
  });

  it('is 0 with neither policy nor tags', () => {
    assert.equal(packedPolicySize(undefined, []), 0);
  });
});

describe('localaws stsRules: parameter validation', () => {
  it('reads the awsQuery form, including Tags.member.N', () => {
    const parsed = readAssumeRoleInput({
      RoleArn: 'a',
      RoleSessionName: 'b',
      'Tags.member.2.Key': 'k2',
      'Tags.member.2.Value': 'v2',
      'Tags.member.1.Key': 'k1',
      'Tags.member.1.Value': 'v1',
    });
    assert.deepEqual(parsed.tags, [
      { Key: 'k1', Value: 'v1' },
      { Key: 'k2', Value: 'v2' },
    ]);
  });

  it('reports several member violations in one message, as AWS does', () => {
    throwsAws(
      () => validateAssumeRoleInput(input({ roleSessionName: 'x', durationSeconds: '100' })),
      'ValidationError',
      "2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
        "Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  it('requires RoleArn and RoleSessionName', () => {
    throwsAws(
      () => validateAssumeRoleInput(input({ roleSessionName: undefined })),
      'ValidationError',
      /Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null/,
    );
  });

  it('accepts a valid input and boundary values', () => {
    assert.doesNotThrow(() =>
      validateAssumeRoleInput(
        input({ durationSeconds: '900', tokenCode: '000000', serialNumber: 'GAHT12345', sourceIdentity: 'ab', policy }),
      ),
    );
    assert.doesNotThrow(() =>
      validateAssumeRoleInput(
        input({
          roleSessionName: 'a'.repeat(64),
          tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: '' })),
        }),
      ),
    );
  });

  it('rejects duplicate tag keys case-insensitively', () => {
    throwsAws(
      () =>
        validateAssumeRoleInput(
          input({
            tags: [
              { Key: 'Team', Value: 'a' },
              { Key: 'team', Value: 'b' },
            ],
          }),
        ),
      'ValidationError',
      /Duplicate tag keys/,
    );
  });

  it('caps chained sessions at one hour before the role maximum', () => {
    throwsAws(
      () => checkDurationForRole(3601, 43200, true),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    throwsAws(
      () => checkDurationForRole(3601, 3600, false),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    assert.doesNotThrow(() => checkDurationForRole(3600, 3600, true));
  });
});

describe('localaws policyGrammar', () => {
  it('accepts a well-formed session policy', () => {
    assert.equal(Array.isArray(parseSessionPolicy(policy).Statement), true);
  });

  it('rejects invalid JSON and invalid grammar with MalformedPolicyDocument', () => {
    throwsAws(() => parseSessionPolicy('{'), 'MalformedPolicyDocument');
    throwsAws(() => parseSessionPolicy('{"Version":"2012-10-17"}'), 'MalformedPolicyDocument');
    throwsAws(
      () =>
        parseSessionPolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ListMetrics', Resource: '*' }] })),
      'MalformedPolicyDocument',
      /prefaced by a vendor/,
    );
    throwsAws(
      () =>
        parseSessionPolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'bucket' }] })),
      'MalformedPolicyDocument',
      /ARN format/,
    );
    throwsAws(
      () =>
        parseSessionPolicy(
          JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }),
        ),
      'MalformedPolicyDocument',
      /principal/,
    );
    throwsAws(
      () =>
        parseSessionPolicy(
          JSON.stringify({ Version: '2020-01-01', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
        ),
      'MalformedPolicyDocument',
    );
    throwsAws(
      () =>
        parseSessionPolicy(
          JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bogus: { a: 'b' } } }],
          }),
        ),
      'MalformedPolicyDocument',
    );
  });
});
