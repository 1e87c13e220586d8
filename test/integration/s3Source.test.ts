// The organisation policy source against the local endpoint over HTTP with the real S3
// client (path-style): fetched, then unchanged by ETag (a real 304), then fetched again
// after the admin uploads a new version; S3's errors arrive as actionable InfraWatchErrors.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InfraWatchError } from '../../src/core/errors';
import { parsePolicy } from '../../src/core/policy/parse';
import { fetchPolicyFromS3, parseS3Location } from '../../src/core/policy/s3Source';
import { demoPolicyBucket } from '../../localaws/iam/identities';
import { demoPolicyFile } from '../../localaws/s3/store';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { credentialsOf } from '../../localaws/testing/clients';

describe('policy source in S3 (local endpoint)', function () {
  this.timeout(30_000);
  let aws: LocalAws;
  let demoText: string;
  const location = parseS3Location(`s3://${demoPolicyBucket}/policy.json`);
  const clients: S3Client[] = [];
  const s3 = (who: string, region?: string): S3Client => {
    const client = new S3Client({
      endpoint: aws.url,
      region: region ?? aws.region,
      credentials: credentialsOf(aws, who),
      forcePathStyle: true,
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };

  before(async () => {
    demoText = await readFile(demoPolicyFile, 'utf8');
    aws = await startLocalAws();
  });
  after(async () => {
    clients.forEach((client) => client.destroy());
    await aws.close();
  });

  it("fetches, then reports unchanged for the same ETag, then fetches the admin's new version", async () => {
    const employee = s3('employee');
    const first = await fetchPolicyFromS3(employee, location);
    assert.equal(first.kind, 'fetched');
    assert.equal(first.text, demoText);
    assert.match(first.etag, /^"[0-9a-f]{32}"$/);
    assert.equal(parsePolicy(first.text).ok, true);

    const again = await fetchPolicyFromS3(employee, location, { etag: first.etag, text: first.text });
    assert.equal(again.kind, 'unchanged');
    assert.equal(again.text, demoText);

    const updated = demoText.replace('"version": 1', '"version":  1');
    assert.notEqual(updated, demoText);
    await s3('admin').send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        Body: updated,
        ContentType: 'application/json',
      }),
    );
    const after = await fetchPolicyFromS3(employee, location, { etag: first.etag, text: first.text });
    assert.equal(after.kind, 'fetched');
    assert.equal(after.text, updated);
    assert.notEqual(after.etag, first.etag);
    const stable = await fetchPolicyFromS3(employee, location, { etag: after.etag, text: after.text });
    assert.equal(stable.kind, 'unchanged');
  });

  it('maps a missing key, a missing bucket and a wrong region to errors that say what to fix', async () => {
    const employee = s3('employee');
    await assert.rejects(
      fetchPolicyFromS3(employee, { bucket: location.bucket, key: 'missing.json' }),
      (e: InfraWatchError) => {
        assert.ok(e instanceof InfraWatchError);
        assert.ok(e.code === 'NoPolicy' || e.code === 'AccessDenied', e.code);
        assert.match(e.message, /missing\.json/);
        return true;
      },
    );
    await assert.rejects(
      fetchPolicyFromS3(employee, { bucket: 'no-such-bucket-here', key: 'policy.json' }),
      (e: InfraWatchError) => {
        assert.equal(e.code, 'NoPolicy');
        assert.match(e.message, /bucket no-such-bucket-here does not exist/);
        return true;
      },
    );
    await assert.rejects(fetchPolicyFromS3(s3('employee', 'eu-west-1'), location), (e: InfraWatchError) => {
      assert.equal(e.code, 'Validation');
      assert.match(e.message, /another region/);
      return true;
    });
  });

  it('refuses an object larger than the policy limit', async () => {
    const key = 'huge.json';
    await s3('admin').send(
      new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: `{"pad":"${'x'.repeat(300 * 1024)}"}` }),
    );
    await assert.rejects(fetchPolicyFromS3(s3('employee'), { bucket: location.bucket, key }), (e: InfraWatchError) => {
      assert.equal(e.code, 'PolicyInvalid');
      assert.match(e.message, /limit is 262144/);
      return true;
    });
  });

  it('reports an unreachable endpoint as a network problem', async () => {
    const dead = new S3Client({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: credentialsOf(aws, 'employee'),
      forcePathStyle: true,
      maxAttempts: 1,
    });
    clients.push(dead);
    await assert.rejects(fetchPolicyFromS3(dead, location), (e: InfraWatchError) => {
      assert.equal(e.code, 'Network');
      assert.match(e.message, /cannot reach AWS/);
      return true;
    });
  });
});
