// The credential endpoint's refusal counts per minute and its connection cap.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { type Socket } from 'node:net';
import { ConnectionCap } from '../../src/core/credentials/connectionCap';
import { RefusalTally } from '../../src/core/credentials/refusalTally';
import { FakeClock } from './credentialsFixtures';

class FakeSocket extends EventEmitter {
  destroyed = false;
  constructor(readonly name: string) {
    super();
  }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.emit('close');
    }
    return this;
  }
}

describe('refusal tally', () => {
  it('hands on one summary per minute, when the next minute starts', () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 15, 12, 0, 30));
    const tally = new RefusalTally(clock);
    assert.equal(tally.getMinuteEnd(), undefined);
    for (let i = 0; i < 1_000; i += 1) assert.equal(tally.add(i % 2 === 0 ? 'no-token' : 'browser'), undefined);
    assert.equal(tally.getMinuteEnd(), Date.UTC(2025, 0, 15, 12, 1));
    assert.equal(tally.takeEnded(), undefined, 'the minute is not over');
    clock.advance(45_000);
    assert.deepEqual(tally.add('bad-token'), {
      minute: '2025-01-15T12:00:00.000Z',
      counts: { 'no-token': 500, browser: 500 },
    });
    assert.deepEqual(tally.take(), { minute: '2025-01-15T12:01:00.000Z', counts: { 'bad-token': 1 } });
    assert.equal(tally.take(), undefined, 'nothing is reported twice');
  });

  it('reports a minute that is over even when no later refusal closes it', () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 15, 12, 0, 59));
    const tally = new RefusalTally(clock);
    tally.add('evicted');
    clock.advance(1_000);
    assert.deepEqual(tally.takeEnded(), { minute: '2025-01-15T12:00:00.000Z', counts: { evicted: 1 } });
    assert.equal(tally.takeEnded(), undefined);
  });
});

describe('connection cap', () => {
  function setup(cap: number): { limit: ConnectionCap; unanswered: boolean[]; open(name: string): FakeSocket } {
    const unanswered: boolean[] = [];
    const limit = new ConnectionCap(cap, (evicted) => unanswered.push(evicted));
    return {
      limit,
      unanswered,
      open(name) {
        const socket = new FakeSocket(name);
        limit.admit(socket as unknown as Socket);
        return socket;
      },
    };
  }

  it('at the cap closes the keep-alive socket idle longest first, and never the new one', () => {
    const { limit, unanswered, open } = setup(3);
    const [a, b, c] = [open('a'), open('b'), open('c')];
    limit.answered(b as unknown as Socket);
    limit.answered(a as unknown as Socket);
    const d = open('d');
    assert.deepEqual(
      [a, b, c, d].map((s) => s.destroyed),
      [false, true, false, false],
    );
    assert.equal(limit.size, 3);
    assert.deepEqual(unanswered, [], 'an idle keep-alive socket is no refusal');
    const e = open('e');
    assert.equal(a.destroyed, true, 'a was answered before d and e arrived: next idle one');
    assert.equal(e.destroyed, false);
  });

  it('with no idle socket closes the one waiting longest for its request, counted as evicted', () => {
    const { limit, unanswered, open } = setup(2);
    const slow = [open('s1'), open('s2')];
    const fresh = open('client');
    assert.deepEqual(
      slow.map((s) => s.destroyed),
      [true, false],
    );
    limit.answered(fresh as unknown as Socket);
    slow[1]!.destroy();
    assert.deepEqual(unanswered, [true, false], 'one evicted, one closed unanswered (timeout)');
    fresh.destroy();
    assert.equal(limit.size, 0);
    assert.deepEqual(unanswered, [true, false], 'an answered socket closing is no refusal');
  });
});
