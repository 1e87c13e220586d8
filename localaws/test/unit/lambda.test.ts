// The Lambda handler called directly: REST routes, how a {FunctionName} segment is
// resolved (name, name:qualifier, partial and full ARN), what each call authorizes
// (before the function is looked up), reserved concurrency rules and Invoke's variants.

import assert from 'node:assert/strict';
import { fakeContext } from '../../testing/cloudwatchKit';
import { createLambdaHandler } from '../../lambda/handler';
import { matchLambdaRoute, parseFunctionRef } from '../../lambda/routes';
import { AwsError, type ServiceHandler, type ServiceRequest, type ServiceResponse } from '../../server/types';

const start = Date.UTC(2026, 10, 2, 9, 0, 0);
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;

function lambdaRequest(
  method: string,
  pathAndQuery: string,
  body = '',
  headers: Record<string, string> = {},
): ServiceRequest {
  const [path, query] = pathAndQuery.split('?');
  return {
    service: 'lambda',
    region: 'us-east-1',
    method,
    path: path ?? '/',
    query: new URLSearchParams(query ?? ''),
    headers,
    body: Buffer.from(body),
    requestId: 'req-1',
  };
}

async function rejectsAws(
  promise: Promise<unknown> | unknown,
  code: string,
  status?: number,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(
    async () => promise,
    (e: unknown) => {
      assert.ok(e instanceof AwsError, String(e));
      assert.equal(e.code, code, e.message);
      if (status !== undefined) assert.equal(e.status, status);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

describe('local Lambda routes and function names', () => {
  it('maps methods and paths to operations, decoding the function segment', () => {
    assert.deepEqual(matchLambdaRoute('GET', '/2015-03-31/functions/'), {
      operation: 'ListFunctions',
      functionName: undefined,
    });
    assert.deepEqual(matchLambdaRoute('GET', '/2015-03-31/functions'), {
      operation: 'ListFunctions',
      functionName: undefined,
    });
    assert.deepEqual(matchLambdaRoute('GET', `/2015-03-31/functions/${encodeURIComponent(arnOf('x'))}`), {
      operation: 'GetFunction',
      functionName: arnOf('x'),
    });
    assert.equal(matchLambdaRoute('PUT', '/2017-10-31/functions/x/concurrency').operation, 'PutFunctionConcurrency');
    assert.equal(matchLambdaRoute('PUT', '/2015-03-31/functions/x/concurrency').operation, 'PutFunctionConcurrency');
    assert.equal(matchLambdaRoute('GET', '/2019-09-30/functions/x/concurrency').operation, 'GetFunctionConcurrency');
    assert.equal(matchLambdaRoute('POST', '/2015-03-31/functions/x/invocations').operation, 'Invoke');
    assert.throws(
      () => matchLambdaRoute('DELETE', '/2015-03-31/functions/x'),
      (e: AwsError) => e.code === 'UnknownOperationException' && e.status === 404,
    );
  });

  it('resolves names, qualifiers, partial and full ARNs; refuses malformed names', () => {
    const ctx = fakeContext(start);
    assert.deepEqual(parseFunctionRef('image-resizer', null, ctx), {
      name: 'image-resizer',
      qualifier: undefined,
      arn: arnOf('image-resizer'),
    });
    assert.deepEqual(parseFunctionRef('image-resizer:prod', null, ctx), {
      name: 'image-resizer',
      qualifier: 'prod',
      arn: arnOf('image-resizer'),
    });
    assert.deepEqual(parseFunctionRef('image-resizer', '$LATEST', ctx), {
      name: 'image-resizer',
      qualifier: '$LATEST',
      arn: arnOf('image-resizer'),
    });
    assert.equal(parseFunctionRef('111122223333:function:nightly-report', null, ctx).arn, arnOf('nightly-report'));
    assert.equal(
      parseFunctionRef('arn:aws:lambda:eu-west-1:444455556666:function:f:7', null, ctx).arn,
      'arn:aws:lambda:eu-west-1:444455556666:function:f',
    );
    assert.throws(
      () => parseFunctionRef('bad name!', null, ctx),
      (e: AwsError) =>
        e.code === 'ValidationException' && /at 'functionName' failed to satisfy constraint/.test(e.message),
    );
    assert.throws(
      () => parseFunctionRef('f'.repeat(65), null, ctx),
      (e: AwsError) => e.code === 'ValidationException',
    );
  });
});

describe('local Lambda handler', () => {
  let lambda: ServiceHandler;
  beforeEach(() => {
    lambda = createLambdaHandler(start);
  });
  const call = async (req: ServiceRequest, deny?: RegExp) => {
    const ctx = fakeContext(start, deny);
    const response = (await lambda(req, ctx)) as ServiceResponse;
    return { response, ctx, json: String(response.body) === '' ? undefined : JSON.parse(String(response.body)) };
  };

  it('ListFunctions authorizes lambda:ListFunctions on *, pages with MaxItems and Marker', async () => {
    const { json, ctx } = await call(lambdaRequest('GET', '/2015-03-31/functions/?MaxItems=2'));
    assert.deepEqual(ctx.authorized, ['lambda:ListFunctions *']);
    assert.deepEqual(
      json.Functions.map((f: { FunctionName: string }) => f.FunctionName),
      ['checkout-handler', 'image-resizer'],
    );
    assert.equal(json.Functions[0].LastModified, new Date(start - 6 * 86_400_000).toISOString().replace('Z', '+0000'));
    const next = await call(
      lambdaRequest('GET', `/2015-03-31/functions/?MaxItems=2&Marker=${encodeURIComponent(json.NextMarker)}`),
    );
    assert.deepEqual(next.json, { Functions: [next.json.Functions[0]] });
    assert.equal(next.json.Functions[0].FunctionName, 'nightly-report');
    await rejectsAws(call(lambdaRequest('GET', '/2015-03-31/functions/?MaxItems=0')), 'InvalidParameterValueException');
  });

  it('authorizes on the function ARN before looking the function up', async () => {
    await rejectsAws(call(lambdaRequest('GET', '/2015-03-31/functions/ghost'), /GetFunction/), 'AccessDenied');
    await rejectsAws(
      call(lambdaRequest('GET', '/2015-03-31/functions/ghost')),
      'ResourceNotFoundException',
      404,
      /^Function not found: arn:aws:lambda:us-east-1:111122223333:function:ghost$/,
    );
    await rejectsAws(
      call(lambdaRequest('GET', '/2015-03-31/functions/checkout-handler:prod')),
      'ResourceNotFoundException',
      404,
      /function:checkout-handler:prod$/,
    );
    await rejectsAws(
      call(
        lambdaRequest(
          'GET',
          `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:eu-west-1:111122223333:function:checkout-handler')}`,
        ),
      ),
      'ResourceNotFoundException',
    );
    const { ctx, json } = await call(lambdaRequest('POST', '/2015-03-31/functions/checkout-handler/invocations', '{}'));
    assert.deepEqual(ctx.authorized, [`lambda:InvokeFunction ${arnOf('checkout-handler')}`]);
    assert.equal(json.function, 'checkout-handler');
  });

  it('PutFunctionConcurrency: whole numbers only, and 100 must stay unreserved', async () => {
    const put = (fn: string, body: string) =>
      call(
        lambdaRequest('PUT', `/2017-10-31/functions/${fn}/concurrency`, body, { 'content-type': 'application/json' }),
      );
    assert.deepEqual((await put('image-resizer', '{"ReservedConcurrentExecutions":50}')).json, {
      ReservedConcurrentExecutions: 50,
    });
    assert.deepEqual((await call(lambdaRequest('GET', '/2019-09-30/functions/image-resizer/concurrency'))).json, {
      ReservedConcurrentExecutions: 50,
    });
    // 200 (checkout) + 1 (nightly) + 699 = 900 reserved leaves exactly 100.
    assert.equal((await put('image-resizer', '{"ReservedConcurrentExecutions":699}')).response.status, 200);
    await rejectsAws(
      put('image-resizer', '{"ReservedConcurrentExecutions":700}'),
      'InvalidParameterValueException',
      400,
      /minimum value of \[100\]/,
    );
    await rejectsAws(put('image-resizer', '{"ReservedConcurrentExecutions":-1}'), 'InvalidParameterValueException');
    await rejectsAws(put('image-resizer', '{"ReservedConcurrentExecutions":1.5}'), 'InvalidParameterValueException');
    await rejectsAws(put('image-resizer', 'not json'), 'InvalidRequestContentException');
  });

  it('Invoke: RequestResponse echoes the payload; Event is 202; DryRun is 204 and runs nothing', async () => {
    const invoke = (headers: Record<string, string>, body = '{"n":1}') =>
      call(lambdaRequest('POST', '/2015-03-31/functions/nightly-report/invocations', body, headers));
    const dry = await invoke({ 'x-amz-invocation-type': 'DryRun' });
    assert.equal(dry.response.status, 204);
    const first = await invoke({ 'x-amz-log-type': 'Tail' });
    assert.equal(first.response.status, 200);
    assert.equal(first.response.headers['x-amz-executed-version'], '$LATEST');
    assert.deepEqual([first.json.invocation, first.json.received], [1, { n: 1 }]);
    const log = Buffer.from(first.response.headers['x-amz-log-result'] ?? '', 'base64').toString('utf8');
    assert.match(log, /^START RequestId: req-1 Version: \$LATEST\n/);
    assert.match(log, /Memory Size: 512 MB/);
    assert.equal((await invoke({ 'x-amz-invocation-type': 'Event' })).response.status, 202);
    assert.equal((await invoke({})).json.invocation, 3);
    assert.equal((await invoke({}, '')).json.received.constructor, Object);
    await rejectsAws(invoke({}, '{not json'), 'InvalidRequestContentException', 400);
    await rejectsAws(invoke({ 'x-amz-invocation-type': 'Later' }), 'InvalidParameterValueException');
  });

  it('Invoke of a function with reserved concurrency 0 is TooManyRequestsException (429)', async () => {
    await call(
      lambdaRequest('PUT', '/2017-10-31/functions/image-resizer/concurrency', '{"ReservedConcurrentExecutions":0}'),
    );
    await rejectsAws(
      call(lambdaRequest('POST', '/2015-03-31/functions/image-resizer/invocations', '{}')),
      'TooManyRequestsException',
      429,
    );
  });
});
