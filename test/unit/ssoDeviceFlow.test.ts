import assert from 'node:assert/strict';
import {
  type DeviceFlowState,
  type PollOutcome,
  onPollOutcome,
  runDeviceFlow,
  startDeviceFlow,
} from '../../src/core/sso/deviceFlow';

const pending = (name: string): PollOutcome => ({ kind: 'error', name });

describe('sso: the device authorization flow', () => {
  it('starts pending, first poll one interval on, deadline at expiresIn', () => {
    assert.deepEqual(startDeviceFlow({ expiresIn: 600, interval: 1 }, 1000), {
      kind: 'pending',
      intervalSeconds: 1,
      nextPollAt: 2000,
      deadline: 601_000,
    });
    // RFC 8628 §3.2: 5 s when the server names no interval.
    assert.equal((startDeviceFlow({ expiresIn: 600 }, 0) as { intervalSeconds: number }).intervalSeconds, 5);
  });

  it('authorization_pending: poll again after the same interval', () => {
    const next = onPollOutcome(
      startDeviceFlow({ expiresIn: 600, interval: 2 }, 0),
      pending('AuthorizationPendingException'),
      2000,
    );
    assert.deepEqual(next, { kind: 'pending', intervalSeconds: 2, nextPollAt: 4000, deadline: 600_000 });
  });

  it('slow_down: the interval grows by 5 s for this and every later poll', () => {
    let state = onPollOutcome(startDeviceFlow({ expiresIn: 600, interval: 1 }, 0), pending('SlowDownException'), 1000);
    assert.deepEqual(state, { kind: 'pending', intervalSeconds: 6, nextPollAt: 7000, deadline: 600_000 });
    state = onPollOutcome(state, pending('AuthorizationPendingException'), 7000);
    assert.deepEqual(state, { kind: 'pending', intervalSeconds: 6, nextPollAt: 13_000, deadline: 600_000 });
  });

  it('expired: ExpiredTokenException, or the next poll would fall after the deadline', () => {
    const start = startDeviceFlow({ expiresIn: 10, interval: 4 }, 0);
    assert.deepEqual(onPollOutcome(start, pending('ExpiredTokenException'), 4000), { kind: 'expired' });
    assert.deepEqual(onPollOutcome(start, pending('AuthorizationPendingException'), 8000), { kind: 'expired' });
  });

  it('approved: the token, its lifetime and the refresh token; denied and other errors settle', () => {
    const start = startDeviceFlow({ expiresIn: 600, interval: 1 }, 0);
    assert.deepEqual(
      onPollOutcome(
        start,
        { kind: 'token', accessToken: 'at-123456', expiresIn: 3600, refreshToken: 'rt-123456' },
        1000,
      ),
      {
        kind: 'approved',
        grant: { accessToken: 'at-123456', expiresInSeconds: 3600, refreshToken: 'rt-123456' },
      },
    );
    assert.deepEqual(onPollOutcome(start, pending('AccessDeniedException'), 1000), { kind: 'denied' });
    assert.equal(
      onPollOutcome(start, { kind: 'error', name: 'InvalidGrantException', message: 'used' }, 1000).kind,
      'failed',
    );
    assert.equal(onPollOutcome(start, { kind: 'token' }, 1000).kind, 'failed');
  });

  it('runs to approval, sleeping exactly the intervals asked for (slow_down included)', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const answers: PollOutcome[] = [
      pending('AuthorizationPendingException'),
      pending('SlowDownException'),
      { kind: 'token', accessToken: 'at-abcdefgh', expiresIn: 3600 },
    ];
    const end = await runDeviceFlow(startDeviceFlow({ expiresIn: 600, interval: 1 }, now), {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      poll: async () => answers.shift()!,
    });
    assert.equal(end.kind, 'approved');
    assert.deepEqual(sleeps, [1000, 1000, 6000]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const end: DeviceFlowState = await runDeviceFlow(
      startDeviceFlow({ expiresIn: 600, interval: 1 }, 0),
      {
        now: () => 0,
        sleep: async () => controller.abort(),
        poll: async () => pending('AuthorizationPendingException'),
      },
      controller.signal,
    );
    assert.deepEqual(end, { kind: 'failed', message: 'cancelled' });
  });
});
