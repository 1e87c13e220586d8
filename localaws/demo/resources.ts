// The demo's resources for all nine catalog services and how each key metric behaves,
// including who takes part in the incident (orders-db saturates, checkout-handler fails,
// the ALB and API return 5XX, orders-queue backs up).

import type { ServiceId } from '../../src/core/catalog';
import type { ModelSpec } from './model';
import type { Dimension } from '../cloudwatch/metricsStore';

export interface DemoResource {
  service: ServiceId;
  /** The resource dimensions (catalog resourceDimensions order). */
  dimensions: Dimension[];
  /** Per metric: the model, and extra dimensions the metric carries (S3 StorageType). */
  metrics: Record<string, ModelSpec & { extraDimensions?: Dimension[] }>;
}

const dim = (Name: string, Value: string): Dimension => ({ Name, Value });

function ec2(id: string, scale: number): DemoResource {
  return {
    service: 'ec2',
    dimensions: [dim('InstanceId', id)],
    metrics: {
      CPUUtilization: { kind: 'gauge', base: 12 * scale, daily: 30 * scale, noise: 0.12, max: 100 },
      NetworkIn: { kind: 'counter', base: 2.0e7 * scale, daily: 6.0e7 * scale, noise: 0.15 },
      NetworkOut: { kind: 'counter', base: 3.5e7 * scale, daily: 9.0e7 * scale, noise: 0.15 },
      StatusCheckFailed: { kind: 'gauge', base: 0 },
    },
  };
}

function rds(id: string, scale: number, incident: boolean): DemoResource {
  return {
    service: 'rds',
    dimensions: [dim('DBInstanceIdentifier', id)],
    metrics: {
      CPUUtilization: {
        kind: 'gauge',
        base: 14 * scale,
        daily: 22 * scale,
        noise: 0.08,
        max: 100,
        ...(incident ? { incidentValue: 95 } : {}),
      },
      DatabaseConnections: {
        kind: 'counter',
        base: 35 * scale,
        daily: 60 * scale,
        noise: 0.06,
        ...(incident ? { incidentValue: 480 } : {}),
      },
      FreeStorageSpace: { kind: 'gauge', base: 214e9 / scale, trendPerDay: -0.4e9, noise: 0.0005 },
      FreeableMemory: {
        kind: 'gauge',
        base: 6.4e9,
        daily: -1.2e9,
        noise: 0.02,
        ...(incident ? { incidentValue: 0.9e9 } : {}),
      },
      ReadLatency: {
        kind: 'gauge',
        base: 0.0011,
        daily: 0.0007,
        noise: 0.15,
        ...(incident ? { incidentValue: 0.048 } : {}),
      },
      WriteLatency: {
        kind: 'gauge',
        base: 0.0023,
        daily: 0.0009,
        noise: 0.15,
        ...(incident ? { incidentValue: 0.021 } : {}),
      },
    },
  };
}

function lambda(
  name: string,
  rate: number,
  meanMs: number,
  incident: boolean,
  activeMinutes?: [number, number],
): DemoResource {
  const active = activeMinutes ? { activeMinutes } : {};
  return {
    service: 'lambda',
    dimensions: [dim('FunctionName', name)],
    metrics: {
      Invocations: { kind: 'counter', base: rate * 0.3, daily: rate * 0.7, noise: 0.1, ...active },
      Errors: { kind: 'counter', base: 0.3, noise: 0.9, ...active, ...(incident ? { incidentValue: 38 } : {}) },
      Throttles: { kind: 'counter', base: 0, ...active, ...(incident ? { incidentValue: 6 } : {}) },
      Duration: {
        kind: 'latency',
        base: meanMs,
        daily: meanMs * 0.2,
        noise: 0.1,
        spread: 0.45,
        max: 15 * 60_000,
        rate: { base: rate * 0.3, daily: rate * 0.7 },
        ...active,
        ...(incident ? { incidentValue: 4300 } : {}),
      },
      ConcurrentExecutions: {
        kind: 'counter',
        base: rate * 0.02 + 1,
        daily: rate * 0.05,
        noise: 0.2,
        ...active,
        ...(incident ? { incidentValue: rate * 0.4 } : {}),
      },
    },
  };
}

function ecs(service: string, cpu: number, memory: number, incident: boolean): DemoResource {
  return {
    service: 'ecs',
    dimensions: [dim('ClusterName', 'prod'), dim('ServiceName', service)],
    metrics: {
      CPUUtilization: {
        kind: 'gauge',
        base: cpu,
        daily: cpu,
        noise: 0.1,
        max: 100,
        ...(incident ? { incidentValue: 71 } : {}),
      },
      MemoryUtilization: { kind: 'gauge', base: memory, daily: 8, noise: 0.03, max: 100 },
    },
  };
}

