// Lambda Invoke on the local endpoint: no code runs; a demo function answers with a small
// JSON document that echoes its input. The HTTP details are Lambda's: 200 with the payload
// (RequestResponse), 202 (Event), 204 (DryRun), X-Amz-Executed-Version, the last 4 KB of
// the log base64-encoded in X-Amz-Log-Result when LogType is Tail, and 429 when the
// function's reserved concurrency is 0.

import type { LambdaFunction } from './data';
import { AwsError, type CallContext, type ServiceRequest, type ServiceResponse } from '../server/types';

const maxPayloadBytes = 6 * 1024 * 1024;
const invocationTypes = ['RequestResponse', 'Event', 'DryRun'] as const;

function parsePayload(body: Buffer): unknown {
  if (body.length > maxPayloadBytes)
    throw new AwsError(
      'RequestTooLargeException',
      `Request must be smaller than ${maxPayloadBytes} bytes for the InvokeFunction operation`,
      413,
    );
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AwsError(
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
}

function tailLog(fn: LambdaFunction, ctx: CallContext, durationMs: number): string {
  const lines = [
    `START RequestId: ${ctx.requestId} Version: $LATEST`,
    `${new Date(ctx.now).toISOString()}\t${ctx.requestId}\tINFO\tinvoked through the local AWS endpoint`,
    `END RequestId: ${ctx.requestId}`,
    `REPORT RequestId: ${ctx.requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${fn.memorySize} MB\tMax Memory Used: 86 MB`,
  ];
  const text = Buffer.from(`${lines.join('\n')}\n`);
  return text.subarray(Math.max(0, text.length - 4096)).toString('base64');
}

export function invokeFunction(fn: LambdaFunction, req: ServiceRequest, ctx: CallContext): ServiceResponse {
  const type = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  if (!(invocationTypes as readonly string[]).includes(type)) {
    throw new AwsError(
      'InvalidParameterValueException',
      `X-Amz-Invocation-Type must be one of ${invocationTypes.join(', ')}: ${type}`,
    );
  }
  const input = parsePayload(req.body);
  const headers: Record<string, string> = { 'x-amzn-requestid': ctx.requestId, 'x-amz-executed-version': '$LATEST' };
  if (type === 'DryRun') return { status: 204, headers, body: '' };
  if (fn.reservedConcurrency === 0) {
    throw new AwsError(
      'TooManyRequestsException',
      "Rate Exceeded. The function's reserved concurrency is 0 (PutFunctionConcurrency), so it cannot run.",
      429,
    );
  }
  fn.invocations += 1;
  if (type === 'Event') return { status: 202, headers, body: '' };
  if (req.headers['x-amz-log-type'] === 'Tail')
    headers['x-amz-log-result'] = tailLog(fn, ctx, 12.5 + (fn.invocations % 7));
  const payload = {
    statusCode: 200,
    function: fn.name,
    requestId: ctx.requestId,
    invocation: fn.invocations,
    received: input,
  };
  return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) };
}
