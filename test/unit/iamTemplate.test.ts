import * as assert from 'node:assert/strict';
import { buildIamTemplate, getIamTemplateWarnings, getPolicySize, trustPolicyLimit } from '../../src/core/iam/template';
import { type CfnRoleResource, type IamStatement } from '../../src/core/iam/types';
import { getActions } from '../../src/core/catalog';
import { getEffectiveGrants } from '../../src/core/policy/roles';
import {
  ada,
  canAssume,
  demoAccount,
  demoPolicyText,
  erin,
  grantsOf,
  max,
  parseOk,
  permissionAllows,
  roleByName,
  rolesOf,
  roundTrip,
  ssoSession,
  tagsFor,
} from './iamKit';

const policy = parseOk(demoPolicyText);
const template = roundTrip(buildIamTemplate(policy, demoAccount));
const employee = roleByName(template, 'InfraWatch-Employee');
const manager = roleByName(template, 'InfraWatch-Manager');
const admin = roleByName(template, 'InfraWatch-Admin');
const allows = (role: CfnRoleResource['Properties']): IamStatement[] =>
  role.AssumeRolePolicyDocument.Statement.filter((s) => s.Effect === 'Allow');

describe('IAM kit: the template for the demo policy', () => {
  it('is a CloudFormation template with exactly the three roles, the audit writer policy and their ARNs as outputs', () => {
    assert.equal(template.AWSTemplateFormatVersion, '2010-09-09');
    assert.deepEqual(
      Object.values(template.Resources).map((r) => r.Type),
      ['AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy'],
    );
    const roles = rolesOf(template);
    assert.deepEqual(
      roles.map((r) => [r.Properties.RoleName, r.Properties.Path]),
      [
        ['InfraWatch-Employee', '/'],
        ['InfraWatch-Manager', '/'],
        ['InfraWatch-Admin', '/'],
      ],
    );
    for (const [id, output] of Object.entries(template.Outputs)) {
      const [logicalId, attribute] = 'Ref' in output.Value ? [output.Value.Ref, 'Arn'] : output.Value['Fn::GetAtt'];
      assert.equal(id, `${logicalId}Arn`);
      assert.equal(attribute, 'Arn');
      assert.ok(template.Resources[logicalId], `output ${id} points at a missing resource`);
    }
    assert.equal(Object.keys(template.Outputs).length, 4);
  });

  it("sets MaxSessionDuration to each role's longest grant: 1, 4 and 12 hours", () => {
    assert.deepEqual(
      [employee, manager, admin].map((r) => r.MaxSessionDuration),
      [3600, 14400, 43200],
    );
  });

  it('lets each role be assumed only by the principals assigned to it', () => {
    assert.equal(canAssume(employee, erin), true);
    assert.equal(canAssume(employee, ssoSession('Developer', 'sam.sso')), true);
    // Inheritance is through the grants: a Manager uses Employee grants via the Manager role.
    assert.equal(canAssume(employee, max), false);
    assert.equal(canAssume(employee, ada), false);
    assert.equal(canAssume(manager, max), true);
    assert.equal(canAssume(manager, erin), false);
    assert.equal(canAssume(admin, ada), true);
    assert.equal(canAssume(admin, max), false);
    assert.equal(canAssume(employee, ssoSession('Administrator', 'sam.sso')), false, 'another permission set');
  });

  it('names exact principals and narrows the SSO glob with aws:PrincipalArn in its role form', () => {
    const [exact, glob] = employee.AssumeRolePolicyDocument.Statement;
    assert.deepEqual(exact?.Principal, { AWS: `arn:aws:iam::${demoAccount}:user/erin.employee` });
    assert.deepEqual(glob?.Principal, { AWS: `arn:aws:iam::${demoAccount}:root` });
    assert.deepEqual(glob?.Condition?.['ArnLike'], {
      'aws:PrincipalArn': [
        `arn:aws:iam::${demoAccount}:role/*/AWSReservedSSO_Developer_*`,
        `arn:aws:iam::${demoAccount}:role/AWSReservedSSO_Developer_*`,
      ],
    });
    assert.deepEqual(
      allows(manager).map((s) => s.Principal),
      [{ AWS: `arn:aws:iam::${demoAccount}:user/max.manager` }],
    );
  });

  it("requires MFA in every IAM user's Allow, since every demo grant requires TOTP of IAM users; none of the Identity Center glob, which cannot bring it", () => {
    for (const role of [employee, manager, admin]) {
      for (const statement of allows(role)) {
        const sso = JSON.stringify(statement.Condition).includes('AWSReservedSSO_');
        assert.deepEqual(statement.Condition?.['Bool'], sso ? undefined : { 'aws:MultiFactorAuthPresent': 'true' });
      }
    }
    assert.equal(canAssume(employee, { ...erin, mfa: false }), false);
    assert.equal(canAssume(admin, { ...ada, mfa: false }), false);
  });

  it('binds the SourceIdentity to the IAM user name, and only requires one of an Identity Center session', () => {
    const [exact, glob] = employee.AssumeRolePolicyDocument.Statement;
    assert.deepEqual(exact?.Condition?.['StringEquals'], { 'sts:SourceIdentity': '${aws:username}' });
    assert.deepEqual(glob?.Condition?.['Null'], { 'sts:SourceIdentity': 'false' });
    assert.equal(canAssume(employee, { ...erin, sourceIdentity: 'max.manager' }), false, "someone else's name");
    assert.equal(canAssume(employee, { ...erin, sourceIdentity: '' }), false, 'no source identity');
    assert.equal(canAssume(employee, { ...ssoSession('Developer', 'sam.sso'), sourceIdentity: '' }), false);
    // IAM has no variable naming an Identity Center session without its role id (aws:userid).
    assert.equal(canAssume(employee, { ...ssoSession('Developer', 'sam.sso'), sourceIdentity: 'anyone' }), true);
  });

  it("requires the InfraWatch tags with only the role's values, and no other tag key", () => {
    const erinWith = (tags: Record<string, string>) => ({ ...erin, tags });
    assert.equal(canAssume(employee, erinWith({})), false, 'no tags');
    assert.equal(canAssume(employee, erinWith(tagsFor('ec2', 'read'))), true);
    assert.equal(canAssume(employee, erinWith(tagsFor('dynamodb', 'read'))), false, 'a Manager service');
    assert.equal(canAssume(employee, erinWith(tagsFor('ec2', 'write'))), false, 'a level the role lacks');
    assert.equal(
      canAssume(manager, { ...max, tags: tagsFor('sqs', 'write', { reason: true }) }),
      false,
      'a level SQS lacks in Manager',
    );
    assert.equal(
      canAssume(employee, erinWith({ ...tagsFor('ec2', 'read'), team: 'ops' })),
      false,
      'a key InfraWatch never sends',
    );
    const withoutId: Record<string, string> = tagsFor('ec2', 'read');
    delete withoutId['infrawatch:request-id'];
    assert.equal(canAssume(employee, erinWith(withoutId)), false, 'no request id');
    assert.equal(
      canAssume(employee, erinWith({ ...tagsFor('ec2', 'read'), 'infrawatch:request-id': 'short' })),
      false,
      'not a request id',
    );
    for (const statement of allows(employee)) {
      assert.deepEqual(statement.Action, ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession']);
      assert.deepEqual(statement.Condition?.['ForAllValues:StringEquals'], {
        'aws:TagKeys': ['infrawatch:request-id', 'infrawatch:service', 'infrawatch:level', 'infrawatch:reason'],
      });
    }
  });

  it('requires the reason tag exactly for the grants that require a reason', () => {
    assert.equal(canAssume(employee, { ...erin, tags: tagsFor('rds', 'read') }), false, 'RDS read requires a reason');
    assert.equal(canAssume(employee, { ...erin, tags: tagsFor('rds', 'read', { reason: true }) }), true);
    assert.equal(
      canAssume(admin, { ...ada, tags: tagsFor('ec2', 'read') }),
      true,
      'inherited Employee EC2 read needs none',
    );
    assert.equal(canAssume(admin, { ...ada, tags: tagsFor('ec2', 'write') }), false);
    assert.equal(canAssume(admin, { ...ada, tags: tagsFor('s3', 'read') }), false);
  });

  it("keeps every trust policy within IAM's default 2,048 characters", () => {
    for (const role of [employee, manager, admin])
      assert.ok(getPolicySize(role.AssumeRolePolicyDocument) <= trustPolicyLimit, role.RoleName);
  });

  it("has per effective grant the session policy's statements, applying only to sessions tagged with that grant", () => {
    for (const [roleName, props] of [
      ['Employee', employee],
      ['Manager', manager],
      ['Admin', admin],
    ] as const) {
      const grants = getEffectiveGrants(policy, roleName);
      const statements = grantsOf(props);
      for (const grant of grants) {
        const mine = statements.filter(
          (s) =>
            s.Condition?.['StringEquals']?.['aws:PrincipalTag/infrawatch:service'] === grant.service &&
            s.Condition['StringEquals']['aws:PrincipalTag/infrawatch:level'] === grant.level,
        );
        assert.ok(mine.length > 0, `${roleName} ${grant.service} ${grant.level} has no statement`);
        const actions = mine.flatMap((s) => [s.Action].flat());
        for (const action of getActions(grant.service, grant.level)) {
          assert.ok(
            actions.some((a) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1)))),
            `${roleName} ${grant.service} ${grant.level} lacks ${action}`,
          );
        }
        // Employee also trusts Identity Center sessions (aws:MultiFactorAuthPresent "false"):
        // its MFA is checked at AssumeRole, of IAM users only.
        for (const s of mine)
          assert.deepEqual(
            s.Condition?.['Bool'],
            roleName === 'Employee' ? undefined : { 'aws:MultiFactorAuthPresent': 'true' },
          );
      }
    }
    assert.deepEqual(
      grantsOf(employee)
        .map((s) => s.Sid?.replace(/\d+$/, ''))
        .filter((sid, i, all) => all.indexOf(sid) === i),
      ['Ec2Read', 'RdsRead', 'LambdaRead', 'SqsRead'],
    );
  });

  it('gives a session what its tags name and nothing more, even without a session policy', () => {
    const rdsRead = { mfa: true, tags: tagsFor('rds', 'read', { reason: true }) };
    assert.equal(permissionAllows(employee, 'rds:DescribeDBInstances', rdsRead), true);
    assert.equal(
      permissionAllows(manager, 'rds:DescribeDBInstances', { ...rdsRead, mfa: false }),
      false,
      'MFA grant without MFA (a role trusting IAM users only)',
    );
    assert.equal(
      permissionAllows(employee, 'rds:DescribeDBInstances', { mfa: true, tags: tagsFor('rds', 'read') }),
      false,
      'no reason tag',
    );
    assert.equal(
      permissionAllows(employee, 'ec2:DescribeInstances', rdsRead),
      false,
      'EC2 read is another grant of the same role',
    );
    assert.equal(
      permissionAllows(employee, 'ec2:DescribeInstances', { mfa: true, tags: tagsFor('ec2', 'read') }),
      true,
    );
    assert.equal(permissionAllows(employee, 'rds:RebootDBInstance', rdsRead), false, 'Employee has no rds write');
    assert.equal(
      permissionAllows(employee, 'dynamodb:GetItem', {
        mfa: true,
        tags: tagsFor('dynamodb', 'read', { reason: true }),
      }),
      false,
      'Employee has no DynamoDB',
    );
    const rdsWrite = { mfa: true, tags: tagsFor('rds', 'write', { reason: true }) };
    assert.equal(permissionAllows(manager, 'rds:RebootDBInstance', rdsWrite), true);
    assert.equal(
      permissionAllows(manager, 'rds:RebootDBInstance', rdsRead),
      false,
      'a read session of a role that has write',
    );
    assert.equal(
      permissionAllows(manager, 'sqs:ListQueues', { mfa: true, tags: tagsFor('sqs', 'read') }),
      true,
      'inherited from Employee',
    );
    assert.equal(permissionAllows(manager, 'rds:DeleteDBInstance', rdsWrite), false);
    assert.equal(
      permissionAllows(admin, 'rds:DeleteDBInstance', { mfa: true, tags: tagsFor('rds', 'admin', { reason: true }) }),
      true,
    );
    assert.equal(
      permissionAllows(admin, 'apigateway:DELETE', {
        mfa: true,
        tags: tagsFor('apigateway', 'admin', { reason: true }),
      }),
      true,
    );
    assert.equal(
      permissionAllows(admin, 'apigateway:DELETE', { mfa: true, tags: tagsFor('rds', 'admin', { reason: true }) }),
      false,
    );
  });

  it("ends an inherited grant shorter than the role's maximum after its own maximum, through aws:MultiFactorAuthAge", () => {
    const ec2Read = { mfa: true, tags: tagsFor('ec2', 'read') };
    assert.equal(manager.MaxSessionDuration, 14400);
    assert.equal(permissionAllows(manager, 'ec2:DescribeInstances', { ...ec2Read, mfaAgeSeconds: 3599 }), true);
    assert.equal(
      permissionAllows(manager, 'ec2:DescribeInstances', { ...ec2Read, mfaAgeSeconds: 3600 }),
      false,
      'Employee EC2 read is 60 minutes',
    );
    assert.equal(
      permissionAllows(manager, 'ec2:StartInstances', {
        mfa: true,
        tags: tagsFor('ec2', 'write', { reason: true }),
        mfaAgeSeconds: 14000,
      }),
      true,
      "the role's longest grant",
    );
    const employeeStatements = grantsOf(employee);
    assert.ok(
      employeeStatements.every((s) => s.Condition?.['NumericLessThan'] === undefined),
      'no narrowing where the grant is the role maximum',
    );
  });

  it('is deterministic and warns about nothing for the demo', () => {
    assert.equal(JSON.stringify(buildIamTemplate(parseOk(demoPolicyText), demoAccount)), JSON.stringify(template));
    assert.deepEqual(getIamTemplateWarnings(policy, demoAccount), []);
  });
});
