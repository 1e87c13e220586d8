// Why 12 of issue 9 (and the reason/ticket half of Why 3): policy display names, reasons and
// tickets accepted bidi controls (U+202E turns "Prod" into text that reads backwards) and
// other control characters. They are refused with a message naming the field; the request
// flow checks again before anything is recorded or AWS is asked.
import * as assert from 'node:assert/strict';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditTrail } from '../../src/core/audit/auditTrail';
import { MemoryAuditLog } from '../../src/core/audit/memoryAuditLog';
import { silentLog } from '../../src/core/ports';
import { parsePolicy } from '../../src/core/policy/parse';
import { checkReason, checkTicket } from '../../src/core/requestText';
import { requestAuditedSession } from '../../src/core/sts/auditedRequest';
import { type SessionRequest } from '../../src/core/sts/broker';
import { FakeClock } from '../unit/credentialsFixtures';

const hidden = ['\u202E', '\u202A', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C', '\u0007', '\u001B', '\u0085'];
const code = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function policyText(accountName: string, description: string): string {
  return JSON.stringify({
    version: 1,
    accounts: [{ id: '111122223333', name: accountName, region: 'us-east-1' }],
    roles: {
      Employee: {
        description,
        roleArns: { '111122223333': 'arn:aws:iam::111122223333:role/InfraWatch-Employee' },
        grants: [{ service: 'rds', levels: ['read'] }],
      },
    },
    assignments: [{ userName: 'erin', role: 'Employee' }],
  });
}

describe('adversarial: no control or bidi character in display names, reasons or tickets (issue 9, Why 12)', () => {
  it('a policy account name or role description with one is refused, naming the field', () => {
    for (const c of hidden) {
      for (const [text, path] of [
        [policyText(`dorp${c}Prod`, 'ok'), '$.accounts[0].name'],
        [policyText('prod', `Read ${c}only`), '$.roles.Employee.description'],
      ] as const) {
        const result = parsePolicy(text);
        assert.ok(!result.ok, `${code(c)} at ${path} was accepted`);
        const problem = result.problems.find((p) => p.path === path);
        assert.ok(problem, `a problem at ${path}: ${JSON.stringify(result.problems)}`);
        assert.match(problem.message, new RegExp(code(c).replace('+', '\\+')));
      }
    }
    assert.ok(parsePolicy(policyText('prod — Zürich', 'Lecture seule, 読み取り')).ok, 'ordinary Unicode text is fine');
  });

  it('the reason and ticket inputs refuse them with a message that says which character', () => {
    for (const c of hidden) {
      assert.match(checkReason(`orders db ${c}slow`) ?? 'accepted', new RegExp(code(c).replace('+', '\\+')));
      assert.match(checkTicket(`OPS-${c}42`) ?? 'accepted', new RegExp(code(c).replace('+', '\\+')));
    }
    assert.equal(checkReason('orders-db CPU at 95%, checking slow queries'), undefined);
    assert.equal(checkReason(`checking ${'Q7x'.repeat(40)}`), undefined, 'a long run of letters is a fine reason');
    assert.equal(checkTicket('OPS-1234'), undefined);
    assert.match(checkReason('x'.repeat(257)) ?? 'accepted', /characters/);
    assert.match(checkTicket('T'.repeat(257)) ?? 'accepted', /characters/);
  });

  it('the request flow checks again: nothing is recorded and AWS is not asked', async () => {
    const sts = new STSClient({ region: 'us-east-1' });
    const stsMock = mockClient(sts);
    const memory = new MemoryAuditLog(new FakeClock());
    const trail = new AuditTrail({ open: () => Promise.resolve(memory), log: silentLog, onProblem: () => undefined });
    try {
      const request: SessionRequest = {
        caller: { arn: 'arn:aws:iam::111122223333:user/erin', account: '111122223333', userId: 'AIDA' },
        role: 'Employee',
        roleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee',
        account: '111122223333',
        region: 'us-east-1',
        durationSeconds: 1800,
        grant: {
          service: 'rds',
          level: 'read',
          resources: ['*'],
          maxMinutes: 60,
          defaultMinutes: 30,
          mfa: false,
          reason: true,
          ticket: false,
          fromRole: 'Employee',
          inherited: false,
        },
      };
      for (const over of [{ reason: 'fix \u202Egnp.exe' }, { reason: 'ok', ticket: 'OPS-\u20661' }]) {
        await assert.rejects(
          requestAuditedSession(
            { sts, clock: { now: () => Date.now() }, log: silentLog, audit: trail },
            { ...request, ...over },
          ),
          /U\+20(2E|66)/,
        );
      }
      assert.equal(stsMock.commandCalls(AssumeRoleCommand).length, 0);
      assert.equal(memory.records.length, 0);
    } finally {
      trail.dispose();
      stsMock.restore();
    }
  });
});
