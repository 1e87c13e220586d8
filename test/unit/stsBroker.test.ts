import * as assert from 'node:assert/strict';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { type Log } from '../../src/core/ports';
import { type EffectiveGrant } from '../../src/core/policy/roles';
import { describeSession } from '../../src/core/session';
import { buildSessionTags, requestSession, type SessionRequest } from '../../src/core/sts/broker';
import { checkTagValue } from '../../src/core/sts/rules';
import { StsError } from '../../src/core/sts/stsError';

const account = '111122223333';
const roleArn = `arn:aws:iam::${account}:role/InfraWatch-Employee`;
const now = Date.parse('2026-11-24T10:00:00Z');

const grant = (over: Partial<EffectiveGrant> = {}): EffectiveGrant => ({
  service: 'rds',
  level: 'read',
  resources: ['*'],
  maxMinutes: 60,
  defaultMinutes: 30,
  mfa: true,
  reason: true,
  ticket: false,
  fromRole: 'Employee',
  inherited: false,
  ...over,
});

const request = (over: Partial<SessionRequest> = {}): SessionRequest => ({
  caller: { arn: `arn:aws:iam::${account}:user/erin.employee`, account, userId: 'AIDAEXAMPLE' },
  role: 'Employee',
  roleArn,
  grant: grant(),
  account,
  region: 'us-east-1',
  durationSeconds: 1800,
  reason: 'orders db slow',
  tokenCode: '493817',
  ...over,
});

interface Captured {
  log: Log;
  lines: { level: string; text: string }[];
}

