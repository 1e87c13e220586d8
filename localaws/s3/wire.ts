// S3's wire details the local endpoint needs: the REST-XML error document
// (`<Error><Code/><Message/>…<RequestId/><HostId/></Error>`, with the x-amz-request-id
// and x-amz-id-2 headers), authentication failures in S3's own codes, the aws-chunked
// body encoding (STREAMING-UNSIGNED-PAYLOAD-TRAILER) and the MD5 / CRC32 digests.

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { AuthFailure } from '../server/auth';
import { xmlElement } from '../server/protocol';
import { AwsError, type ServiceResponse } from '../server/types';

/** An S3 error with the extra elements S3 puts in its error document (Key, BucketName…). */
export class S3Error extends AwsError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly details: Record<string, string> = {},
  ) {
    super(code, message, status, status >= 500 ? 'Receiver' : 'Sender');
  }
}

export function hostIdOf(requestId: string): string {
  return createHash('sha256').update(`host:${requestId}`).digest('base64');
}

/** Headers every S3 reply carries. */
export function s3Headers(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostIdOf(requestId), 'x-amzn-requestid': requestId };
}

export function s3ErrorResponse(err: AwsError, requestId: string): ServiceResponse {
  const details =
    err instanceof S3Error
      ? Object.entries(err.details)
          .map(([k, v]) => xmlElement(k, v))
          .join('')
      : '';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${xmlElement('Code', err.code)}${xmlElement('Message', err.message)}${details}` +
    `${xmlElement('RequestId', requestId)}${xmlElement('HostId', hostIdOf(requestId))}</Error>`;
  return { status: err.status, headers: { ...s3Headers(requestId), 'content-type': 'application/xml' }, body };
}

/** A SigV4 failure in S3's vocabulary (S3 does not say InvalidClientTokenId). */
export function s3AuthError(failure: AuthFailure): AwsError {
  switch (failure.kind) {
    case 'missing':
      return new S3Error('AccessDenied', 'Access Denied', 403);
    case 'incomplete':
      return new S3Error(
        'AuthorizationHeaderMalformed',
        `The authorization header is malformed; ${failure.message}`,
        400,
      );
    case 'invalid-token':
      return new S3Error(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records (or its session token does not match).',
        403,
      );
    case 'expired':
      return new S3Error('ExpiredToken', 'The provided token has expired.', 400);
    default:
      return /^Signature (expired|not yet current)/.test(failure.message)
        ? new S3Error(
            'RequestTimeTooSkewed',
            `The difference between the request time and the current time is too large. ${failure.message}`,
            403,
          )
        : new S3Error('SignatureDoesNotMatch', failure.message, 403);
  }
}

export function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** `x-amz-checksum-crc32`: the big-endian CRC32, base64. */
export function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return out.toString('base64');
}

export interface DecodedBody {
  data: Buffer;
  trailers: Record<string, string>;
}

function malformedChunks(): S3Error {
  return new S3Error('IncompleteBody', 'The aws-chunked request body is malformed.', 400);
}

/** Decodes `<hex size>[;ext]\r\n<data>\r\n … 0\r\n<trailer>:<value>\r\n\r\n`. */
export function decodeAwsChunked(body: Buffer): DecodedBody {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw malformedChunks();
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0 || lineEnd + 2 + size > body.length) throw malformedChunks();
    at = lineEnd + 2;
    if (size === 0) break;
    parts.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(at).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}
