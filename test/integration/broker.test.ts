// The STS broker against the local AWS endpoint over HTTP, with the real SDK v3 clients:
// who the caller is (GetCallerIdentity), what they may ask for (the demo policy), the
// AssumeRole the broker sends, and what the issued credentials can then do.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DescribeDBInstancesCommand, RDSClient, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { type CallerIdentity } from '../../src/core/arn';
import { fetchIdentity } from '../../src/core/identity';
import { type AccessResolution, resolveAccess } from '../../src/core/policy/assign';
import { parsePolicy } from '../../src/core/policy/parse';
import { type EffectiveGrant } from '../../src/core/policy/roles';
import { type Session } from '../../src/core/session';
import { requestSession, type SessionRequest } from '../../src/core/sts/broker';
import { getAssumedRoleMaxSessionSeconds, getDurationCap } from '../../src/core/sts/duration';
import { mapStsError } from '../../src/core/sts/errors';
import { StsError } from '../../src/core/sts/stsError';
import { queryResponse, xmlNamespaces } from '../../localaws/server/protocol';
import { jitRoleArn } from '../../localaws/iam/identities';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import {
  cloudWatchClient,
  credentialsOf,
  stsClient,
  testListMetrics,
  totpCode,
  type TestCredentials,
} from '../../localaws/testing/clients';
import type { ServiceHandler } from '../../localaws/server/types';

/** A stand-in RDS (awsQuery): the endpoint authorizes `rds:<Action>` before it answers. */
const rdsStandIn: ServiceHandler = (req, ctx) => {
  const action = new URLSearchParams(req.body.toString('utf8')).get('Action') ?? '';
  const inner =
    action === 'RebootDBInstance'
      ? '<DBInstance><DBInstanceIdentifier>orders-db</DBInstanceIdentifier></DBInstance>'
      : '<DBInstances/>';
  return queryResponse(action, inner, ctx.requestId, xmlNamespaces.rds);
};

const policyFile = path.join(__dirname, '..', '..', 'demo', 'policy.json');

function demoPolicy() {
  const parsed = parsePolicy(readFileSync(policyFile, 'utf8'));
  assert.ok(parsed.ok, 'the demo policy parses');
  return parsed.policy;
}

