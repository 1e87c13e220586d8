// The CloudWatch (`monitoring`) handler of the local endpoint: ListMetrics,
// GetMetricData, DescribeAlarms and PutMetricData in both wire protocols.
// `handleCloudWatch` serves a process-wide registry of worlds; servers that know their
// start time build their own with createDemoServices (demoDataServices.ts).

import { describeAlarms } from './cloudwatchDescribeAlarms';
import { getMetricData } from './cloudwatchGetMetricData';
import type { Loose } from './cloudwatchInput';
import { listMetrics } from './cloudwatchListMetrics';
import { putMetricData } from './cloudwatchPutMetricData';
import { readCloudWatchCall, renderError, renderResult, unknownOperation } from './cloudwatchWire';
import type { World } from './demoData';
import { defaultWorlds } from './demoDataRegistry';
import { AwsError, type CallContext, type ServiceHandler } from './types';

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
