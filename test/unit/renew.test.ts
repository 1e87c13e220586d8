import assert from 'node:assert/strict';
import { CommandWarnings, formatMinutesLeft, reuseAnswers, shouldWarnBeforeCommand } from '../../src/core/renew';

const minute = 60_000;

describe('renew with the last answers', () => {
  const last = { durationSeconds: 3600, reason: 'orders-db CPU at 95%', ticket: 'OPS-1234' };

  it('keeps the duration, reason and ticket the grant still asks for', () => {
    assert.deepEqual(reuseAnswers(last, { reason: true, ticket: true }, 7200), last);
  });

  it('caps the duration to what is allowed now', () => {
    assert.equal(reuseAnswers(last, { reason: true, ticket: false }, 2700).durationSeconds, 2700);
  });

  it('drops what the grant no longer asks for, and leaves out what it newly asks for (so it is asked)', () => {
    assert.deepEqual(reuseAnswers(last, { reason: false, ticket: false }, 7200), { durationSeconds: 3600 });
    assert.deepEqual(reuseAnswers({ durationSeconds: 900 }, { reason: true, ticket: true }, 7200), {
      durationSeconds: 900,
    });
  });
});

describe('the long-command warning', () => {
  it('warns under the threshold only, never for an ended session, never when turned off', () => {
    assert.equal(
      shouldWarnBeforeCommand({ remainingMs: 7 * minute, thresholdMinutes: 10, alreadyWarned: false }),
      true,
    );
    assert.equal(
      shouldWarnBeforeCommand({ remainingMs: 10 * minute, thresholdMinutes: 10, alreadyWarned: false }),
      false,
    );
    assert.equal(
      shouldWarnBeforeCommand({ remainingMs: 11 * minute, thresholdMinutes: 10, alreadyWarned: false }),
      false,
    );
    assert.equal(shouldWarnBeforeCommand({ remainingMs: 0, thresholdMinutes: 10, alreadyWarned: false }), false);
    assert.equal(shouldWarnBeforeCommand({ remainingMs: -5, thresholdMinutes: 10, alreadyWarned: false }), false);
    assert.equal(shouldWarnBeforeCommand({ remainingMs: 1, thresholdMinutes: 0, alreadyWarned: false }), false);
    assert.equal(
      shouldWarnBeforeCommand({ remainingMs: 7 * minute, thresholdMinutes: 10, alreadyWarned: true }),
      false,
    );
  });

  it('warns once per session; a renewed session (new id) once more; ended ones are forgotten', () => {
    const warnings = new CommandWarnings();
    assert.equal(warnings.claim('a', 20 * minute, 10), false, 'above the threshold: not yet');
    assert.equal(warnings.claim('a', 9 * minute, 10), true, 'the crossing');
    assert.equal(warnings.claim('a', 8 * minute, 10), false, 'no nagging');
    assert.equal(warnings.claim('b', 5 * minute, 10), true, 'the renewed session');
    warnings.retain(['b']);
    assert.equal(warnings.claim('b', 4 * minute, 10), false);
    assert.equal(warnings.claim('a', 3 * minute, 10), true, 'a forgotten id would be new again');
  });

  it('formats the time left as minutes and seconds', () => {
    assert.equal(formatMinutesLeft(7 * minute + 12_000), '7:12');
    assert.equal(formatMinutesLeft(-1), '0:00');
    assert.equal(formatMinutesLeft(75 * minute), '75:00');
  });
});
