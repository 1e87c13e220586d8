// The CloudWatch Logs (`logs`) handler of the local endpoint: awsJson1_1,
// X-Amz-Target Logs_20140328.<Op>, epoch-millisecond timestamps, errors as
// {"__type","message"}. Each operation authorizes logs:<Op> on its log group's ARN.

import type { Loose } from '../cloudwatch/input';
import type { World } from '../demo/world';
import { defaultWorlds } from '../demo/registry';
import { filterLogEvents } from './filterLogEvents';
import { createLogGroup, createLogStream, describeLogGroups } from './groups';
import { putLogEvents } from './putLogEvents';
import { jsonError, jsonResponse, parseJsonBody } from '../server/protocol';
import { AwsError, type CallContext, type ServiceHandler } from '../server/types';

export const logsTargetPrefix = 'Logs_20140328.';

type Operation = (world: World, input: Loose, ctx: CallContext) => Loose;

const operations: Record<string, Operation> = {
  DescribeLogGroups: describeLogGroups,
  FilterLogEvents: filterLogEvents,
  CreateLogGroup: createLogGroup,
  CreateLogStream: createLogStream,
  PutLogEvents: putLogEvents,
};

export function createLogsHandler(worldOf: (ctx: CallContext) => World): ServiceHandler {
  return (req, ctx) => {
    try {
      const target = req.headers['x-amz-target'] ?? '';
      const name = target.startsWith(logsTargetPrefix) ? target.slice(logsTargetPrefix.length) : '';
      const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
      if (!operation)
        throw new AwsError(
          'UnknownOperationException',
          `The local endpoint does not implement CloudWatch Logs operation: ${target || '(no X-Amz-Target)'}`,
        );
      return jsonResponse(operation(worldOf(ctx), parseJsonBody(req.body) as Loose, ctx), req.requestId, '1.1');
    } catch (error) {
      if (error instanceof AwsError) return jsonError(error, req.requestId, { version: '1.1' });
      throw error;
    }
  };
}

export const handleLogs: ServiceHandler = createLogsHandler((ctx) => defaultWorlds.forCall(ctx));
