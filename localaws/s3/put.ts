// The body of an S3 PutObject as the client meant it: aws-chunked bodies decoded
// (STREAMING-UNSIGNED-PAYLOAD-TRAILER, what SDKs send for streams), then checked against
// Content-MD5 and x-amz-checksum-crc32 (header or trailer) as S3 does.

import { crc32Base64, decodeAwsChunked, md5Hex, S3Error } from './wire';
import type { ServiceRequest } from '../server/types';

function decodedBody(req: ServiceRequest): { data: Buffer; trailers: Record<string, string> } {
  const sha = req.headers['x-amz-content-sha256'] ?? '';
  const chunked = (req.headers['content-encoding'] ?? '').includes('aws-chunked') || sha.startsWith('STREAMING-');
  if (!chunked) return { data: req.body, trailers: {} };
  if (sha !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
    throw new S3Error(
      'NotImplemented',
      `The local endpoint accepts aws-chunked bodies only as STREAMING-UNSIGNED-PAYLOAD-TRAILER, not ${sha || '(no x-amz-content-sha256)'}.`,
      501,
    );
  }
  const decoded = decodeAwsChunked(req.body);
  const declared = req.headers['x-amz-decoded-content-length'];
  if (declared !== undefined && Number(declared) !== decoded.data.length) {
    throw new S3Error(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header.',
      400,
    );
  }
  return decoded;
}

function checkMd5(data: Buffer, header: string | undefined): void {
  if (header === undefined) return;
  const expected = Buffer.from(header, 'base64');
  if (expected.length !== 16)
    throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': header });
  const calculated = Buffer.from(md5Hex(data), 'hex');
  if (!expected.equals(calculated)) {
    throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
      ExpectedDigest: expected.toString('hex'),
      CalculatedDigest: calculated.toString('base64'),
    });
  }
}

export function readPutBody(req: ServiceRequest): Buffer {
  const { data, trailers } = decodedBody(req);
  checkMd5(data, req.headers['content-md5']);
  const crc = req.headers['x-amz-checksum-crc32'] ?? trailers['x-amz-checksum-crc32'];
  if (crc !== undefined && crc !== crc32Base64(data)) {
    throw new S3Error('BadDigest', 'The CRC32 you specified did not match the calculated checksum.', 400);
  }
  return data;
}
