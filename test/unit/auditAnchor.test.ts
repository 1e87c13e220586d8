import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAnchorStore, findGap, formatAnchor, getGapEvent, parseAnchor } from '../../src/core/audit/anchor';
import { listAuditFiles } from '../../src/core/audit/auditFiles';
import { auditEventInputSchema, type AuditEventInput } from '../../src/core/audit/events';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { verifyAuditChain } from '../../src/core/audit/verify';
import { silentLog, type Log } from '../../src/core/ports';

const h = (c: string): string => c.repeat(64);
const event: AuditEventInput = {
  event: 'terminal.opened',
  actor: 'arn:aws:iam::123456789012:user/alice',
  outcome: 'success',
};

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    ...silentLog,
    warn: (m: string) => void lines.push(m),
    error: (m: string | Error) => void lines.push(String(m)),
    lines,
  };
}

describe('audit anchor', () => {
  it('parses what it formats, nothing as undefined, and refuses a damaged value', () => {
    assert.deepEqual(parseAnchor(formatAnchor({ seq: 7, hash: h('a') })), { seq: 7, hash: h('a') });
    assert.equal(parseAnchor(undefined), undefined);
    for (const bad of [
      '',
      '{',
      '{"seq":-1,"hash":"x"}',
      JSON.stringify({ seq: 1.5, hash: h('a') }),
      JSON.stringify({ seq: 1, hash: 'A'.repeat(64) }),
    ]) {
      assert.throws(() => parseAnchor(bad), /damaged/, bad);
    }
  });

  it('finds a shortened or replaced trail, and nothing when the trail holds the known head', async () => {
    const none = async (): Promise<string | undefined> => undefined;
    assert.equal(await findGap({ seq: 5, hash: h('e') }, [undefined, { seq: 0, hash: h('0') }], none), undefined);
    assert.deepEqual(
      await findGap(
        { seq: 5, hash: h('e') },
        [
          { seq: 9, hash: h('9') },
          { seq: 7, hash: h('7') },
        ],
        none,
      ),
      { expected: { seq: 9, hash: h('9') }, found: { seq: 5, hash: h('e') }, cause: 'shortened' },
    );
    assert.equal((await findGap({ seq: 5, hash: h('e') }, [{ seq: 5, hash: h('f') }], none))?.cause, 'replaced');
    assert.equal(
      await findGap({ seq: 9, hash: h('9') }, [{ seq: 5, hash: h('5') }], async (seq) =>
        seq === 5 ? h('5') : undefined,
      ),
      undefined,
    );
    assert.equal(
      (await findGap({ seq: 9, hash: h('9') }, [{ seq: 5, hash: h('5') }], async () => h('x')))?.cause,
      'replaced',
    );
  });

  it('the gap record is a valid audit event', () => {
    const input = getGapEvent({
      expected: { seq: 9, hash: h('9') },
      found: { seq: 5, hash: h('5') },
      cause: 'shortened',
    });
    assert.equal(auditEventInputSchema.safeParse(input).success, true);
  });

  describe('with the JSONL log', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'iw-anchor-'));
    });
    afterEach(async () => rm(dir, { recursive: true, force: true }));

    it('anchors the head after each write', async () => {
      const anchor = new MemoryAnchorStore();
      const log = await JsonlAuditLog.open({ dir, anchor });
      await log.append(event);
      const second = await log.append(event);
      await log.close();
      assert.deepEqual(await anchor.read(), { seq: 2, hash: second.hash });
      const verified = await verifyAuditChain(await listAuditFiles(dir), { expectedHead: await anchor.read() });
      assert.deepEqual(verified.ok && [verified.count, verified.anchored, verified.gaps], [2, true, []]);
    });

    it('an anchor that cannot be written or read is logged, and the record still resolves', async () => {
      const log = recordingLog();
      const anchor = {
        read: async () => parseAnchor('damaged'),
        write: async () => {
          throw new Error('keyring locked');
        },
      };
      const writer = await JsonlAuditLog.open({ dir, anchor, log });
      assert.equal((await writer.append(event)).seq, 1);
      await writer.close();
      assert.ok(
        log.lines.some((line) => /reading the anchored head failed \(the stored audit anchor is damaged\)/.test(line)),
        log.lines.join('\n'),
      );
      assert.ok(
        log.lines.some((line) => /anchoring the head \(seq 1\) failed: keyring locked/.test(line)),
        log.lines.join('\n'),
      );
    });

    it('Verify: a longer trail whose anchored record differs is forged; no files at all is truncated', async () => {
      const log = await JsonlAuditLog.open({ dir });
      for (let i = 0; i < 4; i += 1) await log.append(event);
      await log.close();
      const forged = await verifyAuditChain(await listAuditFiles(dir), { expectedHead: { seq: 2, hash: h('b') } });
      assert.deepEqual(!forged.ok && [forged.problem, forged.seq, forged.line], ['forged', 2, 2]);
      const gone = await verifyAuditChain([], { expectedHead: { seq: 2, hash: h('b') } });
      assert.deepEqual(!gone.ok && [gone.problem, gone.file], ['truncated', '']);
      assert.match(!gone.ok ? gone.message : '', /every file was deleted/);
    });
  });
});
