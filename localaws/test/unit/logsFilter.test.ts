// CloudWatch Logs filter patterns on the local endpoint: terms, phrases, ?alternatives,
// -exclusions, %regex% and JSON patterns.

import assert from 'node:assert/strict';
import { compileFilterPattern } from '../../logs/filter';
import { AwsError } from '../../server/types';

const lines = [
  '[ERROR] Caught IllegalArgumentException: bad input',
  '[WARN] slow response from orders-db',
  '[INFO] GET /healthcheck 200',
  '[INFO] checkout complete for ord-42',
  '{"level":"ERROR","message":"Checkout failed","latency":5012,"error":{"name":"TimeoutError"},"retry":true,"user":null,"tags":["db","timeout"]}',
  '{"level":"INFO","message":"order checked out","latency":180,"retry":false}',
  '2025-06-02T09:00:00Z {"level":"WARN","latency":900}',
];

function matching(pattern: string): number[] {
  const test = compileFilterPattern(pattern);
  return lines.flatMap((line, i) => (test(line) ? [i] : []));
}

describe('local Logs: filter patterns', () => {
  it('matches everything for an empty pattern', () => {
    assert.deepEqual(matching(''), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(matching('   '), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('needs every plain term, case-sensitively', () => {
    assert.deepEqual(matching('ERROR'), [0, 4]);
    assert.deepEqual(matching('ERROR Exception'), [0]);
    assert.deepEqual(matching('exception'), []);
  });

  it('matches quoted phrases exactly', () => {
    assert.deepEqual(matching('"slow response"'), [1]);
    assert.deepEqual(matching('"response slow"'), []);
  });

  it('needs one of the ?terms', () => {
    assert.deepEqual(matching('?ERROR ?WARN'), [0, 1, 4, 6]);
    assert.deepEqual(matching('?"bad input" ?healthcheck'), [0, 2]);
  });

  it('excludes -terms', () => {
    assert.deepEqual(matching('INFO -healthcheck'), [3, 5]);
    assert.deepEqual(matching('-INFO'), [0, 1, 4, 6]);
    assert.deepEqual(matching('ERROR -"bad input"'), [4]);
  });

  it('supports %regex% patterns', () => {
    assert.deepEqual(matching('%ord-[0-9]+%'), [3]);
    assert.deepEqual(matching('%^\\[(WARN|ERROR)\\]%'), [0, 1]);
  });

  it('compares top-level and nested JSON fields', () => {
    assert.deepEqual(matching('{ $.level = "ERROR" }'), [4]);
    assert.deepEqual(matching('{$.level="INFO"}'), [5]);
    assert.deepEqual(matching('{ $.level != "INFO" }'), [4, 6]);
    assert.deepEqual(matching('{ $.latency > 800 }'), [4, 6]);
    assert.deepEqual(matching('{ $.latency <= 180 }'), [5]);
    assert.deepEqual(matching('{ $.error.name = "Timeout*" }'), [4]);
    assert.deepEqual(matching('{ $.tags[1] = "timeout" }'), [4]);
    assert.deepEqual(matching('{ $.level = ERROR }'), [4], 'unquoted strings compare too');
  });

  it('combines JSON conditions with &&, || and parentheses', () => {
    assert.deepEqual(matching('{ $.level = "ERROR" && $.latency > 5000 }'), [4]);
    assert.deepEqual(matching('{ $.level = "WARN" || ($.level = "INFO" && $.latency < 200) }'), [5, 6]);
  });

  it('supports IS TRUE/FALSE/NULL and NOT EXISTS', () => {
    assert.deepEqual(matching('{ $.retry IS TRUE }'), [4]);
    assert.deepEqual(matching('{ $.retry IS FALSE }'), [5]);
    assert.deepEqual(matching('{ $.user IS NULL }'), [4]);
    assert.deepEqual(matching('{ $.retry NOT EXISTS }'), [6]);
  });

  it('never matches JSON patterns against lines that are not JSON', () => {
    assert.deepEqual(matching('{ $.level = "*" }'), [4, 5, 6]);
  });

  it('rejects patterns it cannot read with InvalidParameterException', () => {
    for (const bad of [
      '{ $.level = }',
      '{ level = "x" }',
      '{ $.a = "x"',
      '{ $.a > "x" }',
      '{ ($.a = 1 }',
      '[ip, user]',
      '%[%',
    ]) {
      assert.throws(
        () => compileFilterPattern(bad),
        (e: unknown) => e instanceof AwsError && e.code === 'InvalidParameterException',
        bad,
      );
    }
  });
});
