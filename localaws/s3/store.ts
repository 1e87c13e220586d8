// The endpoint's S3 buckets and objects. Seeded with the organisation policy bucket of the
// demo account (the policy source an admin controls) holding policy.json = the
// repository's demo/policy.json as it was when the server started, plus the two buckets
// the CloudWatch demo data describes.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { demoAccountId, demoPolicyBucket, demoRegion } from '../iam/identities';
import { crc32Base64, md5Hex } from './wire';

export interface S3Object {
  key: string;
  body: Buffer;
  /** Quoted MD5 hex, as S3 sends it for single-part uploads. */
  etag: string;
  /** Epoch ms, whole seconds (HTTP dates have no milliseconds). */
  lastModified: number;
  contentType: string;
  crc32: string;
  metadata: Record<string, string>;
}

export interface S3Bucket {
  name: string;
  region: string;
  ownerAccountId: string;
  createdAt: number;
  objects: Map<string, S3Object>;
}

export const demoPolicyKey = 'policy.json';
export const demoPolicyFile = path.join(__dirname, '..', '..', 'demo', 'policy.json');

export class S3Store {
  readonly buckets = new Map<string, S3Bucket>();

  createBucket(name: string, ownerAccountId: string, region: string, createdAt: number): S3Bucket {
    const bucket: S3Bucket = { name, region, ownerAccountId, createdAt, objects: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  putObject(
    bucket: S3Bucket,
    key: string,
    body: Buffer,
    now: number,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): S3Object {
    const object: S3Object = {
      key,
      body,
      etag: `"${md5Hex(body)}"`,
      lastModified: Math.floor(now / 1000) * 1000,
      contentType: options.contentType ?? 'binary/octet-stream',
      crc32: crc32Base64(body),
      metadata: options.metadata ?? {},
    };
    bucket.objects.set(key, object);
    return object;
  }
}

/** The demo's S3: `policyText` defaults to demo/policy.json read now. */
export function createDemoS3Store(
  startTime: number,
  policyText: string = readFileSync(demoPolicyFile, 'utf8'),
): S3Store {
  const store = new S3Store();
  const created = startTime - 200 * 86_400_000;
  const policyBucket = store.createBucket(demoPolicyBucket, demoAccountId, demoRegion, created);
  store.putObject(policyBucket, demoPolicyKey, Buffer.from(policyText, 'utf8'), startTime - 3 * 86_400_000, {
    contentType: 'application/json',
  });
  for (const name of ['demo-web-assets', 'demo-app-logs']) store.createBucket(name, demoAccountId, demoRegion, created);
  return store;
}
