// The service handlers the endpoint serves besides STS, by SigV4 service name: CloudWatch
// (`monitoring`) and CloudWatch Logs (`logs`) over the demo data, anchored to the server
// clock's start so every server gets its own deterministic demo and its own stored data;
// RDS, Lambda and EC2 over the demo resources (one read and one write each, so a JIT
// session's scoping shows); S3 for the organisation policy source.
// These handlers authorize each call themselves (ctx.authorize).

import type { WorldRegistry } from '../demo/registry';
import { createDemoServices } from '../demo/services';
import { createEc2Handler } from '../ec2/handler';
import { createLambdaHandler } from '../lambda/handler';
import { createRdsHandler } from '../rds/handler';
import { createS3Handler } from '../s3/handler';
import type { S3Store } from '../s3/store';
import type { ServiceHandler } from './types';

export interface DefaultServices {
  handlers: Record<string, ServiceHandler>;
  /** The demo data behind CloudWatch and Logs. */
  worlds: WorldRegistry;
  /** The buckets and objects behind S3. */
  s3: S3Store;
}

export function defaultServices(startTime: number): DefaultServices {
  const demo = createDemoServices({ startTime });
  const s3 = createS3Handler(startTime);
  return {
    handlers: {
      ...demo.handlers,
      rds: createRdsHandler(startTime),
      lambda: createLambdaHandler(startTime),
      ec2: createEc2Handler(startTime).handler,
      s3: s3.handler,
    },
    worlds: demo.worlds,
    s3: s3.store,
  };
}
