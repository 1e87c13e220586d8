// The demo runs on the IAM kit's roles (startLocalAws roles: 'kit', as `npm run demo` starts
// it): every demo person's Request Access, made by the extension's own broker, gets a session
// that can use its grant and nothing else of the same role.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { fetchIdentity } from '../../src/core/identity';
import { silentLog } from '../../src/core/ports';
import { resolveAccess } from '../../src/core/policy/assign';
import { parsePolicy } from '../../src/core/policy/parse';
import { type Session } from '../../src/core/session';
import { requestSession } from '../../src/core/sts/broker';
import { getAssumedRoleMaxSessionSeconds } from '../../src/core/sts/duration';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { credentialsOf, identity, stsClient, totpCode, type TestCredentials } from '../../localaws/testing/clients';

const policyFile = path.join(__dirname, '..', '..', 'demo', 'policy.json');

describe("the demo on the IAM kit's roles: the broker's requests", function () {
  this.timeout(60_000);
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws({ port: 0, roles: 'kit' });
  });
  after(async () => aws?.close());

  async function request(who: string, service: string, level: string): Promise<Session> {
    const sts = stsClient(aws, credentialsOf(aws, who));
    const found = await fetchIdentity(sts);
    assert.equal(found.kind, 'ok');
    if (found.kind !== 'ok') throw new Error('no identity');
    const parsed = parsePolicy(readFileSync(policyFile, 'utf8'));
    assert.ok(parsed.ok);
    const access = resolveAccess(parsed.policy, found.identity);
    const grant = access?.grants.find((g) => g.service === service && g.level === level);
    assert.ok(access && grant, `${who} has ${service} ${level}`);
    aws.clock.advance(30_000);
    return requestSession(
      { sts, clock: aws.clock, log: silentLog },
      {
        caller: found.identity,
        role: access.role,
        roleArn: access.roleArn!,
        grant,
        account: found.identity.account,
        region: aws.region,
        durationSeconds: 900,
        reason: 'kit roles: demo check',
        ticket: 'OPS-1',
        mfaSerial: identity(aws, who).mfaSerial,
        tokenCode: totpCode(aws, who),
        roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(
          access.grants.filter((g) => g.fromRole === grant.fromRole),
        ),
      },
    );
  }

  const credentials = (s: Session): TestCredentials => ({
    accessKeyId: s.credentials.accessKeyId,
    secretAccessKey: s.credentials.secretAccessKey,
    sessionToken: s.credentials.sessionToken,
  });
  const rds = (s: Session) =>
    new RDSClient({ endpoint: aws.url, region: aws.region, credentials: credentials(s), maxAttempts: 1 });
  const ec2 = (s: Session) =>
    new EC2Client({ endpoint: aws.url, region: aws.region, credentials: credentials(s), maxAttempts: 1 });

  for (const [who, service, level] of [
    ['employee', 'rds', 'read'],
    ['sso', 'rds', 'read'],
    ['manager', 'rds', 'write'],
    ['admin', 'rds', 'admin'],
  ] as const) {
    it(`${who}: ${service} ${level} works, EC2 of the same role does not`, async () => {
      const session = await request(who, service, level);
      await rds(session).send(new DescribeDBInstancesCommand({}));
      await assert.rejects(
        ec2(session).send(new DescribeInstancesCommand({})),
        /UnauthorizedOperation|AccessDenied|not authorized/,
      );
    });
  }

  it('employee: EC2 read (no reason required) works, RDS of the same role does not', async () => {
    const session = await request('employee', 'ec2', 'read');
    await ec2(session).send(new DescribeInstancesCommand({}));
    await assert.rejects(rds(session).send(new DescribeDBInstancesCommand({})), /AccessDenied|not authorized/);
  });
});
