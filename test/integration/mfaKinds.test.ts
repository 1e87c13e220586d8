// MFA per kind of identity, end to end on the IAM kit's roles for demo/policy.json (as `npm run
// demo` serves them): the demo's Identity Center session requests its Employee grants through
// the extension's broker with no TOTP code (its MFA was the sign-in), an IAM user still needs
// one, and the endpoint, like AWS, refuses MFA from a role session (it has no MFA device).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { fetchIdentity } from '../../src/core/identity';
import { silentLog } from '../../src/core/ports';
import { resolveAccess } from '../../src/core/policy/assign';
import { parsePolicy } from '../../src/core/policy/parse';
import { requestSession, type SessionRequest } from '../../src/core/sts/broker';
import { getAssumedRoleMaxSessionSeconds } from '../../src/core/sts/duration';
import { isStsError } from '../../src/core/sts/stsError';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { credentialsOf, identity, stsClient, totpCode } from '../../localaws/testing/clients';

const policyFile = path.join(__dirname, '..', '..', 'demo', 'policy.json');

describe('MFA per kind of identity, on the IAM kit roles', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws({ port: 0, roles: 'kit' });
  });
  after(async () => aws?.close());

  async function prepare(who: string) {
    const sts = stsClient(aws, credentialsOf(aws, who));
    const found = await fetchIdentity(sts);
    if (found.kind !== 'ok') throw new Error(`no identity for ${who}`);
    const parsed = parsePolicy(readFileSync(policyFile, 'utf8'));
    assert.ok(parsed.ok);
    const access = resolveAccess(parsed.policy, found.identity);
    assert.ok(access?.roleArn, `${who} has a role`);
    aws.clock.advance(30_000);
    const base = (service: string, level: string): SessionRequest => {
      const grant = access.grants.find((g) => g.service === service && g.level === level);
      assert.ok(grant, `${who} has ${service} ${level}`);
      return {
        caller: found.identity,
        role: access.role,
        roleArn: access.roleArn!,
        grant,
        account: found.identity.account,
        region: aws.region,
        durationSeconds: 900,
        reason: 'mfa kinds check',
        roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(
          access.grants.filter((g) => g.fromRole === grant.fromRole),
        ),
      };
    };
    return { sts, access, base };
  }

  it("the demo's Identity Center user requests every Employee grant with no TOTP code, and uses it", async () => {
    const { sts, access, base } = await prepare('sso');
    assert.equal(access.role, 'Employee');
    for (const grant of access.grants) {
      const session = await requestSession({ sts, clock: aws.clock, log: silentLog }, base(grant.service, grant.level));
      assert.equal(session.role, 'Employee');
    }
    const rdsSession = await requestSession({ sts, clock: aws.clock, log: silentLog }, base('rds', 'read'));
    const c = rdsSession.credentials;
    const rds = new RDSClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken },
      maxAttempts: 1,
    });
    await rds.send(new DescribeDBInstancesCommand({}));
  });

  it('an IAM user of the same role still needs TOTP: the broker asks, and AWS refuses AssumeRole without it', async () => {
    const { sts, base } = await prepare('employee');
    await assert.rejects(
      requestSession({ sts, clock: aws.clock, log: silentLog }, base('rds', 'read')),
      (e: unknown) => isStsError(e) && e.nextAction === 'reenterMfa',
    );
    const request = base('rds', 'read');
    const raw = await sts
      .send(
        new AssumeRoleCommand({
          RoleArn: request.roleArn,
          RoleSessionName: 'erin.employee@raw',
          DurationSeconds: 900,
          SourceIdentity: 'erin.employee',
          Tags: [
            { Key: 'infrawatch:request-id', Value: '0a1b2c3d4e5f' },
            { Key: 'infrawatch:service', Value: 'rds' },
            { Key: 'infrawatch:level', Value: 'read' },
            { Key: 'infrawatch:reason', Value: 'x' },
          ],
        }),
      )
      .catch((e: unknown) => e);
    assert.match(String((raw as Error).name), /AccessDenied/);
    const session = await requestSession(
      { sts, clock: aws.clock, log: silentLog },
      { ...request, tokenCode: totpCode(aws, 'employee'), mfaSerial: identity(aws, 'employee').mfaSerial },
    );
    assert.equal(session.role, 'Employee');
  });

  it('refuses MFA presented by a role session: it has no MFA device of its own', async () => {
    const { sts, base } = await prepare('sso');
    const request = base('ec2', 'read');
    const raw = await sts
      .send(
        new AssumeRoleCommand({
          RoleArn: request.roleArn,
          RoleSessionName: 'sam.sso@raw',
          DurationSeconds: 900,
          SourceIdentity: 'sam.sso',
          SerialNumber: identity(aws, 'sso').mfaSerial,
          TokenCode: totpCode(aws, 'sso'),
          Tags: [
            { Key: 'infrawatch:request-id', Value: '0a1b2c3d4e5f' },
            { Key: 'infrawatch:service', Value: 'ec2' },
            { Key: 'infrawatch:level', Value: 'read' },
          ],
        }),
      )
      .catch((e: unknown) => e);
    assert.match(String((raw as Error).message), /MultiFactorAuthentication failed/);
  });
});
