// SigV4 verification: parse the Authorization header, then recompute the signature with
// @smithy/signature-v4 over exactly the headers the client signed, its x-amz-date and the
// secret this endpoint seeded or issued, and compare in constant time.

import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export interface ParsedAuthorization {
  accessKeyId: string;
  /** YYYYMMDD from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const authPattern =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

/** undefined when the header is not a well-formed SigV4 Authorization header. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const match = header ? authPattern.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, accessKeyId, scopeDate, region, service, signedHeaders, signature] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId as string,
    scopeDate: scopeDate as string,
    region: region as string,
    service: service as string,
    signedHeaders: (signedHeaders as string).split(';'),
    signature: signature as string,
  };
}

/** `20240102T030405Z` → epoch ms (undefined when malformed). */
export function parseAmzDate(value: string | undefined): number | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

const skewLimitMs = 15 * 60 * 1000;

/** AWS's own wording when x-amz-date is more than 15 minutes from the server clock. */
export function skewMessage(requestMs: number, nowMs: number): string | undefined {
  if (requestMs < nowMs - skewLimitMs) {
    return `Signature expired: ${formatAmzDate(requestMs)} is now earlier than ${formatAmzDate(nowMs - skewLimitMs)} (${formatAmzDate(nowMs)} - 15 min.)`;
  }
  if (requestMs > nowMs + skewLimitMs) {
    return `Signature not yet current: ${formatAmzDate(requestMs)} is still later than ${formatAmzDate(nowMs + skewLimitMs)} (${formatAmzDate(nowMs)} + 15 min.)`;
  }
  return undefined;
}

/** SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects, on node:crypto. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.create();
  }
  private create(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac('sha256', key);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.create();
  }
}

export interface SignedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded), without the query string. */
  rawPath: string;
  query: URLSearchParams;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The body as received (before any gunzip): what the client hashed. */
  body: Buffer;
}

function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  query.forEach((value, key) => {
    const existing = record[key];
    record[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  });
  return record;
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** False when the client sent x-amz-content-sha256 and it is not the body's hash. */
export function payloadHashMatches(req: SignedRequest): boolean {
  const claimed = req.headers['x-amz-content-sha256'];
  // The streaming form carries its checksum in a trailer, which S3 checks (s3/put.ts).
  if (claimed === undefined || claimed === 'UNSIGNED-PAYLOAD' || claimed === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER')
    return true;
  return claimed.toLowerCase() === sha256Hex(req.body);
}

export async function computeSignature(
  req: SignedRequest,
  auth: ParsedAuthorization,
  secretAccessKey: string,
  signingMs: number,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: NodeSha256,
    applyChecksum: false,
    // S3 signs the path exactly as sent: no second URI-encoding, no dot-segment removal.
    uriEscapePath: auth.service !== 's3',
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: (req.headers.host ?? '').split(':')[0] ?? '',
      path: req.rawPath,
      query: queryRecord(req.query),
      headers,
      body: req.body,
    },
    { signingDate: new Date(signingMs), signableHeaders: new Set(auth.signedHeaders) },
  );
  const match = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? '');
  return match?.[1] ?? '';
}

export function signaturesEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
