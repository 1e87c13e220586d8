// Every service × level, with and without resource patterns: the session policy, evaluated as
// IAM does (the local endpoint's evaluator), allows exactly what the rule in
// src/core/sts/actionSplit.ts says — for every action AWS lists for the service, on "*", on a
// resource the patterns name and on one they do not.
import * as assert from 'node:assert/strict';
import { accessLevels, catalog, getIamPrefix, serviceIds, type ServiceId } from '../../src/core/catalog';
import { expandAction, getIamActions, type IamAction } from '../../src/core/iamActions';
import { buildSessionPolicy } from '../../src/core/sts/sessionPolicy';
import { policyMaxChars } from '../../src/core/sts/rules';
import { StsError } from '../../src/core/sts/stsError';
import { evaluatePolicies } from '../../localaws/iam/evaluation';
import { type PolicyDocument } from '../../localaws/server/types';

const account = '111122223333';
const patternsFor: Record<ServiceId, string[]> = {
  ec2: [`arn:aws:ec2:*:${account}:instance/i-0prod*`, `arn:aws:ec2:*:${account}:volume/vol-0prod*`],
  rds: [`arn:aws:rds:*:${account}:db:orders-*`, `arn:aws:rds:*:${account}:cluster:orders-*`],
  lambda: [`arn:aws:lambda:*:${account}:function:orders-*`],
  ecs: [`arn:aws:ecs:*:${account}:service/prod/*`, `arn:aws:ecs:*:${account}:cluster/prod`],
  dynamodb: [`arn:aws:dynamodb:*:${account}:table/orders*`],
  s3: ['arn:aws:s3:::logs-*', 'arn:aws:s3:::logs-*/*'],
  sqs: [`arn:aws:sqs:*:${account}:orders-*`],
  alb: [
    `arn:aws:elasticloadbalancing:*:${account}:loadbalancer/app/prod-*`,
    `arn:aws:elasticloadbalancing:*:${account}:listener/app/prod-*`,
    `arn:aws:elasticloadbalancing:*:${account}:targetgroup/prod-*`,
  ],
  apigateway: ['arn:aws:apigateway:*::/restapis/abc*'],
};

/** A concrete ARN of the type that no pattern above names. */
function outside(format: string): string {
  const values: Record<string, string> = { Partition: 'aws', Region: 'us-east-1', Account: account };
  return format.replace(/\$\{([^}]*)\}/g, (_, name: string) => values[name] ?? 'zz-other');
}

/** A concrete ARN the pattern names. */
const inside = (pattern: string): string => pattern.replace(/[*?]/g, 'x');

/** An ARN format as a regular expression: each `${Variable}` is any non-empty value. */
const formatRegExp = (format: string): RegExp =>
  new RegExp(
    `^${format
      .split(/\$\{[^}]*\}/)
      .map((part) => part.replace(/[.+^${}()|[\]\\?*]/g, '\\$&'))
      .join('.+')}$`,
  );

/** The rule, restated from AWS's data rather than taken from the code under test. */
function isAccountWide(service: ServiceId, action: IamAction): boolean {
  if (Object.keys(catalog[service].keepScoped ?? {}).includes(action.action)) return false;
  if (action.resourceTypes.length === 0) return action.level === 'L' || action.level === 'R';
  return action.level === 'L' && action.resourceTypes.every((t) => !t.required);
}

function levelActions(service: ServiceId, level: (typeof accessLevels)[number]): Set<string> {
  const upTo = accessLevels.slice(0, accessLevels.indexOf(level) + 1);
  return new Set(
    upTo.flatMap((l) => catalog[service].actions[l].flatMap((entry) => expandAction(entry).map((a) => a.action))),
  );
}

