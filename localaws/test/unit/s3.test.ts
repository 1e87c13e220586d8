// S3 pieces of the local endpoint without HTTP: SigV4 over S3's canonical URI (no second
// URI-encoding), the aws-chunked decoder, MD5 / CRC32 checks, conditional requests, the
// error and auth-failure vocabulary, and the handler's routing and authorization.

import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthFailure } from '../../server/auth';
import { fakeContext } from '../../testing/cloudwatchKit';
import { demoPolicyBucket } from '../../iam/identities';
import { createS3Handler } from '../../s3/handler';
import { createS3Conditions } from '../../s3/conditions';
import { readPutBody } from '../../s3/put';
import { S3Store, type S3Object } from '../../s3/store';
import { crc32Base64, decodeAwsChunked, s3AuthError, s3ErrorResponse, S3Error } from '../../s3/wire';
import { computeSignature, NodeSha256, parseAuthorization } from '../../server/sigv4';
import { AwsError, type ServiceRequest, type ServiceResponse } from '../../server/types';

const start = Date.UTC(2026, 10, 2, 9, 0, 0);

function s3Request(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  body = '',
): ServiceRequest {
  const [path, query] = pathAndQuery.split('?');
  return {
    service: 's3',
    region: 'us-east-1',
    method,
    path: path ?? '/',
    query: new URLSearchParams(query ?? ''),
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
    body: Buffer.from(body),
    requestId: 'req-1',
  };
}

function throwsAws(fn: () => unknown, code: string, status?: number): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof AwsError && e.code === code && (status === undefined || e.status === status),
  );
}

describe('local S3: SigV4 over S3 paths', () => {
  it("recomputes AWS's published S3 GET Object example", async () => {
    const auth = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    assert.ok(auth);
    const headers = {
      host: 'examplebucket.s3.amazonaws.com',
      range: 'bytes=0-9',
      'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-amz-date': '20130524T000000Z',
    };
    const signature = await computeSignature(
      { method: 'GET', rawPath: '/test.txt', query: new URLSearchParams(), headers, body: Buffer.alloc(0) },
      auth,
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      Date.UTC(2013, 4, 24),
    );
    assert.equal(signature, auth.signature);
  });

  it('verifies a key with spaces and non-ASCII signed as S3 clients sign it (path as sent, not encoded twice)', async () => {
    const rawPath = `/${demoPolicyBucket}/teams/platform%20team/p%C3%BC%2Bv2.json`;
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
      region: 'us-east-1',
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false,
    });
    const headers = {
      host: '127.0.0.1:4566',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-date': '20261102T090000Z',
    };
    const signed = await signer.sign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 4566,
        path: rawPath,
        query: { 'x-id': 'GetObject' },
        headers,
      },
      { signingDate: new Date(start) },
    );
    const auth = parseAuthorization(signed.headers.authorization);
    assert.ok(auth);
    const req = {
      method: 'GET',
      rawPath,
      query: new URLSearchParams('x-id=GetObject'),
      headers: { ...headers, authorization: signed.headers.authorization as string },
      body: Buffer.alloc(0),
    };
    assert.equal(await computeSignature(req, auth, 'secret', start), auth.signature);
    const asIfLambda = { ...auth, service: 'lambda' };
    assert.notEqual(
      await computeSignature(req, asIfLambda, 'secret', start),
      auth.signature,
      'other services do encode the path twice',
    );
  });
});

