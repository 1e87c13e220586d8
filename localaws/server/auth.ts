// Authenticates a request: a known access key, the right session token for temporary
// keys, not expired (checked before the clock skew, as AWS reads the token first), an
// x-amz-date within 15 minutes, the payload hash and finally the SigV4 signature.
// Failures are protocol-neutral here; authError() names them per protocol.

import { timingSafeEqual } from 'node:crypto';
import {
  computeSignature,
  parseAmzDate,
  parseAuthorization,
  payloadHashMatches,
  signaturesEqual,
  skewMessage,
  type ParsedAuthorization,
  type SignedRequest,
} from './sigv4';
import type { CredentialRecord, LocalAwsState } from './state';
import { AwsError } from './types';

export type AuthFailureKind = 'missing' | 'incomplete' | 'invalid-token' | 'expired' | 'signature';

export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface Authenticated {
  auth: ParsedAuthorization;
  record: CredentialRecord;
}

const invalidToken = 'The security token included in the request is invalid.';
const badSignature =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function tokensEqual(expected: string, given: string | undefined): boolean {
  if (given === undefined || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

function checkCredentials(record: CredentialRecord | undefined, req: SignedRequest, now: number): CredentialRecord {
  if (!record) throw new AuthFailure('invalid-token', invalidToken);
  const token = req.headers['x-amz-security-token'];
  // Temporary keys need their own token; long-term keys must not carry one.
  if (record.sessionToken === undefined ? token !== undefined : !tokensEqual(record.sessionToken, token)) {
    throw new AuthFailure('invalid-token', invalidToken);
  }
  if (record.principal.expiresAt !== undefined && now >= record.principal.expiresAt) {
    throw new AuthFailure('expired', 'The security token included in the request is expired');
  }
  return record;
}

export async function authenticate(req: SignedRequest, state: LocalAwsState, now: number): Promise<Authenticated> {
  if (req.headers.authorization === undefined)
    throw new AuthFailure('missing', 'Request is missing Authentication Token');
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth)
    throw new AuthFailure(
      'incomplete',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters (AWS4-HMAC-SHA256).`,
    );
  const amzDate = req.headers['x-amz-date'];
  const requestMs = parseAmzDate(amzDate);
  if (requestMs === undefined)
    throw new AuthFailure(
      'incomplete',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  const record = checkCredentials(state.credentials.get(auth.accessKeyId), req, now);
  const skew = skewMessage(requestMs, now);
  if (skew) throw new AuthFailure('signature', skew);
  if (auth.scopeDate !== amzDate?.slice(0, 8)) {
    throw new AuthFailure(
      'signature',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate?.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (!payloadHashMatches(req))
    throw new AuthFailure('signature', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  const expected = await computeSignature(req, auth, record.secretAccessKey, requestMs);
  if (!signaturesEqual(expected, auth.signature)) throw new AuthFailure('signature', badSignature);
  return { auth, record };
}

const codes: Record<AuthFailureKind, { query: string; json: string; queryStatus: number }> = {
  missing: { query: 'MissingAuthenticationToken', json: 'MissingAuthenticationTokenException', queryStatus: 403 },
  incomplete: { query: 'IncompleteSignature', json: 'IncompleteSignatureException', queryStatus: 403 },
  'invalid-token': { query: 'InvalidClientTokenId', json: 'UnrecognizedClientException', queryStatus: 403 },
  expired: { query: 'ExpiredToken', json: 'ExpiredTokenException', queryStatus: 400 },
  signature: { query: 'SignatureDoesNotMatch', json: 'InvalidSignatureException', queryStatus: 403 },
};

/** The failure in the vocabulary of the request's protocol (awsQuery or JSON). */
export function authError(failure: AuthFailure, json: boolean): AwsError {
  const c = codes[failure.kind];
  return json
    ? new AwsError(c.json, failure.message, failure.kind === 'missing' ? 403 : 400)
    : new AwsError(c.query, failure.message, c.queryStatus);
}
