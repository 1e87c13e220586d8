// The CloudWatch (`monitoring`) handler of the local endpoint: ListMetrics,
// GetMetricData, DescribeAlarms and PutMetricData in both wire protocols.
// `handleCloudWatch` serves a process-wide registry of worlds; servers that know their
// start time build their own with createDemoServices (demo/services.ts).

import { describeAlarms } from './describeAlarms';
import { getMetricData } from './getMetricData';
import type { Loose } from './input';
import { listMetrics } from './listMetrics';
import { putMetricData } from './putMetricData';
import { readCloudWatchCall, renderError, renderResult, unknownOperation } from './wire';
import type { World } from '../demo/world';
import { defaultWorlds } from '../demo/registry';
import { AwsError, type CallContext, type ServiceHandler } from '../server/types';

type Operation = (world: World, input: Loose, now: number) => Loose;

const operations: Record<string, Operation> = {
  ListMetrics: listMetrics,
  GetMetricData: getMetricData,
  DescribeAlarms: describeAlarms,
  PutMetricData: putMetricData,
};

export function createCloudWatchHandler(worldOf: (ctx: CallContext) => World): ServiceHandler {
  return (req, ctx) => {
    const call = readCloudWatchCall(req);
    try {
      const operation = Object.hasOwn(operations, call.operation) ? operations[call.operation] : undefined;
      if (!operation) throw unknownOperation(call);
      ctx.authorize(`cloudwatch:${call.operation}`);
      return renderResult(call, operation(worldOf(ctx), call.input(), ctx.now), req.requestId);
    } catch (error) {
      if (error instanceof AwsError) return renderError(call, error, req.requestId);
      throw error;
    }
  };
}

export const handleCloudWatch: ServiceHandler = createCloudWatchHandler((ctx) => defaultWorlds.forCall(ctx));
