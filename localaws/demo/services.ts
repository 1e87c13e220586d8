// CloudWatch and Logs handlers that share one registry of worlds anchored to a known
// start time: what a server should plug in when it knows its clock's start
// (`startLocalAws` does), so every server gets its own demo and its own stored data.

import { createCloudWatchHandler } from '../cloudwatch/handler';
import { WorldRegistry, type WorldRegistryOptions } from './registry';
import { createLogsHandler } from '../logs/handler';
import type { ServiceHandler } from '../server/types';

export interface DemoServices {
  /** By SigV4 service name, ready for startLocalAws({ services: demo.handlers }) or registerService. */
  handlers: { monitoring: ServiceHandler; logs: ServiceHandler };
  /** The worlds behind them (tests reach the stores through it). */
  worlds: WorldRegistry;
}

export function createDemoServices(options: WorldRegistryOptions = {}): DemoServices {
  const worlds = new WorldRegistry(options);
  return {
    handlers: {
      monitoring: createCloudWatchHandler((ctx) => worlds.forCall(ctx)),
      logs: createLogsHandler((ctx) => worlds.forCall(ctx)),
    },
    worlds,
  };
}
