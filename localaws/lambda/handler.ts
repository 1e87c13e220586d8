// The Lambda (`lambda`) handler of the local endpoint: REST-JSON (errors carry their code
// in x-amzn-errortype). ListFunctions, GetFunction and GetFunctionConcurrency (read),
// PutFunctionConcurrency and Invoke (write) over the demo functions; each authorized as
// lambda:<Action> on the function ARN before the function is looked up, as Lambda does.

import { demoAccountId, demoRegion } from '../iam/identities';
import { invokeFunction } from './invoke';
import {
  accountConcurrencyLimit,
  createDemoFunctions,
  functionArn,
  functionConfiguration,
  minimumUnreservedConcurrency,
  type LambdaFunction,
} from './data';
import { functionNotFound, lambdaJson, matchLambdaRoute, parseFunctionRef, type FunctionRef } from './routes';
import {
  AwsError,
  type CallContext,
  type ServiceHandler,
  type ServiceRequest,
  type ServiceResponse,
} from '../server/types';

export type LambdaFunctions = Map<string, LambdaFunction>;

function lookup(functions: LambdaFunctions, ref: FunctionRef, ctx: CallContext): LambdaFunction {
  const fn = functions.get(ref.name);
  const here = ref.arn === functionArn(ctx.region, ctx.principal.accountId, ref.name);
  if (!fn || !here || (ref.qualifier !== undefined && ref.qualifier !== '$LATEST')) throw functionNotFound(ref);
  return fn;
}

function readJsonBody(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below, in Lambda's words
  }
  throw new AwsError(
    'InvalidRequestContentException',
    'Could not parse request body into json: the body must be a JSON object.',
  );
}

function listFunctions(functions: LambdaFunctions, req: ServiceRequest, ctx: CallContext): ServiceResponse {
  ctx.authorize('lambda:ListFunctions', '*');
  const maxItems = req.query.get('MaxItems');
  const max = maxItems === null ? 50 : Number(maxItems);
  if (!Number.isInteger(max) || max < 1 || max > 10_000)
    throw new AwsError('InvalidParameterValueException', `MaxItems must be between 1 and 10000: ${maxItems}`);
  const marker = req.query.get('Marker');
  const offset = marker === null ? 0 : Number(Buffer.from(marker, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0)
    throw new AwsError(
      'InvalidParameterValueException',
      'The Marker is not valid; pass the NextMarker of the previous page.',
    );
  const all = [...functions.values()].sort((a, b) => a.name.localeCompare(b.name));
  const page = all
    .slice(offset, offset + max)
    .map((fn) => functionConfiguration(fn, ctx.region, ctx.principal.accountId));
  const next = offset + max < all.length ? { NextMarker: Buffer.from(String(offset + max)).toString('base64') } : {};
  return lambdaJson(200, { Functions: page, ...next }, ctx.requestId);
}

function getFunction(fn: LambdaFunction, ctx: CallContext): ServiceResponse {
  const configuration = functionConfiguration(fn, ctx.region, ctx.principal.accountId);
  const location = `https://awslambda-${ctx.region}-tasks.s3.${ctx.region}.amazonaws.com/snapshots/${ctx.principal.accountId}/${fn.name}-${String(configuration.RevisionId)}`;
  return lambdaJson(
    200,
    {
      Configuration: configuration,
      Code: { RepositoryType: 'S3', Location: location },
      Tags: { env: 'prod' },
      ...(fn.reservedConcurrency === undefined
        ? {}
        : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
    },
    ctx.requestId,
  );
}

function putConcurrency(
  functions: LambdaFunctions,
  fn: LambdaFunction,
  body: Buffer,
  ctx: CallContext,
): ServiceResponse {
  const value = readJsonBody(body).ReservedConcurrentExecutions;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new AwsError(
      'InvalidParameterValueException',
      `ReservedConcurrentExecutions must be a whole number of 0 or more: ${JSON.stringify(value)}`,
    );
  }
  const others = [...functions.values()]
    .filter((f) => f !== fn)
    .reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
  if (accountConcurrencyLimit - others - value < minimumUnreservedConcurrency) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimumUnreservedConcurrency}].`,
    );
  }
  fn.reservedConcurrency = value;
  return lambdaJson(200, { ReservedConcurrentExecutions: value }, ctx.requestId);
}

function serve(functions: LambdaFunctions, req: ServiceRequest, ctx: CallContext): ServiceResponse {
  const route = matchLambdaRoute(req.method, req.path);
  if (route.operation === 'ListFunctions') return listFunctions(functions, req, ctx);
  const ref = parseFunctionRef(route.functionName ?? '', req.query.get('Qualifier'), ctx);
  const action = route.operation === 'Invoke' ? 'InvokeFunction' : route.operation;
  ctx.authorize(`lambda:${action}`, ref.arn);
  const fn = lookup(functions, ref, ctx);
  switch (route.operation) {
    case 'GetFunction':
      return getFunction(fn, ctx);
    case 'GetFunctionConcurrency':
      return lambdaJson(
        200,
        fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency },
        ctx.requestId,
      );
    case 'PutFunctionConcurrency':
      return putConcurrency(functions, fn, req.body, ctx);
    default:
      return invokeFunction(fn, req, ctx);
  }
}

/** One Lambda per server: `startTime` anchors the demo functions' LastModified. */
export function createLambdaHandler(startTime: number): ServiceHandler {
  const regions = new Map<string, LambdaFunctions>();
  return (req, ctx) => {
    const key = `${ctx.principal.accountId}/${ctx.region}`;
    let functions = regions.get(key);
    if (!functions) {
      functions =
        ctx.principal.accountId === demoAccountId && ctx.region === demoRegion
          ? createDemoFunctions(startTime)
          : new Map();
      regions.set(key, functions);
    }
    return serve(functions, req, ctx);
  };
}
