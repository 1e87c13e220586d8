import * as assert from 'node:assert/strict';
import { formatValue } from '../../src/shared/units';

describe('shared units', () => {
  it('formats bytes in binary units', () => {
    assert.equal(formatValue(512, 'Bytes'), '512 B');
    assert.equal(formatValue(1536, 'Bytes'), '1.5 KiB');
    assert.equal(formatValue(5 * 1024 ** 2, 'Bytes'), '5 MiB');
    assert.equal(formatValue(20.25 * 1024 ** 3, 'Bytes'), '20.3 GiB');
    assert.equal(formatValue(2048, 'Bytes/Second'), '2 KiB/s');
  });

  it('formats durations from seconds and milliseconds', () => {
    assert.equal(formatValue(0.0042, 'Seconds'), '4.2 ms');
    assert.equal(formatValue(12, 'Seconds'), '12 s');
    assert.equal(formatValue(900, 'Seconds'), '15 min');
    assert.equal(formatValue(230, 'Milliseconds'), '230 ms');
    assert.equal(formatValue(5400, 'Milliseconds'), '5.4 s');
  });

  it('formats percent and counts with k and M', () => {
    assert.equal(formatValue(87.24, 'Percent'), '87.2 %');
    assert.equal(formatValue(42, 'Count'), '42');
    assert.equal(formatValue(12_345, 'Count'), '12.3k');
    assert.equal(formatValue(3_400_000, 'Count'), '3.4M');
    assert.equal(formatValue(0.25, 'Count'), '0.25');
  });

  it('shows a gap as a dash, not a zero', () => {
    assert.equal(formatValue(null, 'Percent'), '–');
    assert.equal(formatValue(Number.NaN, 'Count'), '–');
    assert.equal(formatValue(0, 'Count'), '0');
  });
});
