// The condition rules of the local endpoint, one test per rule AWS documents (issue 10, 3a/3b).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
import assert from 'node:assert/strict';
import { conditionsHold, parseOperator, type ConditionContext } from '../../iam/conditions';
import { authorizePrincipal, evaluatePolicies, principalContext } from '../../iam/evaluation';
import type { PolicyDocument, Principal } from '../../server/types';

type Block = Parameters<typeof conditionsHold>[0];

const holds = (condition: Block, context: ConditionContext = {}) => conditionsHold(condition, context);

function user(overrides: Partial<Principal> = {}): Principal {
  return {
    accessKeyId: 'AKIAEXAMPLE',
    accountId: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/erin',
    userId: 'AIDAEXAMPLE',
    kind: 'user',
    permissions: [],
    mfaAuthenticated: false,
    ...overrides,
  };
}

function session(overrides: Partial<Principal> = {}): Principal {
  return user({
    accessKeyId: 'ASIAEXAMPLE',
    arn: 'arn:aws:sts::111122223333:assumed-role/R/s',
    userId: 'AROAEXAMPLE:s',
    kind: 'role-session',
    roleArn: 'arn:aws:iam::111122223333:role/R',
    expiresAt: Date.now() + 3_600_000,
    ...overrides,
  });
}

describe('localaws conditions: a key absent from the request (3a)', () => {
  it('the issue example: Allow * + Deny * if StringNotEquals aws:PrincipalTag/team=platform denies an untagged session', () => {
    const permissions: PolicyDocument[] = [
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          {
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } },
          },
        ],
      },
    ];
    const untagged = session({ permissions });
    assert.deepEqual(authorizePrincipal(untagged, 'ec2:StopInstances', '*', principalContext(untagged, 'us-east-1')), {
      allowed: false,
      reason: 'identity-deny',
    });
    const tagged = session({ permissions, tags: { team: 'platform' } });
    assert.deepEqual(authorizePrincipal(tagged, 'ec2:StopInstances', '*', principalContext(tagged, 'us-east-1')), {
      allowed: true,
    });
  });

  const negated: Array<[string, string | string[]]> = [
    ['StringNotEquals', 'x'],
    ['StringNotEqualsIgnoreCase', 'x'],
    ['StringNotLike', 'x*'],
    ['ArnNotEquals', 'arn:aws:iam::111122223333:role/R'],
    ['ArnNotLike', 'arn:aws:iam::*:role/*'],
    ['NumericNotEquals', '3'],
    ['DateNotEquals', '2024-01-01T00:00:00Z'],
    ['NotIpAddress', '203.0.113.0/24'],
  ];
  for (const [operator, value] of negated) {
    it(`${operator} is true when the key is absent`, () => {
      assert.equal(holds({ [operator]: { 'test:Absent': value } }), true);
    });
  }

  const positive: Array<[string, string]> = [
    ['StringEquals', 'x'],
    ['StringLike', '*'],
    ['ArnLike', '*'],
    ['NumericLessThan', '3'],
    ['DateLessThan', '2030-01-01T00:00:00Z'],
    ['IpAddress', '0.0.0.0/0'],
    ['Bool', 'false'],
    ['BinaryEquals', 'QmluYXJ5'],
  ];
  for (const [operator, value] of positive) {
    it(`${operator} is false when the key is absent`, () => {
      assert.equal(holds({ [operator]: { 'test:Absent': value } }), false);
    });
  }

  it('...IfExists is true when the key is absent, negated or not, and tests the value when present', () => {
    assert.equal(holds({ StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'platform' } }), true);
    assert.equal(holds({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'platform' } }), true);
    assert.equal(
      holds({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'platform' } }, { 'aws:principaltag/team': 'ops' }),
      false,
    );
    assert.equal(holds({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }), true);
  });

  it('Null: "true" holds when the key is absent (or an empty set), "false" when present; Null has no IfExists form', () => {
    assert.equal(holds({ Null: { 'aws:TagKeys': 'true' } }), true);
    assert.equal(holds({ Null: { 'aws:TagKeys': 'true' } }, { 'aws:tagkeys': [] }), true);
    assert.equal(holds({ Null: { 'aws:TagKeys': 'false' } }, { 'aws:tagkeys': [] }), false);
    assert.equal(holds({ Null: { 'aws:TagKeys': 'false' } }, { 'aws:tagkeys': ['a'] }), true);
    assert.equal(parseOperator('NullIfExists'), undefined);
  });

  it('ForAllValues is true when the key is absent or empty, also with a negated operator', () => {
    assert.equal(holds({ 'ForAllValues:StringLike': { 'aws:TagKeys': 'infrawatch:*' } }), true);
    assert.equal(holds({ 'ForAllValues:StringLike': { 'aws:TagKeys': 'infrawatch:*' } }, { 'aws:tagkeys': [] }), true);
    assert.equal(holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'x' } }), true);
    assert.equal(
      holds(
        { 'ForAllValues:StringLike': { 'aws:TagKeys': 'infrawatch:*' } },
        { 'aws:tagkeys': ['infrawatch:a', 'other'] },
      ),
      false,
    );
  });

  it('ForAnyValue is false when the key is absent or empty, also with a negated operator', () => {
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } }), false);
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } }, { 'aws:tagkeys': [] }), false);
    assert.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'a' } }), false);
    assert.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'a' } }, { 'aws:tagkeys': ['a', 'b'] }), true);
  });

  it('a negated operator with several values holds only when the request value matches none of them (NOR)', () => {
    assert.equal(
      holds(
        { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
        { 'aws:requestedregion': 'eu-west-1' },
      ),
      false,
    );
    assert.equal(
      holds(
        { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
        { 'aws:requestedregion': 'ap-south-1' },
      ),
      true,
    );
  });
});

