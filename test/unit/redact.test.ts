import * as assert from 'node:assert/strict';
import { Redactor } from '../../src/core/redact';

describe('redact', () => {
  it('removes registered secrets wherever they appear', () => {
    const r = new Redactor();
    r.add('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    assert.equal(r.redact('key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end'), 'key ‹redacted› end');
  });

  it('masks secret-shaped fields it was never told about', () => {
    const r = new Redactor();
    const out = r.redact(
      '{"SecretAccessKey":"abc123","SessionToken":"FwoGZX","AccessKeyId":"ASIAX"} aws_secret_access_key = zzz',
    );
    assert.ok(!out.includes('abc123') && !out.includes('FwoGZX') && !out.includes('zzz'), out);
    assert.ok(out.includes('ASIAX'), 'access key ids are not secret');
  });

  it('masks SigV4 signatures', () => {
    const out = new Redactor().redact(`Signature=${'a'.repeat(64)}`);
    assert.equal(out, 'Signature=‹redacted›');
  });
});
