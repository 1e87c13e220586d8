// The S3 (`s3`) handler of the local endpoint, path-style only (`/bucket/key`; clients use
// forcePathStyle, and botocore does so by itself for an IP endpoint): GetObject and
// HeadObject with ETag conditions (If-None-Match → 304), PutObject with Content-MD5 and
// CRC32 checks, HeadBucket. Authorized as s3:GetObject / s3:PutObject on the object ARN;
// a missing key reads as NoSuchKey only for callers allowed s3:ListBucket, as in S3.

import { createS3Conditions } from './conditions';
import { readPutBody } from './put';
import { createDemoS3Store, type S3Bucket, type S3Object, type S3Store } from './store';
import { S3Error, s3Headers } from './wire';
import type { CallContext, ServiceHandler, ServiceRequest, ServiceResponse } from '../server/types';

interface Target {
  bucket: string;
  key: string;
}

function targetOf(path: string): Target {
  const rest = path.replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  return slash < 0
    ? { bucket: decodeURIComponent(rest), key: '' }
    : { bucket: decodeURIComponent(rest.slice(0, slash)), key: decodeURIComponent(rest.slice(slash + 1)) };
}

function notImplemented(req: ServiceRequest): S3Error {
  const query = [...req.query.keys()].join('&');
  return new S3Error(
    'NotImplemented',
    `The local endpoint does not implement this S3 operation: ${req.method} ${req.path}${query ? `?${query}` : ''} (GetObject, HeadObject, PutObject and HeadBucket only).`,
    501,
  );
}

function bucketOf(store: S3Store, name: string, ctx: CallContext): S3Bucket {
  const bucket = store.buckets.get(name);
  if (!bucket) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
  if (bucket.region !== ctx.region) {
    throw new S3Error(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${ctx.region}' is wrong; expecting '${bucket.region}'`,
      400,
      { Region: bucket.region },
    );
  }
  if (bucket.ownerAccountId !== ctx.principal.accountId) throw new S3Error('AccessDenied', 'Access Denied', 403);
  return bucket;
}

function objectHeaders(object: S3Object, req: ServiceRequest): Record<string, string> {
  const headers: Record<string, string> = {
    ...s3Headers(req.requestId),
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    'content-type': object.contentType,
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (req.headers['x-amz-checksum-mode'] === 'ENABLED') headers['x-amz-checksum-crc32'] = object.crc32;
  return headers;
}

function getObject(bucket: S3Bucket, key: string, req: ServiceRequest, ctx: CallContext): ServiceResponse {
  const arn = `arn:aws:s3:::${bucket.name}/${key}`;
  ctx.authorize('s3:GetObject', arn);
  const object = bucket.objects.get(key);
  if (!object) {
    ctx.authorize('s3:ListBucket', `arn:aws:s3:::${bucket.name}`);
    throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
  }
  const outcome = createS3Conditions(req.headers).forRead(object);
  if (outcome === 'not-modified') {
    return {
      status: 304,
      headers: {
        ...s3Headers(req.requestId),
        etag: object.etag,
        'last-modified': new Date(object.lastModified).toUTCString(),
      },
      body: '',
    };
  }
  return { status: 200, headers: objectHeaders(object, req), body: object.body };
}

function putObject(
  store: S3Store,
  bucket: S3Bucket,
  key: string,
  req: ServiceRequest,
  ctx: CallContext,
): ServiceResponse {
  ctx.authorize('s3:PutObject', `arn:aws:s3:::${bucket.name}/${key}`);
  const body = readPutBody(req);
  createS3Conditions(req.headers).forWrite(bucket.objects.get(key));
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  const object = store.putObject(bucket, key, body, ctx.now, { contentType: req.headers['content-type'], metadata });
  const headers: Record<string, string> = {
    ...s3Headers(req.requestId),
    etag: object.etag,
    'x-amz-server-side-encryption': 'AES256',
  };
  if (req.headers['x-amz-checksum-crc32'] !== undefined || req.headers['x-amz-trailer'] === 'x-amz-checksum-crc32')
    headers['x-amz-checksum-crc32'] = object.crc32;
  return { status: 200, headers, body: '' };
}

function headBucket(bucket: S3Bucket, req: ServiceRequest, ctx: CallContext): ServiceResponse {
  ctx.authorize('s3:ListBucket', `arn:aws:s3:::${bucket.name}`);
  return { status: 200, headers: { ...s3Headers(req.requestId), 'x-amz-bucket-region': bucket.region }, body: '' };
}

function onlyPlainQuery(req: ServiceRequest): boolean {
  return [...req.query.keys()].every((k) => k === 'x-id' || k.startsWith('response-'));
}

export function serveS3(store: S3Store, req: ServiceRequest, ctx: CallContext): ServiceResponse {
  // S3, unlike the other services, refuses SigV4 requests that do not state their payload hash.
  if (req.headers['x-amz-content-sha256'] === undefined)
    throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  const { bucket: name, key } = targetOf(req.path);
  if (name === '' || !onlyPlainQuery(req)) throw notImplemented(req);
  const bucket = bucketOf(store, name, ctx);
  if (key === '') {
    if (req.method === 'HEAD') return headBucket(bucket, req, ctx);
    throw notImplemented(req);
  }
  if (req.method === 'GET' || req.method === 'HEAD') return getObject(bucket, key, req, ctx);
  if (req.method === 'PUT') return putObject(store, bucket, key, req, ctx);
  throw notImplemented(req);
}

export interface S3Handler {
  handler: ServiceHandler;
  store: S3Store;
}

/** One S3 per server, seeded with the demo's buckets (see store.ts). */
export function createS3Handler(startTime: number, store: S3Store = createDemoS3Store(startTime)): S3Handler {
  return { handler: (req, ctx) => serveS3(store, req, ctx), store };
}