describe('localaws conditions: date, IP and binary operators (3a)', () => {
  it('Date* compare ISO 8601 or epoch-seconds values', () => {
    const now = {
      'aws:currenttime': '2025-06-01T12:00:00Z',
      'aws:epochtime': String(Date.parse('2025-06-01T12:00:00Z') / 1000),
    };
    assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '2025-06-02T00:00:00Z' } }, now), true);
    assert.equal(holds({ DateGreaterThan: { 'aws:CurrentTime': '2025-06-02T00:00:00Z' } }, now), false);
    assert.equal(holds({ DateGreaterThanEquals: { 'aws:EpochTime': '2025-06-01T12:00:00Z' } }, now), true);
    assert.equal(holds({ DateNotEquals: { 'aws:CurrentTime': '2025-06-01T12:00:00Z' } }, now), false);
  });

  it('IpAddress / NotIpAddress match CIDR ranges, IPv4 and IPv6', () => {
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:sourceip': '203.0.113.7' }), true);
    assert.equal(
      holds({ IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '2001:db8::/32'] } }, { 'aws:sourceip': '2001:db8::1' }),
      true,
    );
    assert.equal(
      holds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:sourceip': '203.0.113.7' }),
      false,
    );
    assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:sourceip': '192.0.2.1' }), true);
  });

  it('the endpoint knows the current time for aws:CurrentTime / aws:EpochTime', () => {
    const at = Date.parse('2025-06-01T12:00:00Z');
    const context = principalContext(user(), 'us-east-1', at);
    assert.equal(context['aws:currenttime'], '2025-06-01T12:00:00Z');
    assert.equal(context['aws:epochtime'], String(at / 1000));
  });
});

