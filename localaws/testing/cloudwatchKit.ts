// Helpers for unit tests that call the CloudWatch and Logs handlers directly, without
// HTTP or SigV4: a fake CallContext that records (or refuses) authorizations, and
// requests in each wire protocol.

import { XMLParser } from 'fast-xml-parser';
import { cloudWatchApiVersion, cloudWatchTargetPrefix } from '../cloudwatch/wire';
import { logsTargetPrefix } from '../logs/handler';
import { AwsError, type CallContext, type ServiceRequest, type ServiceResponse } from '../server/types';

export const testAccountId = '111122223333';
export const testRegion = 'us-east-1';

export interface FakeContext extends CallContext {
  /** Every authorize call, as "action resource". */
  authorized: string[];
}

/** A context at `now`; actions matching `deny` throw AccessDenied the way the endpoint's evaluator does. */
export function fakeContext(now: number, deny?: RegExp): FakeContext {
  const authorized: string[] = [];
  return {
    principal: {
      accessKeyId: 'AKIAEXAMPLEEXAMPLE01',
      accountId: testAccountId,
      arn: `arn:aws:iam::${testAccountId}:user/test`,
      userId: 'AIDAEXAMPLE',
      kind: 'user',
      permissions: [],
      mfaAuthenticated: false,
    },
    now,
    region: testRegion,
    requestId: 'req-1',
    authorized,
    authorize(action: string, resource?: string) {
      authorized.push(`${action} ${resource ?? '*'}`);
      if (deny?.test(action)) {
        throw new AwsError(
          'AccessDenied',
          `User: arn:aws:iam::${testAccountId}:user/test is not authorized to perform: ${action} on resource: ${resource ?? '*'}`,
          403,
        );
      }
    },
  };
}

function request(service: string, headers: Record<string, string>, body: string): ServiceRequest {
  return {
    service,
    region: testRegion,
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers,
    body: Buffer.from(body),
    requestId: 'req-1',
  };
}

/** CloudWatch over awsJson1_0 with query compatibility, as SDK v3 sends it. */
export function cloudWatchJson(operation: string, input: object): ServiceRequest {
  return request(
    'monitoring',
    {
      'x-amz-target': `${cloudWatchTargetPrefix}${operation}`,
      'x-amzn-query-mode': 'true',
      'content-type': 'application/x-amz-json-1.0',
    },
    JSON.stringify(input),
  );
}

/** CloudWatch over awsQuery, as botocore (AWS CLI 2.9) sends it. */
export function cloudWatchQuery(operation: string, params: Record<string, string>): ServiceRequest {
  const form = new URLSearchParams({ Action: operation, Version: cloudWatchApiVersion, ...params });
  return request('monitoring', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, form.toString());
}

export function logsJson(operation: string, input: object): ServiceRequest {
  return request(
    'logs',
    { 'x-amz-target': `${logsTargetPrefix}${operation}`, 'content-type': 'application/x-amz-json-1.1' },
    JSON.stringify(input),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jsonBody(response: ServiceResponse): any {
  return JSON.parse(String(response.body));
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'member' });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function xmlBody(response: ServiceResponse): any {
  return xml.parse(String(response.body));
}