describe('local S3: wire helpers', () => {
  it('computes CRC32 as the SDK sends it, and decodes aws-chunked bodies with trailers', () => {
    assert.equal(crc32Base64(Buffer.from('{"x":1}')), 'O+tZXA==');
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    assert.deepEqual(decodeAwsChunked(body), {
      data: Buffer.from('hello world'),
      trailers: { 'x-amz-checksum-crc32': 'DUoRhQ==' },
    });
    assert.equal(crc32Base64(Buffer.from('hello world')), 'DUoRhQ==');
    throwsAws(() => decodeAwsChunked(Buffer.from('ff\r\nshort\r\n')), 'IncompleteBody');
  });

  it('checks Content-MD5, the CRC32 header or trailer, and the decoded length', () => {
    const streaming = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const chunked = (crc: string) => `b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`;
    assert.equal(
      readPutBody(
        s3Request('PUT', '/b/k', { ...streaming, 'x-amz-decoded-content-length': '11' }, chunked('DUoRhQ==')),
      ).toString(),
      'hello world',
    );
    throwsAws(() => readPutBody(s3Request('PUT', '/b/k', streaming, chunked('AAAAAA=='))), 'BadDigest');
    throwsAws(
      () =>
        readPutBody(
          s3Request('PUT', '/b/k', { ...streaming, 'x-amz-decoded-content-length': '12' }, chunked('DUoRhQ==')),
        ),
      'IncompleteBody',
    );
    throwsAws(
      () =>
        readPutBody(s3Request('PUT', '/b/k', { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }, 'x')),
      'NotImplemented',
      501,
    );
    throwsAws(() => readPutBody(s3Request('PUT', '/b/k', { 'content-md5': 'bm90IG1kNQ==' }, 'x')), 'InvalidDigest');
    throwsAws(
      () => readPutBody(s3Request('PUT', '/b/k', { 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==' }, 'hello')),
      'BadDigest',
    );
    assert.equal(
      readPutBody(s3Request('PUT', '/b/k', { 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==' }, 'hello world')).toString(),
      'hello world',
    );
  });

  it('renders errors as S3 does and names auth failures in S3 codes', () => {
    const response = s3ErrorResponse(
      new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: 'a&b' }),
      'req-9',
    );
    assert.equal(response.status, 404);
    assert.equal(response.headers['x-amz-request-id'], 'req-9');
    assert.match(
      String(response.body),
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>a&amp;b<\/Key><RequestId>req-9<\/RequestId><HostId>[A-Za-z0-9+/=]+<\/HostId><\/Error>$/,
    );
    assert.equal(s3AuthError(new AuthFailure('invalid-token', 'x')).code, 'InvalidAccessKeyId');
    assert.equal(s3AuthError(new AuthFailure('expired', 'x')).code, 'ExpiredToken');
    assert.equal(
      s3AuthError(new AuthFailure('signature', 'Signature expired: 20240101T001400Z is now earlier than …')).code,
      'RequestTimeTooSkewed',
    );
    assert.equal(
      s3AuthError(new AuthFailure('signature', 'The request signature we calculated does not match')).code,
      'SignatureDoesNotMatch',
    );
    assert.equal(s3AuthError(new AuthFailure('missing', 'x')).status, 403);
  });
});

describe('local S3: conditional requests', () => {
  const object = new S3Store().putObject(
    new S3Store().createBucket('b', '111122223333', 'us-east-1', start),
    'k',
    Buffer.from('hello world'),
    start + 1500,
  );
  const read = (headers: Record<string, string>) => createS3Conditions(headers).forRead(object);

  it('If-None-Match (lists, weak tags, *) decides over If-Modified-Since; If-Match and If-Unmodified-Since fail with 412', () => {
    assert.equal(object.etag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    assert.equal(object.lastModified, start + 1000, 'whole seconds');
    assert.equal(read({ 'if-none-match': object.etag }), 'not-modified');
    assert.equal(read({ 'if-none-match': `"other", W/${object.etag}` }), 'not-modified');
    assert.equal(read({ 'if-none-match': '*' }), 'not-modified');
    assert.equal(read({ 'if-none-match': '"other"', 'if-modified-since': new Date(start + 5000).toUTCString() }), 'ok');
    assert.equal(read({ 'if-modified-since': new Date(start + 1000).toUTCString() }), 'not-modified');
    assert.equal(read({ 'if-modified-since': new Date(start).toUTCString() }), 'ok');
    assert.equal(read({ 'if-match': object.etag }), 'ok');
    throwsAws(() => read({ 'if-match': '"other"' }), 'PreconditionFailed', 412);
    throwsAws(() => read({ 'if-unmodified-since': new Date(start).toUTCString() }), 'PreconditionFailed', 412);
  });

  it('conditional writes: If-None-Match: * creates only; If-Match replaces only that version', () => {
    const conditions = (headers: Record<string, string>) => createS3Conditions(headers);
    conditions({ 'if-none-match': '*' }).forWrite(undefined);
    throwsAws(() => conditions({ 'if-none-match': '*' }).forWrite(object), 'PreconditionFailed', 412);
    throwsAws(() => conditions({ 'if-none-match': object.etag }).forWrite(object), 'NotImplemented', 501);
    conditions({ 'if-match': object.etag }).forWrite(object);
    throwsAws(() => conditions({ 'if-match': '"other"' }).forWrite(object), 'PreconditionFailed');
    throwsAws(() => conditions({ 'if-match': object.etag }).forWrite(undefined), 'NoSuchKey', 404);
  });
});

describe('local S3 handler', () => {
  const policy = '{"version":1}';
  const setup = () => createS3Handler(start, undefined).handler;
  const call = (req: ServiceRequest, deny?: RegExp) => {
    const ctx = fakeContext(start + 60_000, deny);
    return { response: setup()(req, ctx) as ServiceResponse, ctx };
  };

  it('serves the seeded policy object (demo/policy.json) and authorizes s3:GetObject on its ARN', () => {
    const { response, ctx } = call(
      s3Request('GET', `/${demoPolicyBucket}/policy.json?x-id=GetObject`, { 'x-amz-checksum-mode': 'ENABLED' }),
    );
    assert.equal(response.status, 200);
    assert.match(String(response.body), /"accounts"/);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.headers['x-amz-checksum-crc32'], crc32Base64(response.body as Buffer));
    assert.deepEqual(ctx.authorized, [`s3:GetObject arn:aws:s3:::${demoPolicyBucket}/policy.json`]);
    const custom = createS3Handler(start, undefined);
    assert.ok(custom.store.buckets.has('demo-web-assets'));
    const seeded = new S3Store();
    seeded.putObject(
      seeded.createBucket('b', '111122223333', 'us-east-1', start),
      'policy.json',
      Buffer.from(policy),
      start,
    );
    const fromStore = createS3Handler(start, seeded).handler(
      s3Request('GET', '/b/policy.json'),
      fakeContext(start),
    ) as ServiceResponse;
    assert.equal(String(fromStore.body), policy);
  });

  it('a missing key is NoSuchKey with s3:ListBucket, AccessDenied without it', () => {
    throwsAws(() => call(s3Request('GET', `/${demoPolicyBucket}/nope.json`)), 'NoSuchKey', 404);
    throwsAws(() => call(s3Request('GET', `/${demoPolicyBucket}/nope.json`), /ListBucket/), 'AccessDenied', 403);
  });

  it('HeadBucket and HeadObject answer; other operations and subresources are NotImplemented (501)', () => {
    const head = call(s3Request('HEAD', `/${demoPolicyBucket}`));
    assert.equal(head.response.headers['x-amz-bucket-region'], 'us-east-1');
    assert.deepEqual(head.ctx.authorized, [`s3:ListBucket arn:aws:s3:::${demoPolicyBucket}`]);
    assert.equal(call(s3Request('HEAD', `/${demoPolicyBucket}/policy.json`)).response.status, 200);
    throwsAws(() => call(s3Request('GET', `/${demoPolicyBucket}?list-type=2`)), 'NotImplemented', 501);
    throwsAws(() => call(s3Request('GET', `/${demoPolicyBucket}/policy.json?acl`)), 'NotImplemented', 501);
    throwsAws(() => call(s3Request('DELETE', `/${demoPolicyBucket}/policy.json`)), 'NotImplemented', 501);
    throwsAws(() => call(s3Request('GET', '/')), 'NotImplemented', 501);
    const unhashed = s3Request('GET', `/${demoPolicyBucket}/policy.json`);
    delete unhashed.headers['x-amz-content-sha256'];
    throwsAws(() => call(unhashed), 'InvalidRequest', 400);
  });

  it('PutObject keeps metadata and content type; another account may not touch the bucket', () => {
    const handler = setup();
    const put = handler(
      s3Request(
        'PUT',
        `/${demoPolicyBucket}/notes%2Fa.txt`,
        { 'content-type': 'text/plain', 'x-amz-meta-owner': 'ada' },
        'hi',
      ),
      fakeContext(start),
    ) as ServiceResponse;
    assert.equal(put.headers.etag, '"49f68a5c8493ec2c0bf489821c21fc3b"');
    const got = handler(s3Request('GET', `/${demoPolicyBucket}/notes/a.txt`), fakeContext(start)) as ServiceResponse;
    assert.deepEqual(
      [String(got.body), got.headers['content-type'], got.headers['x-amz-meta-owner']],
      ['hi', 'text/plain', 'ada'],
    );
    const stranger = {
      ...fakeContext(start),
      principal: { ...fakeContext(start).principal, accountId: '444455556666' },
    };
    throwsAws(() => handler(s3Request('GET', `/${demoPolicyBucket}/policy.json`), stranger), 'AccessDenied', 403);
  });

  it('keeps S3Object fields consistent', () => {
    const store = new S3Store();
    const o: S3Object = store.putObject(store.createBucket('b', '1', 'us-east-1', start), 'k', Buffer.from(''), start);
    assert.deepEqual(
      [o.etag, o.contentType, o.crc32],
      ['"d41d8cd98f00b204e9800998ecf8427e"', 'binary/octet-stream', 'AAAAAA=='],
    );
  });
});