describe('localaws conditions: aws:MultiFactorAuthPresent (3b)', () => {
  const denyIf = (condition: Block): PolicyDocument[] => [
    {
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: condition },
      ],
    },
  ];

  it('is absent for long-term access keys: "Deny if Bool …false" does not match them', () => {
    const longTerm = user({ permissions: denyIf({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }) });
    const context = principalContext(longTerm, 'us-east-1');
    assert.equal('aws:multifactorauthpresent' in context && context['aws:multifactorauthpresent'] !== undefined, false);
    assert.equal(evaluatePolicies(longTerm.permissions, 'ec2:StopInstances', '*', context), 'allow');
  });

  it('is absent for long-term access keys: "Deny if Null …true" matches them', () => {
    const longTerm = user({ permissions: denyIf({ Null: { 'aws:MultiFactorAuthPresent': 'true' } }) });
    assert.equal(
      evaluatePolicies(longTerm.permissions, 'ec2:StopInstances', '*', principalContext(longTerm, 'us-east-1')),
      'deny',
    );
  });

  it('is present for temporary credentials: "false" without MFA, "true" with it', () => {
    assert.equal(principalContext(session(), 'us-east-1')['aws:multifactorauthpresent'], 'false');
    assert.equal(
      principalContext(session({ mfaAuthenticated: true }), 'us-east-1')['aws:multifactorauthpresent'],
      'true',
    );
    const noMfa = session({ permissions: denyIf({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }) });
    assert.equal(
      evaluatePolicies(noMfa.permissions, 'ec2:StopInstances', '*', principalContext(noMfa, 'us-east-1')),
      'deny',
    );
  });
});

describe('localaws conditions: policy variables', () => {
  const ctx = { 'aws:username': 'erin.employee', 'aws:principaltag/team': 'platform' };
  const doc = (Version: string | undefined, statement: PolicyDocument['Statement']): PolicyDocument => ({
    ...(Version ? { Version } : {}),
    Statement: statement,
  });

  it('substitutes ${…} in condition values and resources in Version 2012-10-17 documents', () => {
    const cond = doc('2012-10-17', [
      {
        Effect: 'Allow',
        Action: 'sts:SetSourceIdentity',
        Resource: '*',
        Condition: { StringEquals: { 'sts:SourceIdentity': '${aws:username}' } },
      },
    ]);
    assert.equal(
      evaluatePolicies([cond], 'sts:SetSourceIdentity', '*', { ...ctx, 'sts:sourceidentity': 'erin.employee' }),
      'allow',
    );
    assert.equal(
      evaluatePolicies([cond], 'sts:SetSourceIdentity', '*', { ...ctx, 'sts:sourceidentity': 'max.manager' }),
      'none',
    );
    const res = doc('2012-10-17', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team}/*' },
    ]);
    assert.equal(evaluatePolicies([res], 's3:GetObject', 'arn:aws:s3:::b/platform/x', ctx), 'allow');
    assert.equal(evaluatePolicies([res], 's3:GetObject', 'arn:aws:s3:::b/ops/x', ctx), 'none');
  });

  it('a variable whose key is absent matches nothing (unless it has a default); older Versions keep the text literal', () => {
    const cond = doc('2012-10-17', [
      {
        Effect: 'Allow',
        Action: 'x:Y',
        Resource: '*',
        Condition: { StringLike: { 'aws:userid': '${aws:username}*' } },
      },
    ]);
    assert.equal(evaluatePolicies([cond], 'x:Y', '*', { 'aws:userid': 'anything' }), 'none');
    const withDefault = doc('2012-10-17', [
      { Effect: 'Allow', Action: 'x:Y', Resource: "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company'}/*" },
    ]);
    assert.equal(evaluatePolicies([withDefault], 'x:Y', 'arn:aws:s3:::b/company/x', {}), 'allow');
    const old = doc(undefined, [
      { Effect: 'Allow', Action: 'x:Y', Resource: '*', Condition: { StringEquals: { k: '${aws:username}' } } },
    ]);
    assert.equal(evaluatePolicies([old], 'x:Y', '*', { ...ctx, k: '${aws:username}' }), 'allow');
  });
});
