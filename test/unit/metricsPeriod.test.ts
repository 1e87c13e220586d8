import * as assert from 'node:assert/strict';
import { choosePeriod, getPointCount, getRetentionStep, maxPointsPerSeries } from '../../src/core/metrics/period';

const now = Date.UTC(2026, 5, 15, 12, 0, 0);
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe('metrics period', () => {
  it('uses one minute for the short presets and keeps a day at 1,440 points', () => {
    assert.equal(choosePeriod(now - hour, now, now), 60);
    assert.equal(choosePeriod(now - 3 * hour, now, now), 60);
    assert.equal(choosePeriod(now - day, now, now), 60);
    assert.equal(getPointCount(now - day, now, 60), maxPointsPerSeries);
  });

  it('grows the period so every range stays at or under ~1,440 points', () => {
    for (const span of [12 * hour, 2 * day, 7 * day, 30 * day, 90 * day, 400 * day, 3 * 365 * day]) {
      const period = choosePeriod(now - span, now, now);
      const points = span / 1000 / period;
      assert.ok(points <= maxPointsPerSeries, `${span / hour} h at ${period} s gives ${points} points`);
      assert.ok(
        points > maxPointsPerSeries / 6,
        `${span / hour} h at ${period} s is needlessly coarse (${points} points)`,
      );
    }
    assert.equal(choosePeriod(now - 7 * day, now, now), 600);
  });

  it('follows the retention rules by the age of the start', () => {
    assert.equal(getRetentionStep(now - 2 * hour, now), 60);
    assert.equal(getRetentionStep(now - 4 * hour, now), 60);
    assert.equal(getRetentionStep(now - 16 * day, now), 300);
    assert.equal(getRetentionStep(now - 64 * day, now), 3_600);
    // A one-hour window 20 days ago: 60 s would give 60 points, but only 5-minute data is kept.
    assert.equal(choosePeriod(now - 20 * day, now - 20 * day + hour, now), 300);
    // A one-hour window 70 days ago: only hourly data is kept.
    assert.equal(choosePeriod(now - 70 * day, now - 70 * day + hour, now), 3_600);
    // Older than 3 h: a multiple of 60 s (ours always is), never a high-resolution period.
    assert.equal(choosePeriod(now - 5 * hour, now - 5 * hour + 10 * minute, now) % 60, 0);
  });

  it('keeps every period a multiple of the retention step', () => {
    for (let ageDays = 0; ageDays < 500; ageDays += 7) {
      for (const span of [hour, day, 10 * day, 100 * day]) {
        const start = now - ageDays * day - span;
        const period = choosePeriod(start, start + span, now);
        assert.equal(period % getRetentionStep(start, now), 0, `age ${ageDays} d span ${span / hour} h → ${period}`);
      }
    }
  });

  it('gives daily metrics (S3 storage) one day, or whole days', () => {
    assert.equal(choosePeriod(now - 3 * hour, now, now, { daily: true }), 86_400);
    assert.equal(choosePeriod(now - 7 * day, now, now, { daily: true }), 86_400);
    const long = choosePeriod(now - 5 * 365 * day, now, now, { daily: true });
    assert.equal(long % 86_400, 0);
    assert.ok((5 * 365 * 86_400) / long <= maxPointsPerSeries);
  });
});
