// S3's conditional requests. Reads: If-Match / If-Unmodified-Since fail with 412, and
// If-None-Match / If-Modified-Since answer 304 Not Modified; If-None-Match, when given,
// decides over If-Modified-Since (RFC 9110 §13.2.2). Writes: `If-None-Match: *` (create
// only) and `If-Match: <etag>` (replace only that version), as S3's conditional writes.

import type { S3Object } from './store';
import { S3Error } from './wire';

function etagList(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .filter((t) => t.length > 0);
}

function etagMatches(header: string, object: S3Object): boolean {
  return etagList(header).some((t) => t === '*' || t === object.etag);
}

function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
    Condition: condition,
  });
}

export interface S3Conditions {
  /** 'ok' to serve the object, 'not-modified' for a 304; throws PreconditionFailed. */
  forRead(object: S3Object): 'ok' | 'not-modified';
  /** Throws when a conditional write must not replace `existing`. */
  forWrite(existing: S3Object | undefined): void;
}

export function createS3Conditions(headers: Record<string, string>): S3Conditions {
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  return {
    forRead(object) {
      if (ifMatch !== undefined && !etagMatches(ifMatch, object)) throw preconditionFailed('If-Match');
      const unmodifiedSince = parseHttpDate(headers['if-unmodified-since']);
      if (ifMatch === undefined && unmodifiedSince !== undefined && object.lastModified > unmodifiedSince)
        throw preconditionFailed('If-Unmodified-Since');
      if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, object) ? 'not-modified' : 'ok';
      const modifiedSince = parseHttpDate(headers['if-modified-since']);
      return modifiedSince !== undefined && object.lastModified <= modifiedSince ? 'not-modified' : 'ok';
    },
    forWrite(existing) {
      if (ifNoneMatch !== undefined) {
        if (ifNoneMatch.trim() !== '*')
          throw new S3Error(
            'NotImplemented',
            'A header you provided implies functionality that is not implemented',
            501,
            { Header: 'If-None-Match' },
          );
        if (existing) throw preconditionFailed('If-None-Match');
      }
      if (ifMatch !== undefined) {
        if (!existing) throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404);
        if (!etagMatches(ifMatch, existing)) throw preconditionFailed('If-Match');
      }
    },
  };
}
