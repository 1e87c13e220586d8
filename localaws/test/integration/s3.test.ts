// S3 on the local endpoint over HTTP with the REAL clients (SDK v3 @aws-sdk/client-s3 with
// forcePathStyle, and Debian's AWS CLI 2.9 s3api): the organisation policy object, its
// ETag and If-None-Match → 304, S3's XML errors, admin-only writes, and SigV4 over S3's
// canonical URI (keys with spaces and non-ASCII characters are signed as sent).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { demoPolicyBucket } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import { demoPolicyFile } from '../../s3/store';
import { cliErrorCode, credentialsOf, runAwsCli, type TestCredentials } from '../../testing/clients';

type Failure = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
const bucket = demoPolicyBucket;

describe('local AWS endpoint: S3 with SDK v3 and the AWS CLI', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let policyText: string;
  const scratch: string[] = [];

  before(async () => {
    policyText = await readFile(demoPolicyFile, 'utf8');
    aws = await startLocalAws();
  });
  after(async () => {
    await aws.close();
    await Promise.all(scratch.map((f) => rm(f, { force: true })));
  });

  const s3 = (credentials: TestCredentials, region = aws.region) =>
    new S3Client({ endpoint: aws.url, region, credentials, forcePathStyle: true, maxAttempts: 1 });
  const text = async (out: { Body?: { transformToString(): Promise<string> } }) =>
    out.Body ? out.Body.transformToString() : '';
  const etagOf = (body: string) => `"${createHash('md5').update(body).digest('hex')}"`;

  it('SDK: GetObject returns demo/policy.json with a quoted-MD5 ETag, to every demo user', async () => {
    for (const who of ['employee', 'unassigned', 'sso']) {
      const out = await s3(credentialsOf(aws, who)).send(new GetObjectCommand({ Bucket: bucket, Key: 'policy.json' }));
      assert.equal(await text(out), policyText, who);
      assert.equal(out.ETag, etagOf(policyText));
      assert.equal(out.ContentType, 'application/json');
      assert.ok(out.LastModified instanceof Date && out.LastModified.getTime() < aws.clock.now());
    }
  });

  it('SDK: If-None-Match with the current ETag → 304 Not Modified; with another → 200', async () => {
    const client = s3(credentialsOf(aws, 'employee'));
    await assert.rejects(
      client.send(new GetObjectCommand({ Bucket: bucket, Key: 'policy.json', IfNoneMatch: etagOf(policyText) })),
      (e: Failure) => e.$metadata?.httpStatusCode === 304,
    );
    const changed = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'policy.json', IfNoneMatch: '"0123456789abcdef0123456789abcdef"' }),
    );
    assert.equal(changed.$metadata.httpStatusCode, 200);
    assert.equal(await text(changed), policyText);
  });

  it('SDK: NoSuchKey, NoSuchBucket, a wrong region and a wrong secret fail with S3 codes', async () => {
    const client = s3(credentialsOf(aws, 'employee'));
    await assert.rejects(
      client.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing.json' })),
      (e: Failure) => e.name === 'NoSuchKey' && e.$metadata?.httpStatusCode === 404,
    );
    await assert.rejects(
      client.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'policy.json' })),
      (e: Failure) => e.name === 'NoSuchBucket' && e.$metadata?.httpStatusCode === 404,
    );
    await assert.rejects(
      s3(credentialsOf(aws, 'employee'), 'eu-west-1').send(
        new GetObjectCommand({ Bucket: bucket, Key: 'policy.json' }),
      ),
      (e: Failure) => e.name === 'AuthorizationHeaderMalformed' && /expecting 'us-east-1'/.test(e.message ?? ''),
    );
    await assert.rejects(
      s3({ ...credentialsOf(aws, 'employee'), secretAccessKey: 'x'.repeat(40) }).send(
        new GetObjectCommand({ Bucket: bucket, Key: 'policy.json' }),
      ),
      (e: Failure) => e.name === 'SignatureDoesNotMatch' && e.$metadata?.httpStatusCode === 403,
    );
  });

  it('SDK: only the admin may PutObject; the new object gets a new ETag and If-None-Match sees the change', async () => {
    const updated = policyText.replace('"version": 1', '"version": 1 ');
    await assert.rejects(
      s3(credentialsOf(aws, 'employee')).send(
        new PutObjectCommand({ Bucket: bucket, Key: 'policy.json', Body: updated }),
      ),
      (e: Failure) => {
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        assert.match(
          e.message ?? '',
          /user\/erin\.employee is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::infrawatch-policy-111122223333\/policy\.json/,
        );
        return true;
      },
    );
    const put = await s3(credentialsOf(aws, 'admin')).send(
      new PutObjectCommand({ Bucket: bucket, Key: 'policy.json', Body: updated, ContentType: 'application/json' }),
    );
    assert.equal(put.ETag, etagOf(updated));
    const fresh = await s3(credentialsOf(aws, 'employee')).send(
      new GetObjectCommand({ Bucket: bucket, Key: 'policy.json', IfNoneMatch: etagOf(policyText) }),
    );
    assert.equal(await text(fresh), updated);
    await assert.rejects(
      s3(credentialsOf(aws, 'admin')).send(
        new PutObjectCommand({ Bucket: bucket, Key: 'policy.json', Body: 'x', IfNoneMatch: '*' }),
      ),
      (e: Failure) => e.name === 'PreconditionFailed' && e.$metadata?.httpStatusCode === 412,
    );
    await assert.rejects(
      s3(credentialsOf(aws, 'admin')).send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'other.json',
          Body: 'abc',
          ContentMD5: Buffer.alloc(16).toString('base64'),
        }),
      ),
      (e: Failure) => e.name === 'BadDigest',
    );
    await s3(credentialsOf(aws, 'admin')).send(
      new PutObjectCommand({ Bucket: bucket, Key: 'policy.json', Body: policyText, ContentType: 'application/json' }),
    );
  });

  it('SDK: keys with spaces, plus signs and non-ASCII characters round-trip (S3 canonical URI)', async () => {
    const key = 'teams/platform team/policy (v2)+ü.json';
    const admin = s3(credentialsOf(aws, 'admin'));
    await admin.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"ok":true}', Metadata: { owner: 'ada' } }),
    );
    const head = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(head.ContentLength, 11);
    assert.deepEqual(head.Metadata, { owner: 'ada' });
    assert.equal(
      await text(await s3(credentialsOf(aws, 'employee')).send(new GetObjectCommand({ Bucket: bucket, Key: key }))),
      '{"ok":true}',
    );
  });

  it('AWS CLI: s3api get-object writes the policy; --if-none-match the ETag → 304; put-object is admin-only', async () => {
    const outFile = path.join(tmpdir(), `localaws-s3-${process.pid}.json`);
    scratch.push(outFile);
    const got = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      's3api',
      'get-object',
      '--bucket',
      bucket,
      '--key',
      'policy.json',
      outFile,
    ]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal((JSON.parse(got.stdout) as { ETag: string }).ETag, etagOf(policyText));
    assert.equal(await readFile(outFile, 'utf8'), policyText);
    const notModified = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      's3api',
      'get-object',
      '--bucket',
      bucket,
      '--key',
      'policy.json',
      '--if-none-match',
      etagOf(policyText),
      outFile,
    ]);
    assert.equal(cliErrorCode(notModified), '304');
    const missing = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      's3api',
      'get-object',
      '--bucket',
      bucket,
      '--key',
      'nope.json',
      outFile,
    ]);
    assert.equal(cliErrorCode(missing), 'NoSuchKey');
    const denied = await runAwsCli(aws, credentialsOf(aws, 'employee'), [
      's3api',
      'put-object',
      '--bucket',
      bucket,
      '--key',
      'cli.json',
      '--body',
      demoPolicyFile,
    ]);
    assert.equal(cliErrorCode(denied), 'AccessDenied');
    const put = await runAwsCli(aws, credentialsOf(aws, 'admin'), [
      's3api',
      'put-object',
      '--bucket',
      bucket,
      '--key',
      'cli copy.json',
      '--body',
      demoPolicyFile,
    ]);
    assert.equal(put.code, 0, put.stderr);
    assert.equal((JSON.parse(put.stdout) as { ETag: string }).ETag, etagOf(policyText));
  });
});
