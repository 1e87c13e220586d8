// The organisation policy in S3, so nobody edits their own grants: an object only the
// admin can write, read with
// the base credentials and cached by ETag, so a poll that finds nothing new costs a 304
// and no body. The object is untrusted input: its size is bounded before and while it is read.
import { type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { fromAwsError, InfraWatchError } from '../errors';
import { loadAwsSdk } from '../loadAwsSdk';
import { policyLimits } from './schema';

export interface S3Location {
  bucket: string;
  key: string;
}

export interface CachedPolicyObject {
  etag: string;
  text: string;
}

export type S3PolicyFetch =
  | { kind: 'fetched'; text: string; etag: string }
  /** 304 Not Modified: the cached text is still current (echoed back for convenience). */
  | { kind: 'unchanged'; text: string; etag: string };

// S3's bucket naming rules: 3–63 of a-z 0-9 . -, starting and ending with a letter or digit.
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ipShaped = /^\d{1,3}(\.\d{1,3}){3}$/;
const maxKeyBytes = 1024;

function invalidLocation(uri: string, why: string): InfraWatchError {
  return new InfraWatchError(
    'Validation',
    `Reading the policy location failed: ${JSON.stringify(uri)} ${why}; expected s3://<bucket>/<key>, e.g. s3://my-org-infrawatch/policy.json`,
  );
}

/** `s3://bucket/key` → { bucket, key }; throws a Validation error saying what is wrong. */
export function parseS3Location(uri: string): S3Location {
  const match = /^s3:\/\/([^/]*)\/(.*)$/s.exec(uri.trim());
  if (!match) throw invalidLocation(uri, 'is not an s3:// URI with a bucket and a key');
  const bucket = match[1]!;
  const key = match[2]!;
  if (!bucketPattern.test(bucket) || bucket.includes('..') || ipShaped.test(bucket)) {
    throw invalidLocation(
      uri,
      `names bucket ${JSON.stringify(bucket)}, which is not a valid S3 bucket name (3–63 lowercase letters, digits, "." and "-")`,
    );
  }
  if (key === '') throw invalidLocation(uri, 'has no object key');
  if (key.endsWith('/')) throw invalidLocation(uri, 'names a folder, not an object');
  if (Buffer.byteLength(key, 'utf8') > maxKeyBytes)
    throw invalidLocation(uri, `has a key longer than ${maxKeyBytes} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw invalidLocation(uri, 'has control characters in its key');
  return { bucket, key };
}

export function formatS3Location(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

function tooLarge(location: S3Location, size: number | string): InfraWatchError {
  return new InfraWatchError(
    'PolicyInvalid',
    `Reading the organisation policy failed: ${formatS3Location(location)} is ${size} bytes; the limit is ${policyLimits.maxBytes}`,
  );
}

type Body = NonNullable<GetObjectCommandOutput['Body']>;

function discard(body: Body | undefined): void {
  (body as { destroy?: () => void } | undefined)?.destroy?.();
}

/** Reads at most the policy limit, even when the object lies about (or omits) its length. */
async function readBounded(body: Body, location: S3Location): Promise<string> {
  if (!(Symbol.asyncIterator in body)) return body.transformToString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += buffer.length;
    if (size > policyLimits.maxBytes) {
      discard(body);
      throw tooLarge(location, `more than ${policyLimits.maxBytes}`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface S3LikeError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

function isNotModified(error: unknown): boolean {
  return (error as S3LikeError | undefined)?.$metadata?.httpStatusCode === 304;
}

/** S3's errors as what the admin or user can do about them. */
export function mapS3Error(error: unknown, location: S3Location): InfraWatchError {
  const e = (error ?? {}) as S3LikeError;
  const where = formatS3Location(location);
  const doing = 'Reading the organisation policy failed';
  const options = { cause: error, requestId: e.$metadata?.requestId };
  switch (e.Code ?? e.name) {
    case 'NoSuchKey':
      return new InfraWatchError(
        'NoPolicy',
        `${doing}: ${where} does not exist; check the key in the policy source setting or ask your admin to upload the policy`,
        options,
      );
    case 'NoSuchBucket':
      return new InfraWatchError(
        'NoPolicy',
        `${doing}: bucket ${location.bucket} does not exist; check the bucket in the policy source setting`,
        options,
      );
    case 'AccessDenied':
    case 'Forbidden':
      return new InfraWatchError(
        'AccessDenied',
        `${doing}: your base credentials may not s3:GetObject on arn:aws:s3:::${location.bucket}/${location.key} (S3 also says this for a missing key when you may not list the bucket); ask your admin to grant read access`,
        options,
      );
    case 'AuthorizationHeaderMalformed':
    case 'PermanentRedirect':
    case 'IllegalLocationConstraintException':
      return new InfraWatchError(
        'Validation',
        `${doing}: bucket ${location.bucket} is in another region than the one InfraWatch used (${e.message ?? e.name}); set the region of the bucket`,
        options,
      );
    default:
      return fromAwsError(error, `Reading the organisation policy from ${where}`);
  }
}

/**
 * GetObject with If-None-Match when a cached copy is given. The SDK turns a 304 into a
 * thrown error, so it is recognised by its status code rather than by name.
 */
export async function fetchPolicyFromS3(
  s3: S3Client,
  location: S3Location,
  cache?: CachedPolicyObject,
  signal?: AbortSignal,
): Promise<S3PolicyFetch> {
  const conditional = cache !== undefined && cache.etag !== '';
  const { GetObjectCommand } = await loadAwsSdk();
  let output: GetObjectCommandOutput;
  try {
    output = await s3.send(
      new GetObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        ...(conditional ? { IfNoneMatch: cache.etag } : {}),
      }),
      signal ? { abortSignal: signal } : {},
    );
  } catch (error) {
    if (conditional && isNotModified(error)) return { kind: 'unchanged', text: cache.text, etag: cache.etag };
    throw mapS3Error(error, location);
  }
  const { Body: body, ContentLength: length, ETag: etag } = output;
  if (length !== undefined && length > policyLimits.maxBytes) {
    discard(body);
    throw tooLarge(location, length);
  }
  if (body === undefined)
    throw new InfraWatchError(
      'PolicyInvalid',
      `Reading the organisation policy failed: ${formatS3Location(location)} came back without a body`,
    );
  let text: string;
  try {
    text = await readBounded(body, location);
  } catch (error) {
    throw error instanceof InfraWatchError ? error : mapS3Error(error, location);
  }
  return { kind: 'fetched', text, etag: etag ?? '' };
}
