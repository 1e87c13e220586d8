import * as assert from 'node:assert/strict';
import { buildIamTemplate, getIamTemplateWarnings } from '../../src/core/iam/template';
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
  trustAllows,
} from './iamKit';

const policy = parseOk(demoPolicyText);
const template = roundTrip(buildIamTemplate(policy, demoAccount));
const employee = roleByName(template, 'InfraWatch-Employee');
const manager = roleByName(template, 'InfraWatch-Manager');
const admin = roleByName(template, 'InfraWatch-Admin');

describe('IAM kit: the template for the demo policy', () => {
  it('is a CloudFormation template with exactly the three roles, the audit writer policy and their ARNs as outputs', () => {
    assert.equal(template.AWSTemplateFormatVersion, '2010-09-09');
    assert.deepEqual(Object.values(template.Resources).map((r) => r.Type), ['AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy']);
    const roles = rolesOf(template);
    assert.deepEqual(roles.map((r) => [r.Properties.RoleName, r.Properties.Path]), [
      ['InfraWatch-Employee', '/'],
      ['InfraWatch-Manager', '/'],
      ['InfraWatch-Admin', '/'],
    ]);
    for (const [id, output] of Object.entries(template.Outputs)) {
      const [logicalId, attribute] = 'Ref' in output.Value ? [output.Value.Ref, 'Arn'] : output.Value['Fn::GetAtt'];
      assert.equal(id, `${logicalId}Arn`);
      assert.equal(attribute, 'Arn');
      assert.ok(template.Resources[logicalId], `output ${id} points at a missing resource`);
    }
    assert.equal(Object.keys(template.Outputs).length, 4);
  });

  it('sets MaxSessionDuration to each role\'s longest grant: 1, 4 and 12 hours', () => {
    assert.deepEqual([employee, manager, admin].map((r) => r.MaxSessionDuration), [3600, 14400, 43200]);
  });

  it('lets each role be assumed only by the principals assigned to it', () => {
    assert.equal(canAssume(employee.AssumeRolePolicyDocument, erin), true);
    assert.equal(canAssume(employee.AssumeRolePolicyDocument, ssoSession('Developer', 'sam.sso')), true);
    // Inheritance is through the grants: a Manager uses Employee grants via the Manager role.
    assert.equal(canAssume(employee.AssumeRolePolicyDocument, max), false);
    assert.equal(canAssume(employee.AssumeRolePolicyDocument, ada), false);
    assert.equal(canAssume(manager.AssumeRolePolicyDocument, max), true);
    assert.equal(canAssume(manager.AssumeRolePolicyDocument, erin), false);
    assert.equal(canAssume(admin.AssumeRolePolicyDocument, ada), true);
    assert.equal(canAssume(admin.AssumeRolePolicyDocument, max), false);
    assert.equal(canAssume(employee.AssumeRolePolicyDocument, ssoSession('Administrator', 'sam.sso')), false, 'another permission set');
  });

  it('names exact principals and narrows the SSO glob with aws:PrincipalArn in its role form', () => {
    const [exact, glob] = employee.AssumeRolePolicyDocument.Statement;
    assert.deepEqual(exact?.Principal, { AWS: `arn:aws:iam::${demoAccount}:user/erin.employee` });
    assert.deepEqual(glob?.Principal, { AWS: `arn:aws:iam::${demoAccount}:root` });
    assert.deepEqual(glob?.Condition?.['ArnLike'], {
      'aws:PrincipalArn': [`arn:aws:iam::${demoAccount}:role/*/AWSReservedSSO_Developer_*`, `arn:aws:iam::${demoAccount}:role/AWSReservedSSO_Developer_*`],
    });
    assert.deepEqual(manager.AssumeRolePolicyDocument.Statement.map((s) => s.Principal), [{ AWS: `arn:aws:iam::${demoAccount}:user/max.manager` }]);
  });

  it('requires MFA in every trust statement, since every demo grant requires MFA', () => {
    for (const role of [employee, manager, admin]) {
      for (const statement of role.AssumeRolePolicyDocument.Statement) {
        assert.deepEqual(statement.Condition?.['Bool'], { 'aws:MultiFactorAuthPresent': 'true' });
      }
    }
    assert.equal(canAssume(employee.AssumeRolePolicyDocument, { ...erin, mfa: false }), false);
    assert.equal(canAssume(admin.AssumeRolePolicyDocument, { ...ada, mfa: false }), false);
  });

  it('allows sts:SetSourceIdentity and sts:TagSession, with session tags limited to infrawatch:* keys', () => {
    for (const statement of [employee, manager, admin].flatMap((r) => r.AssumeRolePolicyDocument.Statement)) {
      assert.deepEqual(statement.Action, ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession']);
      assert.deepEqual(statement.Condition?.['ForAllValues:StringLike'], { 'aws:TagKeys': ['infrawatch:*'] });
    }
    assert.equal(trustAllows(employee.AssumeRolePolicyDocument, erin, 'sts:SetSourceIdentity'), true);
    assert.equal(trustAllows(employee.AssumeRolePolicyDocument, { ...erin, tagKeys: ['infrawatch:service', 'team'] }, 'sts:TagSession'), false);
    assert.equal(trustAllows(employee.AssumeRolePolicyDocument, { ...erin, tagKeys: ['infrawatch:ticket'] }, 'sts:TagSession'), true);
  });

  it('has one MFA-conditioned permissions statement per effective grant, with the catalog\'s actions', () => {
    for (const [roleName, props] of [['Employee', employee], ['Manager', manager], ['Admin', admin]] as const) {
      const grants = getEffectiveGrants(policy, roleName);
      const statements = grantsOf(props);
      assert.equal(statements.length, grants.length, roleName);
      grants.forEach((grant, i) => {
        const statement = statements[i]!;
        const actions = [statement.Action].flat();
        for (const action of getActions(grant.service, grant.level)) {
          assert.ok(actions.some((a) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1)))), `${roleName} ${grant.service} ${grant.level} lacks ${action}`);
        }
        assert.equal(statement.Resource, '*');
        assert.deepEqual(statement.Condition, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
      });
    }
    assert.deepEqual(grantsOf(employee).map((s) => s.Sid), ['Ec2Read', 'RdsRead', 'LambdaRead', 'SqsRead']);
  });

  it('gives each role what its grants say and nothing more', () => {
    assert.equal(permissionAllows(employee, 'rds:DescribeDBInstances', true), true);
    assert.equal(permissionAllows(employee, 'rds:DescribeDBInstances', false), false, 'MFA grant without MFA');
    assert.equal(permissionAllows(employee, 'rds:RebootDBInstance', true), false, 'Employee has no rds write');
    assert.equal(permissionAllows(employee, 'dynamodb:GetItem', true), false, 'Employee has no DynamoDB');
    assert.equal(permissionAllows(manager, 'rds:RebootDBInstance', true), true);
    assert.equal(permissionAllows(manager, 'sqs:ReceiveMessage', true), true, 'inherited from Employee');
    assert.equal(permissionAllows(manager, 'rds:DeleteDBInstance', true), false);
    assert.equal(permissionAllows(admin, 'rds:DeleteDBInstance', true), true);
    assert.equal(permissionAllows(admin, 'apigateway:DELETE', true), true);
  });

  it('is deterministic and warns about nothing for the demo', () => {
    assert.equal(JSON.stringify(buildIamTemplate(parseOk(demoPolicyText), demoAccount)), JSON.stringify(template));
    assert.deepEqual(getIamTemplateWarnings(policy, demoAccount), []);
  });
});