function expectStsError(nextAction: string, code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof StsError, `expected an StsError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.nextAction, nextAction, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('STS broker against the local AWS endpoint', function () {
  this.timeout(30_000);
  let aws: LocalAws;
  const warnings: string[] = [];

  before(async () => {
    aws = await startLocalAws({ services: { monitoring: testListMetrics, rds: rdsStandIn } });
  });
  after(async () => aws?.close());

  /** Each MFA request gets a code of its own: AWS (and the endpoint) accept a code once. */
  function freshCode(name: string): string {
    aws.clock.advance(30_000);
    return totpCode(aws, name);
  }

  async function callerOf(sts: STSClient): Promise<CallerIdentity> {
    const result = await fetchIdentity(sts);
    assert.equal(result.kind, 'ok');
    return (result as { identity: CallerIdentity }).identity;
  }

  async function setUp(
    name: string,
  ): Promise<{ sts: STSClient; caller: CallerIdentity; access: AccessResolution | undefined }> {
    const sts = stsClient(aws, credentialsOf(aws, name));
    const caller = await callerOf(sts);
    return { sts, caller, access: resolveAccess(demoPolicy(), caller) };
  }

  function grantOf(access: AccessResolution | undefined, service: string, level: string): EffectiveGrant {
    const grant = access?.grants.find((g) => g.service === service && g.level === level);
    assert.ok(grant, `the demo policy grants ${service} ${level}`);
    return grant;
  }

  function deps(sts: STSClient) {
    return {
      sts,
      clock: aws.clock,
      log: {
        trace: () => {},
        debug: () => {},
        info: () => {},
        warn: (m: string | Error) => void warnings.push(String(m)),
        error: () => {},
      },
    };
  }

  function rdsClient(credentials: TestCredentials): RDSClient {
    return new RDSClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });
  }

  const issued = (s: Session): TestCredentials => ({
    accessKeyId: s.credentials.accessKeyId,
    secretAccessKey: s.credentials.secretAccessKey,
    sessionToken: s.credentials.sessionToken,
  });

  it('grants the employee a scoped RDS read session that works, and only for reading', async () => {
    const { sts, caller, access } = await setUp('employee');
    assert.equal(access?.role, 'Employee');
    const before = aws.clock.now();
    const session = await requestSession(deps(sts), {
      caller,
      role: access.role,
      roleArn: access.roleArn as string,
      grant: grantOf(access, 'rds', 'read'),
      account: caller.account,
      region: aws.region,
      durationSeconds: 1800,
      reason: 'orders db is slow',
      tokenCode: freshCode('employee'),
      roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(access.grants),
    });
    assert.match(session.sessionName, /^erin\.employee@[0-9a-f]{10}$/);
    assert.equal(
      session.assumedRoleArn,
      `arn:aws:sts::${caller.account}:assumed-role/InfraWatch-Employee/${session.sessionName}`,
    );
    assert.equal(session.sourceIdentity, 'erin.employee');
    assert.ok(
      Math.abs(session.credentials.expiration - (before + 1_830_000)) < 5000,
      'expires 30 minutes after the endpoint clock',
    );
    assert.ok(session.packedPolicySize !== undefined && session.packedPolicySize > 0 && session.packedPolicySize <= 90);

    const recorded = aws.state.issuedSessions.find((s) => s.accessKeyId === session.credentials.accessKeyId);
    assert.deepEqual(recorded?.tags, {
      'infrawatch:request-id': session.id,
      'infrawatch:service': 'rds',
      'infrawatch:level': 'read',
      'infrawatch:reason': 'orders db is slow',
    });
    assert.equal(recorded?.sessionPolicy, session.policy);
    assert.equal(recorded?.mfaAuthenticated, true);

    const who = await stsClient(aws, issued(session)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, session.assumedRoleArn);
    await rdsClient(issued(session)).send(new DescribeDBInstancesCommand({}));
    await assert.rejects(
      rdsClient(issued(session)).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' })),
      (e: { name?: string }) => e.name === 'AccessDenied',
    );
    // The base identity may list metrics; the session may not: the session policy scopes it.
    await cloudWatchClient(aws, credentialsOf(aws, 'employee')).send(new ListMetricsCommand({}));
    await assert.rejects(
      cloudWatchClient(aws, issued(session)).send(new ListMetricsCommand({})),
      (e: { name?: string }) => e.name === 'AccessDenied',
    );
  });

  it('maps a wrong MFA code to MfaRejected, and the same request with a fresh code succeeds', async () => {
    const { sts, caller, access } = await setUp('employee');
    const current = freshCode('employee');
    const wrong = current === '000000' ? '111111' : '000000';
    const request: SessionRequest = {
      caller,
      role: 'Employee',
      roleArn: access?.roleArn as string,
      grant: grantOf(access, 'rds', 'read'),
      account: caller.account,
      region: aws.region,
      durationSeconds: 900,
      reason: 'checking',
      tokenCode: wrong,
    };
    await assert.rejects(
      requestSession(deps(sts), request),
      expectStsError('reenterMfa', 'MfaRejected', /rejected the MFA code/),
    );
    const session = await requestSession(deps(sts), { ...request, tokenCode: freshCode('employee') });
    assert.equal(session.durationSeconds, 900);
  });

  it('refuses a code that was already used', async () => {
    const { sts, caller, access } = await setUp('employee');
    const code = freshCode('employee');
    const request: SessionRequest = {
      caller,
      role: 'Employee',
      roleArn: access?.roleArn as string,
      grant: grantOf(access, 'ec2', 'read'),
      account: caller.account,
      region: aws.region,
      durationSeconds: 900,
      tokenCode: code,
    };
    await requestSession(deps(sts), request);
    await assert.rejects(
      requestSession(deps(sts), request),
      expectStsError('reenterMfa', 'MfaRejected', /already used/),
    );
  });

  it('caps an Identity Center (role session) caller at 1 hour and says why', async () => {
    const { sts, caller, access } = await setUp('sso');
    assert.equal(access?.role, 'Employee', 'the SSO glob assignment applies');
    const longGrant: EffectiveGrant = { ...grantOf(access, 'rds', 'read'), maxMinutes: 240 };
    const cap = getDurationCap({ grant: longGrant, roleMaxSessionSeconds: 14_400, baseIsRoleSession: true });
    assert.equal(cap.maxSeconds, 3600);
    assert.match(cap.reason, /role session \(role chaining\)/);
    const request: SessionRequest = {
      caller,
      role: 'Employee',
      roleArn: access.roleArn as string,
      grant: longGrant,
      account: caller.account,
      region: aws.region,
      durationSeconds: 7200,
      reason: 'incident',
    };
    await assert.rejects(
      requestSession(deps(sts), request),
      expectStsError('chooseShorter', 'Validation', /role chaining/),
    );
    const session = await requestSession(deps(sts), { ...request, durationSeconds: 3600 });
    assert.match(session.sessionName, /^sam\.sso@/);
    // AWS's own refusal of a longer chained session maps to the same advice.
    const raw = await sts
      .send(new AssumeRoleCommand({ RoleArn: access.roleArn, RoleSessionName: 'sam.sso@raw', DurationSeconds: 7200 }))
      .catch((e: unknown) => e);
    assert.ok(
      mapStsError(raw, { roleArn: access.roleArn as string, durationSeconds: 7200 }).message.includes('role chaining'),
    );
  });

  it('explains a trust-policy refusal for a user the role does not trust', async () => {
    const { sts, caller, access } = await setUp('unassigned');
    assert.equal(access, undefined, 'the demo policy assigns Uma no role');
    const employee = resolveAccess(demoPolicy(), {
      arn: `arn:aws:iam::${caller.account}:user/erin.employee`,
      account: caller.account,
    });
    const request: SessionRequest = {
      caller,
      role: 'Employee',
      roleArn: jitRoleArn('InfraWatch-Employee'),
      grant: grantOf(employee, 'rds', 'read'),
      account: caller.account,
      region: aws.region,
      durationSeconds: 900,
      reason: 'x',
      tokenCode: freshCode('unassigned'),
    };
    await assert.rejects(
      requestSession(deps(sts), request),
      expectStsError(
        'contactAdmin',
        'AccessDenied',
        /refused to let you assume arn:aws:iam::111122223333:role\/InfraWatch-Employee.*trust policy/,
      ),
    );
  });

  it("maps the role's MaxSessionDuration refusal to advice to choose shorter or raise it", async () => {
    const { sts, caller, access } = await setUp('employee');
    const request: SessionRequest = {
      caller,
      role: 'Employee',
      roleArn: access?.roleArn as string,
      grant: { ...grantOf(access, 'rds', 'read'), maxMinutes: 240 },
      account: caller.account,
      region: aws.region,
      durationSeconds: 7200,
      reason: 'x',
      tokenCode: freshCode('employee'),
    };
    await assert.rejects(
      requestSession(deps(sts), request),
      expectStsError(
        'chooseShorter',
        'Validation',
        /MaxSessionDuration.*raise the role's MaxSessionDuration to at least 2 hours/,
      ),
    );
  });

  it('maps clock skew, unknown keys and an unreachable endpoint to their fixes', async () => {
    const { caller, access } = await setUp('employee');
    const request = (sts: STSClient): Promise<Session> =>
      requestSession(deps(sts), {
        caller,
        role: 'Employee',
        roleArn: access?.roleArn as string,
        grant: { ...grantOf(access, 'ec2', 'read'), mfa: false },
        account: caller.account,
        region: aws.region,
        durationSeconds: 900,
      });
    const skewed = stsClient(aws, credentialsOf(aws, 'employee'), { systemClockOffset: -3_600_000 });
    await assert.rejects(request(skewed), expectStsError('fixClock', 'SignatureMismatch', /clock is off/));
    const unknown = stsClient(aws, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) });
    await assert.rejects(
      request(unknown),
      expectStsError('refreshCredentials', 'InvalidToken', /does not recognise your access key/),
    );
    const wrongSecret = stsClient(aws, { ...credentialsOf(aws, 'employee'), secretAccessKey: 'y'.repeat(40) });
    await assert.rejects(
      request(wrongSecret),
      expectStsError('refreshCredentials', 'SignatureMismatch', /secret access key/),
    );
    const closed = new STSClient({
      endpoint: 'http://127.0.0.1:9',
      region: aws.region,
      credentials: credentialsOf(aws, 'employee'),
      maxAttempts: 1,
    });
    await assert.rejects(request(closed), expectStsError('retry', 'Network', /Cannot reach AWS STS/));
  });

  it('sends expired base credentials back to sign-in', async () => {
    const { sts, caller, access } = await setUp('sso');
    aws.clock.advance(31 * 24 * 3600 * 1000);
    try {
      await assert.rejects(
        requestSession(deps(sts), {
          caller,
          role: 'Employee',
          roleArn: access?.roleArn as string,
          grant: { ...grantOf(access, 'ec2', 'read'), mfa: false },
          account: caller.account,
          region: aws.region,
          durationSeconds: 900,
        }),
        expectStsError('refreshCredentials', 'Expired', /sign in again/),
      );
    } finally {
      aws.clock.advance(-31 * 24 * 3600 * 1000);
    }
    assert.deepEqual(warnings, [], 'no packed-size warning for ordinary requests');
  });
});
