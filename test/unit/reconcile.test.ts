// CloudTrail reconciliation, pure: which AssumeRole sessions on the JIT roles InfraWatch made
// (request id tag, session name, caller and credentials agree with the audit trail) and
// which it did not, with why; and the event parsing that feeds it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AuditSessionRef,
  type CloudTrailAssumeRole,
  getJitRoles,
  parseAssumeRoleEvent,
  reconcileSessions,
  requestIdTagKey,
} from '../../src/core/admin/reconcile';
import { parsePolicy } from '../../src/core/policy/parse';
import { type EffectiveGrant } from '../../src/core/policy/roles';
import { buildSessionTags } from '../../src/core/sts/broker';
import { sanitizeSessionName } from '../../src/core/sts/naming';

const account = '111122223333';
const employeeRole = `arn:aws:iam::${account}:role/InfraWatch-Employee`;
const erin = `arn:aws:iam::${account}:user/erin.employee`;
const max = `arn:aws:iam::${account}:user/max.manager`;
const jitRoles = new Map([[employeeRole, ['Employee']]]);

let seq = 0;
function session(over: Partial<CloudTrailAssumeRole> & { id?: string } = {}): CloudTrailAssumeRole {
  seq += 1;
  const id = over.id ?? 'a1b2c3d4e5';
  return {
    eventId: `evt-${seq}`,
    time: 1_700_000_000_000 + seq * 1000,
    callerArn: erin,
    roleArn: employeeRole,
    sessionName: `erin.employee@${id}`,
    tags: [
      { key: requestIdTagKey, value: id },
      { key: 'infrawatch:service', value: 'rds' },
    ],
    sourceIdentity: 'erin.employee',
    issuedAccessKeyId: `ASIAKEY${seq}`,
    ...over,
  };
}

const requested = (requestId: string, actor = erin): AuditSessionRef => ({
  event: 'access.requested',
  actor,
  requestId,
});
const granted = (requestId: string, accessKeyId: string, actor = erin): AuditSessionRef => ({
  event: 'access.granted',
  actor,
  requestId,
  accessKeyId,
});

