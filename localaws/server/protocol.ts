// Wire helpers shared by every handler of the local endpoint: the awsQuery protocol
// (form-encoded requests, XML replies: STS, CloudWatch for older clients, RDS, EC2) and
// the awsJson protocols (CloudWatch 1.0 with query compatibility, CloudWatch Logs 1.1).

import { AwsError, type ServiceResponse } from './types';

export const xmlNamespaces = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  monitoring: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
} as const;

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text content and double-quoted attribute values. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"]/g, (c) => xmlEntities[c] ?? c);
}

/** `<tag>value</tag>`, escaped; nothing at all when the value is undefined. */
export function xmlElement(tag: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${tag}>${xmlEscape(String(value))}</${tag}>`;
}

/**
 * An awsQuery request's parameters as one flat record: the URL query first, then the
 * form-encoded body (which wins, as the body is where POST clients put them).
 */
/** An awsJson request body as an object; AWS answers SerializationException otherwise. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function parseQueryBody(body: Buffer | string, query?: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {};
  query?.forEach((value, key) => {
    params[key] = value;
  });
  const text = typeof body === 'string' ? body : body.toString('utf8');
  new URLSearchParams(text).forEach((value, key) => {
    params[key] = value;
  });
  return params;
}

/**
 * Reads a flattened list of structures, e.g. `Tags.member.1.Key` / `Tags.member.1.Value`
 * → `[{ Key, Value }]`, in index order. Also accepts the `Prefix.N.Field` form (no
 * `member`) that some query services use.
 */
export function readMemberList(params: Record<string, string>, prefix: string): Record<string, string>[] {
  const byIndex = new Map<number, Record<string, string>>();
  const pattern = new RegExp(`^${escapeRegExp(prefix)}\\.(?:member\\.)?(\\d+)(?:\\.(.+))?$`);
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const entry = byIndex.get(index) ?? {};
    entry[match[2] ?? ''] = value;
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, entry]) => entry);
}

/** Reads a flattened list of scalars, e.g. `PolicyArns.member.N` → values in index order. */
export function readScalarList(params: Record<string, string>, prefix: string): string[] {
  return readMemberList(params, prefix).map((entry) => entry[''] ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The XML text of a successful awsQuery reply. */
export function queryResponseXml(
  action: string,
  resultXmlInner: string,
  requestId: string,
  namespace: string = xmlNamespaces.sts,
): string {
  return (
    `<${action}Response xmlns="${namespace}"><${action}Result>${resultXmlInner}</${action}Result>` +
    `<ResponseMetadata><RequestId>${xmlEscape(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryResponse(
  action: string,
  resultXmlInner: string,
  requestId: string,
  namespace: string = xmlNamespaces.sts,
): ServiceResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: queryResponseXml(action, resultXmlInner, requestId, namespace),
  };
}

/** awsQuery error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function queryError(err: AwsError, requestId: string, namespace: string = xmlNamespaces.sts): ServiceResponse {
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error>${xmlElement('Type', err.fault)}${xmlElement('Code', err.code)}` +
    `${xmlElement('Message', err.message)}</Error>${xmlElement('RequestId', requestId)}</ErrorResponse>`;
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** EC2's own query error shape: `<Response><Errors><Error>…</Error></Errors><RequestID/>`. */
export function ec2Error(err: AwsError, requestId: string): ServiceResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error>${xmlElement('Code', err.code)}` +
    `${xmlElement('Message', err.message)}</Error></Errors>${xmlElement('RequestID', requestId)}</Response>`;
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export type JsonVersion = '1.0' | '1.1';

export function jsonResponse(payload: unknown, requestId: string, version: JsonVersion = '1.0'): ServiceResponse {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId },
    body: JSON.stringify(payload ?? {}),
  };
}

export interface JsonErrorOptions {
  /** Query-compatible services (CloudWatch over JSON) also name the code in a header. */
  queryCompatible?: boolean;
  version?: JsonVersion;
}

/** awsJson error: `{"__type":"<Code>","message":"…"}` (+ `x-amzn-query-error` when query-compatible). */
export function jsonError(err: AwsError, requestId: string, options: JsonErrorOptions = {}): ServiceResponse {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${options.version ?? '1.0'}`,
    'x-amzn-requestid': requestId,
  };
  if (options.queryCompatible) headers['x-amzn-query-error'] = `${err.code};${err.fault}`;
  return { status: err.status, headers, body: JSON.stringify({ __type: err.code, message: err.message }) };
}

/** REST-JSON error (Lambda): the code travels in `x-amzn-errortype`. */
export function restJsonError(err: AwsError, requestId: string): ServiceResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': err.code },
    body: JSON.stringify({ Type: err.fault === 'Sender' ? 'User' : 'Service', message: err.message }),
  };
}
