// The endpoint with the IAM kit's roles: startLocalAws({ roles: 'kit' }), loadRoles and the
// control route, so tests and the demo run against exactly the template an admin deploys.
import assert from 'node:assert/strict';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { kitTemplate } from '../../iam/kitRoles';
import { startLocalAws, type LocalAws } from '../../server/server';
import { credentialsOf, stsClient } from '../../testing/clients';

type CfnRole = { Type: string; Properties: { RoleName: string; AssumeRolePolicyDocument: unknown } };

describe('local AWS endpoint: roles from the IAM kit template', function () {
  let aws: LocalAws;
  afterEach(async () => aws.close());

  it("roles: 'kit' serves exactly the template's roles and trust policies", async () => {
    aws = await startLocalAws({ roles: 'kit' });
    const template = kitTemplate(aws.accountId) as { Resources: Record<string, CfnRole> };
    const cfnRoles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
    assert.deepEqual(
      [...aws.state.roles.values()].map((r) => r.name).sort(),
      cfnRoles.map((r) => r.Properties.RoleName).sort(),
    );
    for (const cfn of cfnRoles) {
      const role = [...aws.state.roles.values()].find((r) => r.name === cfn.Properties.RoleName);
      assert.deepEqual(role?.trustPolicy, cfn.Properties.AssumeRolePolicyDocument);
    }
  });

  it('a caller the kit does not trust for a role is refused by the endpoint', async () => {
    aws = await startLocalAws({ roles: 'kit' });
    const admin = [...aws.state.roles.values()].find((r) => r.name === 'InfraWatch-Admin');
    assert.ok(admin);
    await assert.rejects(
      stsClient(aws, credentialsOf(aws, 'employee')).send(
        new AssumeRoleCommand({ RoleArn: admin.arn, RoleSessionName: 'erin' }),
      ),
      /not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role\/InfraWatch-Admin/,
    );
  });

  it('POST /_localaws/roles replaces the roles with a template; GET lists them; a bad body is 400', async () => {
    aws = await startLocalAws();
    const template = {
      Resources: {
        Only: {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: 'Only',
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
          },
        },
      },
    };
    const posted = await fetch(`${aws.url}/_localaws/roles`, { method: 'POST', body: JSON.stringify({ template }) });
    assert.equal(posted.status, 200);
    const listed = (await (await fetch(`${aws.url}/_localaws/roles`)).json()) as { roles: Array<{ arn: string }> };
    assert.deepEqual(
      listed.roles.map((r) => r.arn),
      ['arn:aws:iam::111122223333:role/Only'],
    );
    const kit = await fetch(`${aws.url}/_localaws/roles`, { method: 'POST', body: JSON.stringify({ kit: true }) });
    assert.equal(kit.status, 200);
    assert.ok(aws.state.roles.has('arn:aws:iam::111122223333:role/InfraWatch-Employee'));
    const bad = await fetch(`${aws.url}/_localaws/roles`, { method: 'POST', body: JSON.stringify({ nothing: 1 }) });
    assert.equal(bad.status, 400);
    const broken = await fetch(`${aws.url}/_localaws/roles`, {
      method: 'POST',
      body: JSON.stringify({
        template: { Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::If': [] } } } } },
      }),
    });
    assert.equal(broken.status, 400);
  });
});
