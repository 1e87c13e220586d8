import assert from 'node:assert/strict';
import {
  accessDeniedMessage,
  actionMatches,
  authorizePrincipal,
  evaluatePolicies,
  resourceMatches,
} from '../../iam/evaluation';
import { conditionsHold } from '../../iam/conditions';
import type { PolicyDocument } from '../../server/types';

const allow = (Action: string | string[], Resource: string | string[] = '*'): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource }],
});
const deny = (Action: string | string[], Resource: string | string[] = '*'): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action, Resource }],
});

describe('localaws iam: wildcard matching', () => {
  it('matches actions case-insensitively with * and ?', () => {
    assert.equal(actionMatches('cloudwatch:List*', 'cloudwatch:ListMetrics'), true);
    assert.equal(actionMatches('CloudWatch:listmetrics', 'cloudwatch:ListMetrics'), true);
    assert.equal(actionMatches('logs:Get?ogEvents', 'logs:GetLogEvents'), true);
    assert.equal(actionMatches('logs:Get?ogEvents', 'logs:GetXXogEvents'), false);
    assert.equal(actionMatches('cloudwatch:List*', 'cloudwatch:GetMetricData'), false);
    assert.equal(actionMatches('*', 'anything:AtAll'), true);
  });

  it('matches resources case-sensitively, with * spanning colons and slashes', () => {
    assert.equal(
      resourceMatches('arn:aws:rds:*:111122223333:db:orders-*', 'arn:aws:rds:us-east-1:111122223333:db:orders-prod'),
      true,
    );
    assert.equal(
      resourceMatches('arn:aws:rds:*:111122223333:db:orders-*', 'arn:aws:rds:us-east-1:111122223333:db:Orders-prod'),
      false,
    );
    assert.equal(
      resourceMatches('arn:aws:iam::111122223333:role/InfraWatch-*', 'arn:aws:iam::111122223333:role/InfraWatch-Admin'),
      true,
    );
    assert.equal(resourceMatches('arn:aws:s3:::bucket/a.b', 'arn:aws:s3:::bucket/aXb'), false, 'a dot is literal');
  });
});

describe('localaws iam: evaluation', () => {
  it('needs an Allow; an explicit Deny wins over it', () => {
    assert.equal(evaluatePolicies([allow('ec2:Describe*')], 'ec2:DescribeInstances'), 'allow');
    assert.equal(evaluatePolicies([allow('ec2:Describe*')], 'ec2:StopInstances'), 'none');
    assert.equal(evaluatePolicies([allow('ec2:*'), deny('ec2:Stop*')], 'ec2:StopInstances'), 'deny');
    assert.equal(evaluatePolicies([deny('ec2:Stop*'), allow('ec2:*')], 'ec2:StartInstances'), 'allow');
  });

  it('honours Resource and NotAction', () => {
    const doc: PolicyDocument = {
      Statement: [{ Effect: 'Allow', Action: 'rds:*', Resource: 'arn:aws:rds:us-east-1:111122223333:db:a' }],
    };
    assert.equal(evaluatePolicies([doc], 'rds:RebootDBInstance', 'arn:aws:rds:us-east-1:111122223333:db:a'), 'allow');
    assert.equal(evaluatePolicies([doc], 'rds:RebootDBInstance', 'arn:aws:rds:us-east-1:111122223333:db:b'), 'none');
    const notAction = {
      Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
    } as unknown as PolicyDocument;
    assert.equal(evaluatePolicies([notAction], 'ec2:StopInstances'), 'allow');
    assert.equal(evaluatePolicies([notAction], 'iam:CreateUser'), 'none');
  });

  it('intersects identity permissions with the session policy', () => {
    const principal = { permissions: [allow(['cloudwatch:*', 'rds:*'])], sessionPolicy: allow('rds:Describe*') };
    assert.deepEqual(authorizePrincipal(principal, 'rds:DescribeDBInstances'), { allowed: true });
    assert.deepEqual(authorizePrincipal(principal, 'cloudwatch:ListMetrics'), {
      allowed: false,
      reason: 'no-session-allow',
    });
    assert.deepEqual(
      authorizePrincipal({ permissions: [allow('rds:Describe*')], sessionPolicy: allow('*') }, 'ec2:DescribeInstances'),
      { allowed: false, reason: 'no-identity-allow' },
    );
    assert.deepEqual(
      authorizePrincipal({ permissions: [allow('*')], sessionPolicy: deny('rds:*') }, 'rds:DescribeDBInstances'),
      { allowed: false, reason: 'session-deny' },
    );
    assert.deepEqual(
      authorizePrincipal({ permissions: [allow('*')] }, 'rds:DescribeDBInstances'),
      { allowed: true },
      'no session policy: identity alone',
    );
  });

  it('words the denial as AWS does', () => {
    assert.equal(
      accessDeniedMessage(
        'arn:aws:sts::111122223333:assumed-role/R/s',
        'cloudwatch:ListMetrics',
        undefined,
        'no-session-allow',
      ),
      'User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform: cloudwatch:ListMetrics because no session policy allows the cloudwatch:ListMetrics action',
    );
    assert.equal(
      accessDeniedMessage('arn:aws:iam::111122223333:user/u', 'sts:AssumeRole', 'arn:aws:iam::111122223333:role/R'),
      'User: arn:aws:iam::111122223333:user/u is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/R',
    );
  });
});

describe('localaws iam: conditions', () => {
  it('evaluates Bool, StringLike, IfExists and Null with case-insensitive keys', () => {
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    assert.equal(conditionsHold(mfa, { 'aws:multifactorauthpresent': 'true' }), true);
    assert.equal(conditionsHold(mfa, { 'aws:multifactorauthpresent': 'false' }), false);
    assert.equal(conditionsHold(mfa, {}), false);
    assert.equal(
      conditionsHold({ StringLike: { 'aws:SourceIdentity': 'erin.*' } }, { 'aws:sourceidentity': 'erin.employee' }),
      true,
    );
    assert.equal(conditionsHold({ StringEqualsIfExists: { 'aws:SourceIdentity': 'x' } }, {}), true);
    assert.equal(conditionsHold({ Null: { 'aws:SourceIdentity': 'true' } }, {}), true);
    assert.equal(
      conditionsHold(
        { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
        { 'aws:requestedregion': 'us-east-1' },
      ),
      false,
    );
    assert.equal(conditionsHold({ NoSuchOperator: { k: 'v' } }, { k: 'v' }), false);
  });

  it('a Deny with a condition that holds wins; one that does not hold is ignored', () => {
    const doc: PolicyDocument = {
      Statement: [
        { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'ec2:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        },
      ],
    };
    assert.equal(evaluatePolicies([doc], 'ec2:StopInstances', '*', { 'aws:requestedregion': 'us-east-1' }), 'allow');
    assert.equal(evaluatePolicies([doc], 'ec2:StopInstances', '*', { 'aws:requestedregion': 'eu-west-1' }), 'deny');
  });
});
