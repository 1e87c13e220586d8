// Lambda's REST-JSON routes and names: which operation a method and path mean, and which
// function a `{FunctionName}` path segment names (a name, `name:qualifier`, a partial
// ARN `<account>:function:<name>` or a full ARN), as Lambda resolves them.

import { functionArn } from './data';
import { AwsError, type CallContext, type ServiceResponse } from '../server/types';

export type LambdaOperation =
  'ListFunctions' | 'GetFunction' | 'GetFunctionConcurrency' | 'PutFunctionConcurrency' | 'Invoke';

export interface LambdaRoute {
  operation: LambdaOperation;
  /** The raw, decoded `{FunctionName}` segment. */
  functionName?: string;
}

const routes: { method: string; pattern: RegExp; operation: LambdaOperation }[] = [
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions' },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/?$/, operation: 'GetFunction' },
  { method: 'GET', pattern: /^\/2019-09-30\/functions\/([^/]+)\/concurrency\/?$/, operation: 'GetFunctionConcurrency' },
  // The SDKs use the 2017-10-31 path; the 2015-03-31 one is accepted too.
  {
    method: 'PUT',
    pattern: /^\/(?:2017-10-31|2015-03-31)\/functions\/([^/]+)\/concurrency\/?$/,
    operation: 'PutFunctionConcurrency',
  },
  { method: 'POST', pattern: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, operation: 'Invoke' },
];

export function matchLambdaRoute(method: string, path: string): LambdaRoute {
  for (const route of routes) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match)
      return {
        operation: route.operation,
        functionName: match[1] === undefined ? undefined : decodeURIComponent(match[1]),
      };
  }
  throw new AwsError(
    'UnknownOperationException',
    `The local endpoint does not serve Lambda ${method} ${path} (ListFunctions, GetFunction, GetFunctionConcurrency, PutFunctionConcurrency and Invoke only).`,
    404,
  );
}

export interface FunctionRef {
  name: string;
  qualifier?: string;
  /** The ARN IAM evaluates and error messages name (unqualified: the function's own). */
  arn: string;
}

const namePattern = /^[a-zA-Z0-9_-]{1,64}$/;
const qualifierPattern = /^(?:\$LATEST|[a-zA-Z0-9_-]{1,128})$/;

function invalidName(raw: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );
}

/** Resolves `{FunctionName}` (+ an optional `Qualifier` query parameter). */
export function parseFunctionRef(raw: string, queryQualifier: string | null, ctx: CallContext): FunctionRef {
  const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(raw);
  const partial = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(raw);
  const plain = /^([^:]+)(?::([^:]+))?$/.exec(raw);
  const [region, account, name, qualifier] = full
    ? [full[1], full[2], full[3], full[4]]
    : partial
      ? [ctx.region, partial[1], partial[2], partial[3]]
      : plain
        ? [ctx.region, ctx.principal.accountId, plain[1], plain[2]]
        : [];
  if (name === undefined || !namePattern.test(name)) throw invalidName(raw);
  const chosen = qualifier ?? queryQualifier ?? undefined;
  if (chosen !== undefined && !qualifierPattern.test(chosen)) throw invalidName(raw);
  return { name, qualifier: chosen, arn: functionArn(region ?? ctx.region, account ?? ctx.principal.accountId, name) };
}

export function functionNotFound(ref: FunctionRef): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    `Function not found: ${ref.arn}${ref.qualifier ? `:${ref.qualifier}` : ''}`,
    404,
  );
}

export function lambdaJson(status: number, payload: unknown, requestId: string): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(payload),
  };
}
