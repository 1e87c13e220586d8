// The admin panel's "Sessions outside InfraWatch" messages, validated both ways: the range
// the webview asks for, the strict rows the extension sends (no credentials ride along),
// and the saved state.
import * as assert from 'node:assert/strict';
import { type CloudTrailAssumeRole, reconcileSessions } from '../../src/core/admin/reconcile';
import {
  adminStateSchema,
  adminToHostSchema,
  adminToWebviewSchema,
  outsideRowSchema,
} from '../../src/shared/adminMessages';
import { parseMessage } from '../../src/shared/messages';
import { toOutsideRow } from '../../src/vscode/admin/outsideSessions';

const day = 24 * 3_600_000;
const to = Date.UTC(2025, 5, 1);
const row = {
  eventId: 'e-1',
  time: to - 1000,
  caller: 'arn:aws:iam::111122223333:user/erin.employee',
  callerType: 'IAMUser',
  roleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee',
  roles: ['Employee'],
  sessionName: 'erin-cli',
  sourceIdentity: 'erin.employee',
  tags: [{ key: 'infrawatch:request-id', value: 'zzzzzzzzzz' }],
  requestId: 'zzzzzzzzzz',
  region: 'us-east-1',
  reason: 'unknown-request-id',
  explanation: 'The request id zzzzzzzzzz is in no audit record',
} as const;

describe('admin panel messages: sessions outside InfraWatch', () => {
  it('accepts a range within CloudTrail’s 90 days that runs forwards, and nothing else', () => {
    const find = (range: unknown) => parseMessage(adminToHostSchema, { type: 'findOutside', requestId: 'r1', range });
    assert.ok(find({ from: to - day, to }));
    assert.ok(find({ from: to - 90 * day, to }));
    assert.equal(find({ from: to - 91 * day, to }), undefined);
    assert.equal(find({ from: to, to: to - 1 }), undefined);
    assert.equal(find({ from: to - day, to, eventName: 'CreateUser' }), undefined);
    assert.equal(find({ from: -1, to }), undefined);
  });

  it('lets a flagged row carry who, when, role, tags and SourceIdentity but no credentials', () => {
    assert.ok(parseMessage(outsideRowSchema, row));
    assert.equal(parseMessage(outsideRowSchema, { ...row, issuedAccessKeyId: 'ASIAEXAMPLE' }), undefined);
    assert.equal(parseMessage(outsideRowSchema, { ...row, tags: [{ key: 'a', value: 'b', secret: 'x' }] }), undefined);
    assert.equal(parseMessage(outsideRowSchema, { ...row, reason: 'looks fine' }), undefined);
    assert.equal(
      parseMessage(outsideRowSchema, { ...row, tags: Array.from({ length: 51 }, () => ({ key: 'k', value: 'v' })) }),
      undefined,
    );
  });

  it('validates the report and the command’s request to look', () => {
    const report = {
      type: 'outside',
      requestId: 'r1',
      range: { from: to - day, to },
      rows: [row],
      unmatched: 1,
      matched: 2,
      otherRoles: 0,
      refused: 1,
      pages: 1,
      truncated: false,
      local: { count: 4 },
      remote: { count: 0, logGroup: '/infrawatch/audit' },
    };
    assert.ok(parseMessage(adminToWebviewSchema, report));
    assert.equal(
      parseMessage(adminToWebviewSchema, { ...report, rows: Array.from({ length: 501 }, () => row) }),
      undefined,
    );
    assert.ok(parseMessage(adminToWebviewSchema, { type: 'showOutside', range: { from: to - day, to } }));
    assert.ok(
      parseMessage(adminStateSchema, { panel: 'admin', filter: {}, page: 0, outsideRange: { from: to - day, to } }),
    );
    assert.ok(
      parseMessage(adminStateSchema, { panel: 'admin', filter: {}, page: 0 }),
      'a state saved before the section existed',
    );
  });

  it('shapes what reconciliation flags into rows the schema accepts, bounded', () => {
    const long = 'x'.repeat(5000);
    const event: CloudTrailAssumeRole = {
      eventId: 'e-9',
      time: to,
      callerArn: `arn:aws:iam::111122223333:user/${long}`,
      roleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee',
      sessionName: long,
      tags: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}${long}`, value: long })),
      sourceIdentity: long,
      issuedAccessKeyId: 'ASIASECRETLESS',
    };
    const [flagged] = reconcileSessions([event], [], new Map([[event.roleArn, ['Employee']]])).unmatched;
    const shaped = toOutsideRow(flagged!);
    assert.ok(parseMessage(outsideRowSchema, shaped), JSON.stringify(shaped).slice(0, 200));
    assert.equal(shaped.reason, 'no-request-id');
    assert.ok(!JSON.stringify(shaped).includes('ASIASECRETLESS'), 'the issued key id stays behind');
  });
});