describe('session policies: every service × level × with and without patterns', () => {
  for (const service of serviceIds) {
    for (const level of accessLevels) {
      it(`${service} ${level}`, () => {
        const inLevel = levelActions(service, level);
        const patterns = patternsFor[service];
        const open = JSON.parse(buildSessionPolicy(service, level)) as PolicyDocument;
        const scoped = JSON.parse(buildSessionPolicy(service, level, patterns)) as PolicyDocument;
        const allows = (doc: PolicyDocument, action: string, resource: string): boolean =>
          evaluatePolicies([doc], action, resource) === 'allow';
        let listed = 0;
        let insideChecked = 0;
        for (const action of getIamActions(getIamPrefix(service))) {
          const formats = action.resourceTypes.flatMap((t) => t.arns);
          const outsiders = formats.map(outside);
          const insiders = patterns.map(inside).filter((arn) => formats.some((f) => formatRegExp(f).test(arn)));
          const wanted = inLevel.has(action.action);
          for (const resource of ['*', ...outsiders])
            assert.equal(
              allows(open, action.action, resource),
              wanted,
              `${action.action} on ${resource} without patterns`,
            );
          const wide = wanted && isAccountWide(service, action);
          if (wide) listed++;
          for (const resource of ['*', ...outsiders])
            assert.equal(
              allows(scoped, action.action, resource),
              wide,
              `${action.action} on ${resource} with patterns`,
            );
          if (!wide)
            for (const resource of insiders) {
              insideChecked++;
              assert.equal(
                allows(scoped, action.action, resource),
                wanted,
                `${action.action} on ${resource} (inside a pattern)`,
              );
            }
        }
        if (level === 'read' && service !== 'apigateway')
          assert.ok(listed > 0, 'a read grant with patterns can list something');
        assert.ok(insideChecked > 0, 'some actions act on the resources the patterns name');
      });
    }
  }

  it('EC2 read on instance/i-0prod*: DescribeInstances is allowed, StartInstances is not; write starts i-0prod… but not i-0dev…', () => {
    const pattern = [`arn:aws:ec2:*:${account}:instance/i-0prod*`];
    const prod = `arn:aws:ec2:us-east-1:${account}:instance/i-0prod1234`;
    const dev = `arn:aws:ec2:us-east-1:${account}:instance/i-0dev1234`;
    const read = JSON.parse(buildSessionPolicy('ec2', 'read', pattern)) as PolicyDocument;
    const write = JSON.parse(buildSessionPolicy('ec2', 'write', pattern)) as PolicyDocument;
    assert.equal(evaluatePolicies([read], 'ec2:DescribeInstances', '*'), 'allow');
    assert.equal(evaluatePolicies([read], 'ec2:GetConsoleOutput', prod), 'allow');
    assert.equal(evaluatePolicies([read], 'ec2:GetConsoleOutput', dev), 'deny');
    assert.notEqual(evaluatePolicies([read], 'ec2:StartInstances', prod), 'allow');
    assert.equal(evaluatePolicies([write], 'ec2:StartInstances', prod), 'allow');
    assert.equal(evaluatePolicies([write], 'ec2:StartInstances', dev), 'deny');
  });

  it('fits within 2,048 characters for every service × level with ten patterns', () => {
    for (const service of serviceIds) {
      for (const level of accessLevels) {
        const ten = Array.from({ length: 10 }, (_, i) => (patternsFor[service][0] as string).replace(/\*$/, `${i}*`));
        const text = buildSessionPolicy(service, level, ten);
        assert.ok([...text].length <= policyMaxChars, `${service} ${level}: ${text.length}`);
      }
    }
  });

  it('uses wildcards that end at a word while they fit, shorter ones only when needed', () => {
    const read = JSON.parse(buildSessionPolicy('ec2', 'read', patternsFor.ec2)) as {
      Statement: { Action: string[] }[];
    };
    assert.deepEqual(read.Statement[0]?.Action, ['ec2:Describe*', 'ec2:GetConsoleOutput']);
    assert.ok(read.Statement[1]?.Action.includes('ec2:Get*'));
    const admin = JSON.parse(buildSessionPolicy('ec2', 'admin', patternsFor.ec2)) as {
      Statement: { Action: string | string[] }[];
    };
    assert.equal(admin.Statement[0]?.Action, 'ec2:*');
    assert.ok(
      (admin.Statement[1]?.Action as string[]).includes('ec2:C*'),
      'EC2 admin needs the short wildcards to fit',
    );
  });

  it('answers a repeated grant from memory with a copy the caller may change', () => {
    const first = JSON.parse(buildSessionPolicy('ec2', 'admin', patternsFor.ec2)) as PolicyDocument;
    const again = JSON.parse(buildSessionPolicy('ec2', 'admin', patternsFor.ec2)) as PolicyDocument;
    assert.deepEqual(again, first);
  });

  it('says which pattern names no resource of the service', () => {
    assert.throws(
      () => buildSessionPolicy('rds', 'read', ['arn:aws:s3:::orders-*']),
      (e: unknown) => {
        assert.ok(e instanceof StsError);
        assert.equal(e.code, 'Validation');
        assert.equal(e.nextAction, 'fixPolicy');
        assert.match(
          e.message,
          /^The resource pattern arn:aws:s3:::orders-\* names no RDS resource: .* e\.g\. arn:aws:rds:<region>:<account>:db:orders-\*$/,
        );
        return true;
      },
    );
  });
});
