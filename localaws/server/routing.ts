// Which wire protocol a request speaks, what operation it names, and how an error is
// rendered for it. Every service shares one port, so this is decided per request from
// the SigV4 scope's service name, X-Amz-Target and Content-Type.

import {
  ec2Error,
  jsonError,
  parseQueryBody,
  queryError,
  restJsonError,
  xmlNamespaces,
  type JsonVersion,
} from './protocol';
import { s3ErrorResponse } from '../s3/wire';
import { AwsError, type ServiceResponse } from './types';

export interface WireProtocol {
  kind: 'query' | 'json' | 'rest-json' | 'ec2' | 'rest-xml';
  jsonVersion: JsonVersion;
  /** CloudWatch over JSON: errors also carry the awsQuery code in x-amzn-query-error. */
  queryCompatible: boolean;
  namespace: string;
}

/** IAM action prefix per SigV4 service name (CloudWatch signs as `monitoring` but its actions are `cloudwatch:`). */
export function iamPrefix(service: string): string {
  return service === 'monitoring' ? 'cloudwatch' : service;
}

export function detectProtocol(service: string | undefined, headers: Record<string, string>): WireProtocol {
  const contentType = headers['content-type'] ?? '';
  const namespace = (xmlNamespaces as Record<string, string>)[service ?? ''] ?? '';
  const queryCompatible = headers['x-amzn-query-mode'] === 'true' || service === 'monitoring';
  // S3 bodies are the caller's bytes: their Content-Type says nothing about the protocol.
  if (service === 's3') return { kind: 'rest-xml', jsonVersion: '1.0', queryCompatible: false, namespace };
  if (headers['x-amz-target'] !== undefined || contentType.startsWith('application/x-amz-json')) {
    return { kind: 'json', jsonVersion: contentType.includes('1.1') ? '1.1' : '1.0', queryCompatible, namespace };
  }
  if (service === 'lambda') return { kind: 'rest-json', jsonVersion: '1.1', queryCompatible: false, namespace };
  if (service === 'ec2') return { kind: 'ec2', jsonVersion: '1.0', queryCompatible: false, namespace };
  return { kind: 'query', jsonVersion: '1.0', queryCompatible: false, namespace };
}

export function isJson(protocol: WireProtocol): boolean {
  return protocol.kind === 'json' || protocol.kind === 'rest-json';
}

/** The operation name: from X-Amz-Target (`Prefix.Op`) or the awsQuery `Action`. */
export function operationOf(
  protocol: WireProtocol,
  headers: Record<string, string>,
  body: Buffer,
  query: URLSearchParams,
): string | undefined {
  const target = headers['x-amz-target'];
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  if (protocol.kind === 'query' || protocol.kind === 'ec2') {
    const formBody = (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
      ? body
      : Buffer.alloc(0);
    return parseQueryBody(formBody, query).Action;
  }
  return undefined;
}

export function renderError(err: AwsError, protocol: WireProtocol, requestId: string): ServiceResponse {
  switch (protocol.kind) {
    case 'json':
      return jsonError(err, requestId, { queryCompatible: protocol.queryCompatible, version: protocol.jsonVersion });
    case 'rest-json':
      return restJsonError(err, requestId);
    case 'ec2':
      return ec2Error(err, requestId);
    case 'rest-xml':
      return s3ErrorResponse(err, requestId);
    default:
      return queryError(err, requestId, protocol.namespace);
  }
}

/** Access denied in the protocol's own vocabulary. */
export function accessDeniedError(protocol: WireProtocol, message: string): AwsError {
  if (protocol.kind === 'ec2')
    return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403);
  if (protocol.kind === 'rest-json') return new AwsError('AccessDeniedException', message, 403);
  if (protocol.kind === 'json' && !protocol.queryCompatible) return new AwsError('AccessDeniedException', message, 400);
  return new AwsError('AccessDenied', message, 403);
}

export function throttlingError(protocol: WireProtocol): AwsError {
  if (protocol.kind === 'rest-xml')
    return new AwsError('SlowDown', 'Please reduce your request rate.', 503, 'Receiver');
  return protocol.kind === 'json' && !protocol.queryCompatible
    ? new AwsError('ThrottlingException', 'Rate exceeded', 400)
    : new AwsError('Throttling', 'Rate exceeded', 400);
}
