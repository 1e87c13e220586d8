// Organisation records verified per writer: stream names for principals, the per-stream
// chain, the actor rule, and the IAM kit's statements that pin IAM users to their streams.
import assert from 'node:assert/strict';
import { createAuditRecord, emptyChainHead, getCanonicalJson } from '../../src/core/audit/chain';
import { type AuditEventInput } from '../../src/core/audit/events';
import { emptyStreamHead, linkRecordLine, type StreamHead } from '../../src/core/audit/orgChain';
import { getAuditStreamName, isActorOfOwner, parseAuditStreamName } from '../../src/core/audit/orgStreams';
import { verifyOrgEvents, type OrgEvent } from '../../src/core/audit/orgVerify';
import { mergeAuditSources } from '../../src/core/audit/queryFilter';
import { buildAuditWriterPolicy } from '../../src/core/iam/auditWriter';
import { type AccessPolicy } from '../../src/core/policy/schema';

const erin = 'arn:aws:iam::111122223333:user/staff/erin';
const sam = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123/sam@example.com';
const time = '2025-03-01T10:00:00.000Z';

function writeStream(stream: string, inputs: AuditEventInput[], start: StreamHead = emptyStreamHead): OrgEvent[] {
  let head = emptyChainHead;
  let link = start;
  return inputs.map((input, i) => {
    const record = createAuditRecord(head, input, time);
    head = record;
    const linked = linkRecordLine(getCanonicalJson(record), stream, link);
    link = linked.head;
    return { eventId: `${stream}#${i}`, stream, message: linked.message };
  });
}

const requested = (actor: string): AuditEventInput => ({ event: 'access.requested', actor, outcome: 'success' });

describe('org records: stream names', () => {
  it('names a stream for each kind of principal and reads the owner back', () => {
    assert.equal(getAuditStreamName(erin, 'abc123'), '111122223333/user/erin/abc123');
    assert.equal(
      getAuditStreamName(sam, 'abc123'),
      '111122223333/assumed-role/AWSReservedSSO_Dev_0123/sam@example.com/abc123',
    );
    assert.equal(
      getAuditStreamName('arn:aws:sts::111122223333:federated-user/bob', 'm'),
      '111122223333/federated-user/bob/m',
    );
    assert.equal(getAuditStreamName('arn:aws:iam::111122223333:root', 'm'), '111122223333/root/m');
    assert.equal(getAuditStreamName('arn:aws:iam::111122223333:role/Ops', 'm'), undefined);
    assert.deepEqual(parseAuditStreamName('111122223333/user/erin/abc123'), {
      kind: 'user',
      account: '111122223333',
      name: 'erin',
    });
    for (const bad of [
      'audit',
      '111122223333/user/erin',
      '111122223333/user/erin/bob/m',
      '1111/user/erin/m',
      '111122223333/group/erin/m',
    ]) {
      assert.equal(parseAuditStreamName(bad), undefined, bad);
    }
  });

  it('takes the owner, or a just-in-time session the owner started, as the actor', () => {
    const owner = parseAuditStreamName('111122223333/user/erin/m')!;
    assert.ok(isActorOfOwner(erin, owner));
    assert.ok(isActorOfOwner('arn:aws:sts::444455556666:assumed-role/InfraWatch-Ops/erin@0a1b2c3d4e', owner));
    assert.ok(!isActorOfOwner('arn:aws:iam::111122223333:user/max', owner));
    assert.ok(!isActorOfOwner('arn:aws:iam::444455556666:user/erin', owner), 'another account');
    assert.ok(!isActorOfOwner('arn:aws:sts::444455556666:assumed-role/InfraWatch-Ops/erinx@0a1b2c3d4e', owner));
    const session = parseAuditStreamName(getAuditStreamName(sam, 'm')!)!;
    assert.ok(isActorOfOwner(sam, session));
    assert.ok(
      !isActorOfOwner('arn:aws:sts::111122223333:assumed-role/Other/sam@example.com', session),
      'same session name, other role',
    );
  });
});

