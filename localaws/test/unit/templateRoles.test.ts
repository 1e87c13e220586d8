import assert from 'node:assert/strict';
import { kitTemplate } from '../../iam/kitRoles';
import { loadRolesFromTemplate } from '../../iam/templateRoles';

const account = '111122223333';

describe('localaws templateRoles: the IAM kit template', () => {
  it("turns every AWS::IAM::Role of the kit's template into a role record, unchanged", () => {
    const template = kitTemplate(account) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const roles = loadRolesFromTemplate(JSON.stringify(template), account);
    const cfnRoles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
    assert.equal(roles.length, cfnRoles.length);
    assert.ok(roles.length > 0);
    for (const cfn of cfnRoles) {
      const p = cfn.Properties as {
        RoleName: string;
        Path: string;
        AssumeRolePolicyDocument: unknown;
        Policies?: Array<{ PolicyDocument: unknown }>;
        MaxSessionDuration: number;
        Tags: Array<{ Key: string; Value: string }>;
      };
      const role = roles.find((r) => r.name === p.RoleName);
      assert.ok(role, p.RoleName);
      assert.equal(role.arn, `arn:aws:iam::${account}:role${p.Path}${p.RoleName}`);
      assert.deepEqual(role.trustPolicy, p.AssumeRolePolicyDocument);
      assert.deepEqual(
        role.permissions,
        (p.Policies ?? []).map((x) => x.PolicyDocument),
      );
      assert.equal(role.maxSessionDuration, p.MaxSessionDuration);
      assert.deepEqual(role.tags, Object.fromEntries(p.Tags.map((t) => [t.Key, t.Value])));
      assert.match(role.roleId, /^AROA[A-Z0-9]{17}$/);
    }
    assert.deepEqual(roles.map((r) => r.name).sort(), [
      'InfraWatch-Admin',
      'InfraWatch-Employee',
      'InfraWatch-Manager',
    ]);
  });
});

describe('localaws templateRoles: intrinsics and attachments', () => {
  const doc = (action: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
  });
  const template = {
    Resources: {
      Reader: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { ManagedPolicyName: 'Reader', PolicyDocument: doc('ec2:Describe*') },
      },
      Writer: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: 'Writer',
          Path: '/iw/',
          PolicyDocument: doc('ec2:StartInstances'),
          Roles: [{ Ref: 'JitRole' }],
        },
      },
      JitRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { 'Fn::Sub': 'Jit-${AWS::AccountId}' },
          Path: '/team/',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          ManagedPolicyArns: [{ Ref: 'Reader' }],
          Policies: [
            {
              PolicyName: 'Own',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'logs:*',
                    Resource: {
                      'Fn::Sub': ['arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:${G}:*', { G: 'app' }],
                    },
                  },
                ],
              },
            },
          ],
          Tags: [{ Key: 'team', Value: 'ops' }],
        },
      },
      Extra: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'Extra', PolicyDocument: doc('rds:Describe*'), Roles: [{ Ref: 'JitRole' }] },
      },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'b-${AWS::AccountId}' } } },
    },
    Outputs: { Arn: { Value: { 'Fn::GetAtt': ['JitRole', 'Arn'] } } },
  };

  it('resolves Ref, Fn::Sub (both forms) and attaches managed policies by ARN and through their Roles', () => {
    const [role] = loadRolesFromTemplate(template, account);
    assert.ok(role);
    assert.equal(role.name, `Jit-${account}`);
    assert.equal(role.arn, `arn:aws:iam::${account}:role/team/Jit-${account}`);
    assert.equal(role.path, '/team/');
    assert.equal(role.maxSessionDuration, 3600);
    const trust = role.trustPolicy.Statement as Array<{ Principal: { AWS: string } }>;
    assert.equal(trust[0]?.Principal.AWS, `arn:aws:iam::${account}:root`);
    const actions = role.permissions.flatMap((d) =>
      (Array.isArray(d.Statement) ? d.Statement : [d.Statement]).map((s) => s.Action),
    );
    assert.deepEqual(actions, ['logs:*', 'ec2:Describe*', 'ec2:StartInstances', 'rds:Describe*']);
    const own = role.permissions[0]?.Statement as Array<{ Resource: string }>;
    assert.equal(own[0]?.Resource, `arn:aws:logs:*:${account}:log-group:app:*`);
    assert.deepEqual(role.tags, { team: 'ops' });
  });

  it('keeps IAM policy variables written ${!…} in Fn::Sub, and plain ${aws:…} outside it', () => {
    const t = structuredClone(template);
    (t.Resources.JitRole.Properties.Policies[0]!.PolicyDocument.Statement[0] as { Resource: unknown }).Resource = {
      'Fn::Sub': 'arn:aws:s3:::b/${!aws:username}/*',
    };
    const [role] = loadRolesFromTemplate(t, account);
    assert.equal(
      (role?.permissions[0]?.Statement as Array<{ Resource: string }>)[0]?.Resource,
      'arn:aws:s3:::b/${aws:username}/*',
    );
  });

  it('refuses what it cannot model rather than dropping it', () => {
    const withAwsManaged = structuredClone(template);
    withAwsManaged.Resources.JitRole.Properties.ManagedPolicyArns.push(
      'arn:aws:iam::aws:policy/ReadOnlyAccess' as never,
    );
    assert.throws(
      () => loadRolesFromTemplate(withAwsManaged, account),
      /managed policy arn:aws:iam::aws:policy\/ReadOnlyAccess is not defined/,
    );
    const withIf = structuredClone(template) as { Resources: { JitRole: { Properties: Record<string, unknown> } } };
    withIf.Resources.JitRole.Properties.MaxSessionDuration = { 'Fn::If': ['Long', 43200, 3600] };
    assert.throws(() => loadRolesFromTemplate(withIf, account), /Fn::If is not modelled/);
    const withBoundary = structuredClone(template) as {
      Resources: { JitRole: { Properties: Record<string, unknown> } };
    };
    withBoundary.Resources.JitRole.Properties.PermissionsBoundary = 'arn:aws:iam::111122223333:policy/B';
    assert.throws(() => loadRolesFromTemplate(withBoundary, account), /PermissionsBoundary is not modelled/);
  });
});
