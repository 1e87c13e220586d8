import assert from 'node:assert/strict';
import {
  computeSignature,
  parseAmzDate,
  parseAuthorization,
  skewMessage,
  type SignedRequest,
} from '../../server/sigv4';

const exampleSecret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

function vanilla(query = ''): SignedRequest {
  return {
    method: 'GET',
    rawPath: '/',
    query: new URLSearchParams(query),
    headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
    body: Buffer.alloc(0),
  };
}

describe('localaws sigv4', () => {
  it("recomputes AWS's published test-suite signatures (get-vanilla, get-vanilla-query-order-key-case)", async () => {
    const auth = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    assert.ok(auth);
    const when = parseAmzDate('20150830T123600Z') as number;
    assert.equal(
      await computeSignature(vanilla(), auth, exampleSecret, when),
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    assert.equal(
      await computeSignature(vanilla('Param2=value2&Param1=value1'), auth, exampleSecret, when),
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    );
    assert.notEqual(await computeSignature(vanilla(), auth, `${exampleSecret}x`, when), auth.signature);
  });

  it('parses the Authorization header into scope and signed headers', () => {
    const auth = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240102/eu-west-1/monitoring/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
        'a'.repeat(64),
    );
    assert.deepEqual(auth && { ...auth }, {
      accessKeyId: 'AKIAEXAMPLE',
      scopeDate: '20240102',
      region: 'eu-west-1',
      service: 'monitoring',
      signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'],
      signature: 'a'.repeat(64),
    });
    assert.equal(parseAuthorization('AWS AKIA:sig'), undefined);
    assert.equal(parseAuthorization(undefined), undefined);
  });

  it('words the 15-minute skew as AWS does, in both directions', () => {
    const now = Date.UTC(2024, 0, 1, 0, 30, 0);
    assert.equal(
      skewMessage(Date.UTC(2024, 0, 1, 0, 14, 0), now),
      'Signature expired: 20240101T001400Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)',
    );
    assert.equal(
      skewMessage(Date.UTC(2024, 0, 1, 0, 46, 0), now),
      'Signature not yet current: 20240101T004600Z is still later than 20240101T004500Z (20240101T003000Z + 15 min.)',
    );
    assert.equal(skewMessage(Date.UTC(2024, 0, 1, 0, 15, 0), now), undefined, 'exactly 15 minutes is still accepted');
  });
});