function dynamodb(table: string, reads: number): DemoResource {
  return {
    service: 'dynamodb',
    dimensions: [dim('TableName', table)],
    metrics: {
      ConsumedReadCapacityUnits: { kind: 'counter', base: reads * 0.3, daily: reads * 0.7, noise: 0.1 },
      ConsumedWriteCapacityUnits: { kind: 'counter', base: reads * 0.08, daily: reads * 0.2, noise: 0.1 },
      ThrottledRequests: { kind: 'counter', base: 0 },
      SuccessfulRequestLatency: { kind: 'gauge', base: 3.8, daily: 1.6, noise: 0.12 },
      SystemErrors: { kind: 'counter', base: 0 },
    },
  };
}

function s3(bucket: string, bytes: number, objects: number): DemoResource {
  return {
    service: 's3',
    dimensions: [dim('BucketName', bucket)],
    metrics: {
      BucketSizeBytes: {
        kind: 'gauge',
        base: bytes,
        trendPerDay: bytes * 0.01,
        dailyOnly: true,
        extraDimensions: [dim('StorageType', 'StandardStorage')],
      },
      NumberOfObjects: {
        kind: 'counter',
        base: objects,
        trendPerDay: objects * 0.008,
        dailyOnly: true,
        extraDimensions: [dim('StorageType', 'AllStorageTypes')],
      },
    },
  };
}

function sqs(queue: string, sent: number, dlq: boolean, incident: boolean): DemoResource {
  const backlog = incident ? { incidentValue: 4200, incidentShape: 'backlog' as const } : {};
  const dead = dlq ? { incidentValue: 17, incidentShape: 'persist' as const } : {};
  return {
    service: 'sqs',
    dimensions: [dim('QueueName', queue)],
    metrics: {
      ApproximateNumberOfMessagesVisible: {
        kind: 'counter',
        base: dlq ? 2 : 8,
        daily: dlq ? 0 : 40,
        noise: 0.3,
        ...backlog,
        ...dead,
      },
      ApproximateAgeOfOldestMessage: {
        kind: 'counter',
        base: dlq ? 86_400 : 4,
        daily: dlq ? 0 : 20,
        noise: 0.2,
        ...(incident ? { incidentValue: 1900, incidentShape: 'backlog' as const } : {}),
      },
      NumberOfMessagesSent: {
        kind: 'counter',
        base: sent * 0.3,
        daily: sent * 0.7,
        noise: 0.1,
        ...(dlq ? { incidentValue: 0.5 } : {}),
      },
    },
  };
}

function alb(name: string): DemoResource {
  return {
    service: 'alb',
    dimensions: [dim('LoadBalancer', name)],
    metrics: {
      RequestCount: { kind: 'counter', base: 700, daily: 2300, noise: 0.08 },
      TargetResponseTime: {
        kind: 'latency',
        base: 0.16,
        daily: 0.05,
        noise: 0.1,
        spread: 0.5,
        rate: { base: 700, daily: 2300 },
        incidentValue: 2.6,
      },
      HTTPCode_Target_5XX_Count: { kind: 'counter', base: 0.6, noise: 0.9, incidentValue: 140 },
      UnHealthyHostCount: { kind: 'counter', base: 0, incidentValue: 2 },
    },
  };
}

function apigateway(api: string, stage: string): DemoResource {
  return {
    service: 'apigateway',
    dimensions: [dim('ApiName', api)],
    metrics: Object.fromEntries(
      Object.entries({
        Count: { kind: 'counter', base: 260, daily: 900, noise: 0.08 } as ModelSpec,
        Latency: {
          kind: 'latency',
          base: 85,
          daily: 30,
          noise: 0.1,
          spread: 0.45,
          rate: { base: 260, daily: 900 },
          incidentValue: 3100,
        } as ModelSpec,
        '4XXError': { kind: 'counter', base: 2, daily: 6, noise: 0.5 } as ModelSpec,
        '5XXError': { kind: 'counter', base: 0.3, noise: 0.9, incidentValue: 36 } as ModelSpec,
      }).map(([name, spec]) => [name, { ...spec, extraDimensions: [dim('Stage', stage)] }]),
    ),
  };
}

/** Every demo resource; the instance ids follow the brief's i-0a1b2c3d4e5f6000N scheme. */
export function getDemoResources(): DemoResource[] {
  return [
    ec2('i-0a1b2c3d4e5f60001', 1),
    ec2('i-0a1b2c3d4e5f60002', 0.8),
    ec2('i-0a1b2c3d4e5f60003', 0.4),
    rds('orders-db', 1, true),
    rds('users-db', 0.5, false),
    lambda('checkout-handler', 120, 180, true),
    lambda('image-resizer', 30, 850, false),
    lambda('nightly-report', 1, 42_000, false, [120, 130]),
    ecs('web', 22, 58, true),
    ecs('worker', 14, 41, false),
    dynamodb('sessions', 900),
    dynamodb('carts', 300),
    s3('demo-web-assets', 48e9, 1.9e6),
    s3('demo-app-logs', 730e9, 12.4e6),
    sqs('orders-queue', 90, false, true),
    sqs('orders-dlq', 0.2, true, false),
    alb('app/prod-web/50dc6c495c0c9188'),
    apigateway('orders-api', 'prod'),
  ];
}