function captureLog(): Captured {
  const lines: { level: string; text: string }[] = [];
  const at =
    (level: string) =>
    (message: string | Error, ...args: unknown[]) =>
      void lines.push({ level, text: [String(message), ...args.map(String)].join(' ') });
  return {
    lines,
    log: { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

const issued = (packed = 7) => ({
  Credentials: {
    AccessKeyId: 'ASIAISSUEDKEY0000001',
    SecretAccessKey: 'issued-secret-access-key-0000000000000000',
    SessionToken: 'issued-session-token',
    Expiration: new Date(now + 1_800_000),
  },
  AssumedRoleUser: {
    Arn: `arn:aws:sts::${account}:assumed-role/InfraWatch-Employee/erin.employee@req0000001`,
    AssumedRoleId: 'AROAEXAMPLE:erin.employee@req0000001',
  },
  PackedPolicySize: packed,
  SourceIdentity: 'erin.employee',
});

describe('STS broker', () => {
  const sts = new STSClient({ region: 'us-east-1' });
  const stsMock = mockClient(sts);
  let captured: Captured;
  const deps = () => ({ sts, clock: { now: () => now }, log: captured.log, newRequestId: () => 'req0000001' });

  beforeEach(() => {
    stsMock.reset();
    captured = captureLog();
  });
  after(() => stsMock.restore());

  it('sends exactly the AssumeRole input: role ARN, session name, duration, scoped session policy, source identity, tags', async () => {
    stsMock.on(AssumeRoleCommand).resolves(issued());
    await requestSession(deps(), request({ ticket: 'OPS-42', grant: grant({ ticket: true }) }));
    const calls = stsMock.commandCalls(AssumeRoleCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.args[0].input, {
      RoleArn: roleArn,
      RoleSessionName: 'erin.employee@req0000001',
      DurationSeconds: 1800,
      Policy:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds:Describe*","rds:ListTagsForResource","rds:DownloadDBLogFilePortion"],"Resource":"*"}]}',
      SourceIdentity: 'erin.employee',
      Tags: [
        { Key: 'infrawatch:request-id', Value: 'req0000001' },
        { Key: 'infrawatch:service', Value: 'rds' },
        { Key: 'infrawatch:level', Value: 'read' },
        { Key: 'infrawatch:reason', Value: 'orders db slow' },
        { Key: 'infrawatch:ticket', Value: 'OPS-42' },
      ],
      SerialNumber: `arn:aws:iam::${account}:mfa/erin.employee`,
      TokenCode: '493817',
    });
  });

  it('returns the session with the expiration AWS gave', async () => {
    stsMock.on(AssumeRoleCommand).resolves(issued());
    const session = await requestSession(deps(), request({ ticket: ' OPS-42 ' }));
    assert.deepEqual(describeSession(session), {
      id: 'req0000001',
      service: 'rds',
      level: 'read',
      account,
      region: 'us-east-1',
      roleArn,
      assumedRoleArn: `arn:aws:sts::${account}:assumed-role/InfraWatch-Employee/erin.employee@req0000001`,
      sessionName: 'erin.employee@req0000001',
      sourceIdentity: 'erin.employee',
      requestedBy: `arn:aws:iam::${account}:user/erin.employee`,
      role: 'Employee',
      reason: 'orders db slow',
      ticket: 'OPS-42',
      durationSeconds: 1800,
      grantedAt: now,
      policy: session.policy,
      packedPolicySize: 7,
      accessKeyId: 'ASIAISSUEDKEY0000001',
      expiration: now + 1_800_000,
    });
    assert.equal(session.credentials.secretAccessKey, 'issued-secret-access-key-0000000000000000');
    assert.equal(session.credentials.sessionToken, 'issued-session-token');
  });

  it('omits SerialNumber/TokenCode without a code, uses a given device, and skips reason and ticket tags the grant does not require', async () => {
    stsMock.on(AssumeRoleCommand).resolves(issued());
    await requestSession(
      deps(),
      request({ grant: grant({ mfa: false, reason: false }), tokenCode: undefined, ticket: 'OPS-42' }),
    );
    const input = stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    assert.equal(input?.SerialNumber, undefined);
    assert.equal(input?.TokenCode, undefined);
    assert.deepEqual(
      input?.Tags?.map((t) => t.Key),
      ['infrawatch:request-id', 'infrawatch:service', 'infrawatch:level'],
    );
    await requestSession(deps(), request({ mfaSerial: 'GAHT12345678' }));
    assert.equal(stsMock.commandCalls(AssumeRoleCommand)[1]?.args[0].input.SerialNumber, 'GAHT12345678');
  });

  it('makes a fresh request id per request by default', async () => {
    stsMock.on(AssumeRoleCommand).resolves(issued());
    const noIds = { ...deps(), newRequestId: undefined };
    const a = await requestSession(noIds, request());
    const b = await requestSession(noIds, request());
    assert.match(a.id, /^[0-9a-f]{10}$/);
    assert.notEqual(a.id, b.id);
    assert.equal(a.sessionName, `erin.employee@${a.id}`);
  });

  it('warns when PackedPolicySize is above 90% and stays quiet below, never logging a secret', async () => {
    stsMock.on(AssumeRoleCommand).resolves(issued(93));
    await requestSession(deps(), request());
    const warnings = captured.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.text ?? '', /93% of AWS's packed size limit/);
    stsMock.on(AssumeRoleCommand).resolves(issued(90));
    captured.lines.length = 0;
    await requestSession(deps(), request());
    assert.equal(captured.lines.filter((l) => l.level === 'warn').length, 0);
    for (const line of captured.lines) assert.doesNotMatch(line.text, /issued-secret|issued-session-token|493817/);
  });

  it('maps an MFA rejection to MfaRejected with the next action to ask again', async () => {
    stsMock.on(AssumeRoleCommand).rejects(
      Object.assign(
        new STSServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403, requestId: 'aws-req-9' },
          message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
        }),
        { Code: 'AccessDenied' },
      ),
    );
    await assert.rejects(requestSession(deps(), request()), (e: unknown) => {
      assert.ok(e instanceof StsError);
      assert.equal(e.code, 'MfaRejected');
      assert.equal(e.nextAction, 'reenterMfa');
      assert.equal(e.requestId, 'aws-req-9');
      assert.doesNotMatch(e.message, /493817/);
      return true;
    });
  });

  it('checks the grant before calling AWS: duration cap with its reason, MFA, reason, ticket, account', async () => {
    const cases: [Partial<SessionRequest>, string, RegExp][] = [
      [
        { durationSeconds: 7200 },
        'chooseShorter',
        /2 hours is too long for RDS read: the policy's maximum for RDS read is 60 minutes\. Choose 1 hour or less/,
      ],
      [
        {
          grant: grant({ maxMinutes: 240 }),
          durationSeconds: 7200,
          caller: { arn: `arn:aws:sts::${account}:assumed-role/SSO_Dev/sam.sso`, account, userId: 'AROA:sam.sso' },
        },
        'chooseShorter',
        /role chaining/,
      ],
      [
        { grant: grant({ maxMinutes: 240 }), durationSeconds: 10_800, roleMaxSessionSeconds: 7200 },
        'chooseShorter',
        /MaxSessionDuration/,
      ],
      [{ tokenCode: undefined }, 'reenterMfa', /requires MFA: enter the 6-digit code/],
      [{ reason: '  ' }, 'editRequest', /requires a reason/],
      [{ grant: grant({ ticket: true }) }, 'editRequest', /requires a ticket id/],
      [{ account: '444455556666' }, 'fixPolicy', /is in account 111122223333, not 444455556666/],
    ];
    for (const [over, nextAction, pattern] of cases) {
      await assert.rejects(requestSession(deps(), request(over)), (e: unknown) => {
        assert.ok(e instanceof StsError, String(e));
        assert.equal(e.nextAction, nextAction, e.message);
        assert.match(e.message, pattern);
        return true;
      });
    }
    assert.equal(stsMock.commandCalls(AssumeRoleCommand).length, 0, 'AWS is never called');
  });

  it('runs the AWS rules before calling: bad code, bad role ARN, bad ticket, oversized policy', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `arn:aws:rds:us-east-1:${account}:db:orders-database-${i}`);
    const cases: [Partial<SessionRequest>, string, string, RegExp][] = [
      [{ tokenCode: '12345' }, 'MfaRejected', 'reenterMfa', /exactly 6 digits: you entered 5/],
      [{ roleArn: `arn:aws:iam::${account}:user/nope` }, 'Validation', 'fixPolicy', /not a role ARN/],
      [{ ticket: 'JIRA #12', grant: grant({ ticket: true }) }, 'Validation', 'editRequest', /not allow/],
      [
        { grant: grant({ resources: many }) },
        'Validation',
        'fixPolicy',
        /over AWS's limit of 2,048 \(its 40 resource patterns\)/,
      ],
      [
        { caller: { arn: `arn:aws:iam::${account}:root`, account, userId: 'x' } },
        'Validation',
        'fixMfaSerial',
        /No MFA device is known for you/,
      ],
    ];
    for (const [over, code, nextAction, pattern] of cases) {
      await assert.rejects(requestSession(deps(), request(over)), (e: unknown) => {
        assert.ok(e instanceof StsError, String(e));
        assert.equal(e.code, code, e.message);
        assert.equal(e.nextAction, nextAction, e.message);
        assert.match(e.message, pattern);
        return true;
      });
    }
    assert.equal(stsMock.commandCalls(AssumeRoleCommand).length, 0);
  });

  it('fails clearly when AWS returns no credentials', async () => {
    stsMock.on(AssumeRoleCommand).resolves({ $metadata: { requestId: 'r' } });
    await assert.rejects(requestSession(deps(), request()), /returned no credentials/);
  });

  it('builds the tags from the request id, service, level, and the reason and ticket where the grant requires them', () => {
    assert.deepEqual(
      buildSessionTags('abc', grant({ service: 'lambda', level: 'write', reason: false }), {
        reason: 'why',
        ticket: 'OPS-1',
      }),
      [
        { Key: 'infrawatch:request-id', Value: 'abc' },
        { Key: 'infrawatch:service', Value: 'lambda' },
        { Key: 'infrawatch:level', Value: 'write' },
      ],
    );
    const tags = buildSessionTags('abc', grant({ ticket: true }), {
      reason: ' Disk full!\n(again) — see #ops ',
      ticket: ' OPS-1 ',
    });
    assert.deepEqual(tags.slice(3), [
      { Key: 'infrawatch:reason', Value: 'Disk full again see ops' },
      { Key: 'infrawatch:ticket', Value: 'OPS-1' },
    ]);
  });

  it('sends a reason as a tag value AWS accepts: allowed characters only, at most 256', () => {
    const long = 'x'.repeat(300);
    const [, , , reason] = buildSessionTags('abc', grant(), { reason: long });
    assert.equal(reason?.Value.length, 256);
    assert.equal(
      buildSessionTags('abc', grant(), { reason: '!!!' })[3]?.Value,
      '-',
      'a reason of symbols still shows one was given',
    );
    assert.equal(
      buildSessionTags('abc', grant(), { reason: 'Café: prod/db=1 + x@y_z' })[3]?.Value,
      'Café: prod/db=1 + x@y_z',
    );
    for (const tag of buildSessionTags('abc', grant(), { reason: 'a\tb?c"d<e>f;g' }))
      assert.equal(checkTagValue(tag.Value), undefined, tag.Value);
  });
});
