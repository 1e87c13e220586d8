// The service handlers the endpoint serves besides STS, by SigV4 service name: CloudWatch
// (`monitoring`) and CloudWatch Logs (`logs`) over the demo data, anchored to the server
// clock's start so every server gets its own deterministic demo and its own stored data.
// These handlers authorize each call themselves (ctx.authorize).

import { createDemoServices, type DemoServices } from './demoDataServices';

export function defaultServices(startTime: number): DemoServices {
  return createDemoServices({ startTime });
}
