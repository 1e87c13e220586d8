import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { InfraWatchError } from '../../src/core/errors';
import { fetchPolicyFromS3, parseS3Location } from '../../src/core/policy/s3Source';

const location = { bucket: 'org-policy', key: 'infrawatch/policy.json' };

function body(chunks: string[]): GetObjectCommandOutput['Body'] {
  const stream = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  return Object.assign(stream, {
    transformToString: () => Promise.reject(new Error('the bounded reader must not buffer the whole body')),
    transformToByteArray: () => Promise.reject(new Error('unused')),
    transformToWebStream: () => {
      throw new Error('unused');
    },
  }) as unknown as GetObjectCommandOutput['Body'];
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name === 'NotModified' ? 'UnknownError' : `${name} message`), {
    name,
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
  });
}

describe('policy source in S3: locations', () => {
  it('parses s3://bucket/key, keeping slashes and spaces in the key', () => {
    assert.deepEqual(parseS3Location('s3://org-policy/policy.json'), { bucket: 'org-policy', key: 'policy.json' });
    assert.deepEqual(parseS3Location('  s3://my.org-policy-1/teams/platform team/p.json '), {
      bucket: 'my.org-policy-1',
      key: 'teams/platform team/p.json',
    });
  });

  it('refuses what is not a bucket and an object key, saying why', () => {
    const cases: [string, RegExp][] = [
      ['https://org-policy.s3.amazonaws.com/policy.json', /not an s3:\/\/ URI/],
      ['s3://org-policy', /not an s3:\/\/ URI/],
      ['s3://org-policy/', /no object key/],
      ['s3://Org_Policy/policy.json', /not a valid S3 bucket name/],
      ['s3://ab/policy.json', /not a valid S3 bucket name/],
      ['s3://a..b/policy.json', /not a valid S3 bucket name/],
      ['s3://192.168.1.1/policy.json', /not a valid S3 bucket name/],
      ['s3://org-policy/folder/', /names a folder/],
      [`s3://org-policy/${'k'.repeat(1025)}`, /longer than 1024 bytes/],
      ['s3://org-policy/a\nb', /control characters/],
    ];
    for (const [uri, pattern] of cases) {
      assert.throws(
        () => parseS3Location(uri),
        (e: InfraWatchError) =>
          e instanceof InfraWatchError &&
          e.code === 'Validation' &&
          pattern.test(e.message) &&
          /expected s3:\/\/<bucket>\/<key>/.test(e.message),
        uri,
      );
    }
  });
});

describe('policy source in S3: fetching', () => {
  const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } });
  const mock = mockClient(s3);
  afterEach(() => mock.reset());
  after(() => mock.restore());

  it('sends If-None-Match only with a cached copy, and turns a 304 into "unchanged"', async () => {
    mock.on(GetObjectCommand).resolves({ Body: body(['{"version":', '1}']), ETag: '"abc"', ContentLength: 12 });
    const first = await fetchPolicyFromS3(s3, location);
    assert.deepEqual(first, { kind: 'fetched', text: '{"version":1}', etag: '"abc"' });
    assert.equal(mock.commandCalls(GetObjectCommand)[0]?.args[0].input.IfNoneMatch, undefined);
    mock.on(GetObjectCommand).rejects(awsError('NotModified', 304));
    const again = await fetchPolicyFromS3(s3, location, { etag: '"abc"', text: '{"version":1}' });
    assert.equal(again.kind, 'unchanged');
    assert.equal(again.text, '{"version":1}');
    assert.equal(mock.commandCalls(GetObjectCommand)[1]?.args[0].input.IfNoneMatch, '"abc"');
  });

  it('refuses an object over 256 KiB by its length, and while reading when the length is absent', async () => {
    mock.on(GetObjectCommand).resolves({ Body: body(['{}']), ETag: '"a"', ContentLength: 300 * 1024 });
    await assert.rejects(
      fetchPolicyFromS3(s3, location),
      (e: InfraWatchError) => e.code === 'PolicyInvalid' && /307200 bytes; the limit is 262144/.test(e.message),
    );
    const chunk = 'x'.repeat(64 * 1024);
    mock.on(GetObjectCommand).resolves({ Body: body([chunk, chunk, chunk, chunk, chunk]), ETag: '"a"' });
    await assert.rejects(
      fetchPolicyFromS3(s3, location),
      (e: InfraWatchError) => e.code === 'PolicyInvalid' && /more than 262144/.test(e.message),
    );
    mock.on(GetObjectCommand).resolves({ Body: body([chunk, chunk, chunk, chunk]), ETag: '"a"' });
    const exact = await fetchPolicyFromS3(s3, location);
    assert.equal(exact.kind === 'fetched' && exact.text.length, 256 * 1024);
  });

  it('maps S3 errors to actionable InfraWatchErrors with the request id', async () => {
    const cases: [string, number, string, RegExp][] = [
      ['NoSuchKey', 404, 'NoPolicy', /s3:\/\/org-policy\/infrawatch\/policy\.json does not exist/],
      ['NoSuchBucket', 404, 'NoPolicy', /bucket org-policy does not exist/],
      [
        'AccessDenied',
        403,
        'AccessDenied',
        /may not s3:GetObject on arn:aws:s3:::org-policy\/infrawatch\/policy\.json/,
      ],
      ['PermanentRedirect', 301, 'Validation', /another region/],
      ['ECONNREFUSED', 0, 'Network', /cannot reach AWS/],
      ['SlowDown', 503, 'Unknown', /Reading the organisation policy from s3:\/\/org-policy/],
    ];
    for (const [name, status, code, pattern] of cases) {
      mock.on(GetObjectCommand).rejects(awsError(name, status));
      await assert.rejects(fetchPolicyFromS3(s3, location), (e: InfraWatchError) => {
        assert.equal(e.code, code, name);
        assert.match(e.message, pattern, name);
        assert.equal(e.requestId, 'req-1');
        return true;
      });
    }
  });

  it('treats a 304 without a cached copy as the error it is', async () => {
    mock.on(GetObjectCommand).rejects(awsError('NotModified', 304));
    await assert.rejects(fetchPolicyFromS3(s3, location), InfraWatchError);
  });
});
