// CloudWatch's two wire protocols around one set of operations: awsJson1_0 with query
// compatibility (current SDKs: X-Amz-Target GraniteServiceVersion20100801.<Op>, epoch
// seconds) and awsQuery (older SDKs, botocore/AWS CLI 2.9: form-encoded Action=<Op>,
// XML replies, ISO 8601, `.member.N` lists). Operations return plain objects whose
// timestamps are Dates; only this file knows how each protocol writes them.

import { AwsError, type ServiceRequest, type ServiceResponse } from '../server/types';
import {
  jsonError,
  jsonResponse,
  parseJsonBody,
  queryError,
  queryResponse,
  xmlEscape,
  xmlNamespaces,
} from '../server/protocol';
import { unflattenQuery, type Loose } from './input';

export const cloudWatchTargetPrefix = 'GraniteServiceVersion20100801.';
export const cloudWatchApiVersion = '2010-08-01';

export interface CloudWatchCall {
  protocol: 'json' | 'query';
  operation: string;
  /** Parses the input on demand, so an unknown operation fails before a malformed body. */
  input(): Loose;
}

export function readCloudWatchCall(req: ServiceRequest): CloudWatchCall {
  const target = req.headers['x-amz-target'];
  if (target !== undefined) {
    const operation = target.startsWith(cloudWatchTargetPrefix) ? target.slice(cloudWatchTargetPrefix.length) : target;
    return { protocol: 'json', operation, input: () => parseJsonBody(req.body) as Loose };
  }
  const params = new URLSearchParams(req.query);
  const contentType = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
  }
  return { protocol: 'query', operation: params.get('Action') ?? '', input: () => unflattenQuery(params) };
}

/** The "operation not found" error in the call's protocol. */
export function unknownOperation(call: CloudWatchCall): AwsError {
  return call.protocol === 'json'
    ? new AwsError(
        'UnknownOperationException',
        `The local endpoint does not implement CloudWatch operation: ${call.operation || '(none)'}`,
      )
    : new AwsError(
        'InvalidAction',
        `Could not find operation ${call.operation || '(none)'} for version ${cloudWatchApiVersion}`,
      );
}

/** JSON with timestamps as epoch seconds. */
export function toJsonShape(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonShape);
  if (value !== null && typeof value === 'object') {
    const out: Loose = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonShape(v);
    return out;
  }
  return value;
}

/** awsQuery XML: members as elements, lists as `<member>`, timestamps ISO 8601. */
export function toQueryXml(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toQueryXml(v)}</member>`).join('');
  if (value !== null && typeof value === 'object') {
    let xml = '';
    for (const [k, v] of Object.entries(value)) if (v !== undefined) xml += `<${k}>${toQueryXml(v)}</${k}>`;
    return xml;
  }
  return xmlEscape(String(value));
}

export function renderResult(call: CloudWatchCall, output: Loose, requestId: string): ServiceResponse {
  if (call.protocol === 'json') return jsonResponse(toJsonShape(output), requestId, '1.0');
  return queryResponse(call.operation, toQueryXml(output), requestId, xmlNamespaces.monitoring);
}

export function renderError(call: CloudWatchCall, error: AwsError, requestId: string): ServiceResponse {
  if (call.protocol === 'json') return jsonError(error, requestId, { queryCompatible: true, version: '1.0' });
  return queryError(error, requestId, xmlNamespaces.monitoring);
}