describe('CloudTrail reconciliation', () => {
  it('matches a session whose request id tag, session name, caller and credentials agree with the audit trail', () => {
    const s = session();
    const result = reconcileSessions(
      [s],
      [requested('a1b2c3d4e5'), granted('a1b2c3d4e5', s.issuedAccessKeyId!)],
      jitRoles,
    );
    assert.deepEqual(result.unmatched, []);
    assert.equal(result.matched.length, 1);
    assert.deepEqual(result.matched[0]!.roles, ['Employee']);
  });

  it('matches on access.requested alone while the grant is still on its way', () => {
    const result = reconcileSessions([session()], [requested('a1b2c3d4e5')], jitRoles);
    assert.equal(result.matched.length, 1);
  });

  it('flags each way a session can come from outside InfraWatch, saying why', () => {
    const audit = [requested('a1b2c3d4e5'), granted('a1b2c3d4e5', 'ASIAREAL'), requested('m0m0m0m0m0', max)];
    const cases: [CloudTrailAssumeRole, string][] = [
      [session({ tags: [], sessionName: 'erin-cli' }), 'no-request-id'],
      [session({ id: 'zzzzzzzzzz' }), 'unknown-request-id'],
      [session({ sessionName: 'erin.employee@other' }), 'session-name-mismatch'],
      [session({ id: 'm0m0m0m0m0' }), 'caller-mismatch'],
      [session({ issuedAccessKeyId: 'ASIAOTHER' }), 'access-key-mismatch'],
    ];
    for (const [event, reason] of cases) {
      const result = reconcileSessions([event], audit, jitRoles);
      assert.equal(result.matched.length, 0, reason);
      assert.equal(result.unmatched[0]?.reason, reason);
      assert.ok(result.unmatched[0]!.explanation.length > 20, result.unmatched[0]!.explanation);
    }
  });

  it('lets one request id make one session: a second one under it is flagged', () => {
    const first = session();
    const second = session();
    const result = reconcileSessions([second, first], [requested('a1b2c3d4e5')], jitRoles);
    assert.deepEqual(
      result.matched.map((m) => m.event.eventId),
      [first.eventId],
    );
    assert.deepEqual(
      result.unmatched.map((u) => [u.event.eventId, u.reason]),
      [[second.eventId, 'request-id-reused']],
    );
  });

  it('counts sessions of roles the policy does not name and refused calls without flagging them', () => {
    const result = reconcileSessions(
      [
        session({ roleArn: `arn:aws:iam::${account}:role/Deploy` }),
        session({ errorCode: 'AccessDenied', issuedAccessKeyId: undefined }),
      ],
      [],
      jitRoles,
    );
    assert.deepEqual([result.otherRoles, result.refused, result.unmatched.length], [1, 1, 0]);
  });

  it('lists flagged sessions newest first and reads the tag key without case', () => {
    const older = session({ id: 'x000000001', tags: [{ key: 'InfraWatch:Request-Id', value: 'x000000001' }] });
    const newer = session({ id: 'x000000002' });
    const result = reconcileSessions([older, newer], [], jitRoles);
    assert.deepEqual(
      result.unmatched.map((u) => [u.event.eventId, u.requestId]),
      [
        [newer.eventId, 'x000000002'],
        [older.eventId, 'x000000001'],
      ],
    );
  });

  it('reads the tag and session name the broker sends', () => {
    const grant = { service: 'rds', level: 'read' } as EffectiveGrant;
    const tags = buildSessionTags('a1b2c3d4e5', grant);
    assert.deepEqual(
      tags.find((t) => t.Key === requestIdTagKey),
      { Key: requestIdTagKey, Value: 'a1b2c3d4e5' },
    );
    const s = session({
      sessionName: sanitizeSessionName('erin.employee', 'a1b2c3d4e5'),
      tags: tags.map((t) => ({ key: t.Key, value: t.Value })),
    });
    assert.equal(reconcileSessions([s], [requested('a1b2c3d4e5')], jitRoles).matched.length, 1);
  });

  it('takes the JIT roles from every roleArns of the policy', () => {
    const parsed = parsePolicy(readFileSync(join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8'));
    assert.ok(parsed.ok);
    assert.deepEqual([...getJitRoles(parsed.policy).entries()].sort(), [
      [`arn:aws:iam::${account}:role/InfraWatch-Admin`, ['Admin']],
      [employeeRole, ['Employee']],
      [`arn:aws:iam::${account}:role/InfraWatch-Manager`, ['Manager']],
    ]);
  });
});

describe('CloudTrail AssumeRole events', () => {
  const record = {
    eventVersion: '1.08',
    eventName: 'AssumeRole',
    eventSource: 'sts.amazonaws.com',
    eventID: 'e-1',
    eventTime: '2025-01-02T03:04:05Z',
    awsRegion: 'us-east-1',
    userIdentity: {
      type: 'IAMUser',
      arn: erin,
      principalId: 'AIDAEXAMPLE',
      accountId: account,
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'erin.employee',
    },
    requestParameters: {
      roleArn: employeeRole,
      roleSessionName: 'erin-cli',
      durationSeconds: 3600,
      sourceIdentity: 'erin.employee',
      tags: [{ key: 'team', value: 'a' }],
    },
    responseElements: {
      credentials: { accessKeyId: 'ASIAISSUED', expiration: 'Jan 2, 2025 4:04:05 AM' },
      assumedRoleUser: { arn: 'x', assumedRoleId: 'y' },
    },
  };

  it('reads who, when, which role, tags, SourceIdentity and the issued key id', () => {
    const parsed = parseAssumeRoleEvent({
      EventId: 'e-1',
      EventTime: new Date('2025-01-02T03:04:05Z'),
      CloudTrailEvent: JSON.stringify(record),
    });
    assert.deepEqual(parsed, {
      eventId: 'e-1',
      time: Date.UTC(2025, 0, 2, 3, 4, 5),
      region: 'us-east-1',
      callerArn: erin,
      callerType: 'IAMUser',
      roleArn: employeeRole,
      sessionName: 'erin-cli',
      tags: [{ key: 'team', value: 'a' }],
      sourceIdentity: 'erin.employee',
      durationSeconds: 3600,
      issuedAccessKeyId: 'ASIAISSUED',
    });
  });

  it('reads a refused call (no response) and skips what is not a readable AssumeRole record', () => {
    const refused = parseAssumeRoleEvent({
      CloudTrailEvent: JSON.stringify({ ...record, errorCode: 'AccessDenied', responseElements: null }),
    });
    assert.equal(refused?.errorCode, 'AccessDenied');
    assert.equal(refused?.issuedAccessKeyId, undefined);
    assert.equal(refused?.time, Date.UTC(2025, 0, 2, 3, 4, 5), 'eventTime when LookupEvents gave none');
    for (const text of [
      'not json',
      JSON.stringify({ ...record, eventName: 'GetCallerIdentity' }),
      JSON.stringify({ ...record, requestParameters: null }),
      '[]',
    ]) {
      assert.equal(
        parseAssumeRoleEvent({ EventId: 'e', EventTime: new Date(), CloudTrailEvent: text }),
        undefined,
        text,
      );
    }
    assert.equal(parseAssumeRoleEvent({ EventId: 'e' }), undefined);
  });
});