describe('org records: per-stream verification', () => {
  const stream = '111122223333/user/erin/m';

  it('verifies a stream written in order, read in any order, a duplicate once', () => {
    const events = writeStream(stream, [requested(erin), requested(erin), requested(erin)]);
    const read = verifyOrgEvents([events[2]!, events[0]!, events[1]!, events[1]!]);
    assert.equal(read.records.length, 3);
    assert.ok(read.records.every((r) => r.verification.ok));
  });

  it('flags a fork, a copy from another stream, an altered link and a gap, with reasons', () => {
    const events = writeStream(stream, [requested(erin), requested(erin), requested(erin), requested(erin)]);
    const forkRecord = createAuditRecord(emptyChainHead, { ...requested(erin), reason: 'fork' }, time);
    const fork: OrgEvent = {
      stream,
      message: linkRecordLine(getCanonicalJson(forkRecord), stream, emptyStreamHead).message,
    };
    const other = '111122223333/user/erin/n';
    const copied: OrgEvent = { ...writeStream(stream, [{ ...requested(erin), reason: 'copied' }])[0]!, stream: other };
    const altered = JSON.parse(events[3]!.message!) as { stream: { prevHash: string } };
    altered.stream.prevHash = '1'.repeat(64);
    const reasons = (list: OrgEvent[]) =>
      verifyOrgEvents(list).records.map((r) => (r.verification.ok ? 'ok' : r.verification.reason));
    assert.match(reasons([events[0]!, fork]).join('|'), /claimed by more than one record/);
    assert.match(reasons([copied])[0]!, /names stream .*copied from another stream/);
    assert.match(
      reasons([...events.slice(0, 3), { stream, message: JSON.stringify(altered) }])[3]!,
      /does not match its hash/,
    );
    const gap = reasons([events[0]!, events[2]!, events[3]!]);
    assert.deepEqual(
      gap.map((r) => r === 'ok'),
      [true, false, true],
    );
    assert.match(gap[1]!, /stream link 2 before it is missing/);
  });

  it('never folds an unverified copy of a real record into it', () => {
    const [real] = writeStream(stream, [requested(erin)]);
    const copy: OrgEvent = { ...real!, stream: '111122223333/user/max/m' };
    const read = verifyOrgEvents([real!, copy]);
    const merged = mergeAuditSources([], read.records);
    assert.deepEqual(
      merged.map((r) => r.verification?.ok),
      [true, false],
    );
  });
});

describe('org records: the IAM kit pins IAM users to their own streams', () => {
  it('writes own streams by ${aws:username}, role sessions only under assumed-role/, nothing else', () => {
    const policy = {
      accounts: [{ id: '111122223333', name: 'demo', region: 'eu-west-1' }],
      audit: { logGroup: '/infrawatch/audit' },
    } as unknown as AccessPolicy;
    const document = buildAuditWriterPolicy(policy, { partition: 'aws', accountId: '111122223333' })!;
    const writes = document.Statement.filter((s) => [s.Action].flat().includes('logs:PutLogEvents'));
    assert.deepEqual(
      writes.map((s) => [s.Action, s.Resource]),
      [
        [
          ['logs:CreateLogStream', 'logs:PutLogEvents'],
          'arn:aws:logs:eu-west-1:111122223333:log-group:/infrawatch/audit:log-stream:111122223333/user/${aws:username}/*',
        ],
        [
          ['logs:CreateLogStream', 'logs:PutLogEvents'],
          'arn:aws:logs:eu-west-1:111122223333:log-group:/infrawatch/audit:log-stream:111122223333/assumed-role/*',
        ],
      ],
    );
    // The user statement, resolved for erin, matches exactly the streams the sink names for her.
    const erinResource = String(writes[0]!.Resource).replace('${aws:username}', 'erin');
    const streamArn = `arn:aws:logs:eu-west-1:111122223333:log-group:/infrawatch/audit:log-stream:${getAuditStreamName(erin, 'abc')!}`;
    assert.ok(streamArn.startsWith(erinResource.slice(0, -1)));
    assert.ok(
      !`arn:aws:logs:eu-west-1:111122223333:log-group:/infrawatch/audit:log-stream:${getAuditStreamName('arn:aws:iam::111122223333:user/max', 'abc')!}`.startsWith(
        erinResource.slice(0, -1),
      ),
    );
    assert.equal(
      buildAuditWriterPolicy({ ...policy, audit: undefined } as AccessPolicy, {
        partition: 'aws',
        accountId: '111122223333',
      }),
      undefined,
    );
  });
});
