// The demo's Lambda functions (the ones the CloudWatch demo data and the /aws/lambda/*
// log groups talk about) as Lambda's FunctionConfiguration JSON, plus their mutable
// state: reserved concurrency (PutFunctionConcurrency) and an invocation count.

import { createHash } from 'node:crypto';

export interface LambdaFunction {
  name: string;
  runtime: string;
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  architecture: 'arm64' | 'x86_64';
  codeSize: number;
  environment: Record<string, string>;
  /** Epoch ms. */
  lastModified: number;
  reservedConcurrency?: number;
  invocations: number;
}

/** The account's concurrency limit and the share Lambda keeps unreserved. */
export const accountConcurrencyLimit = 1000;
export const minimumUnreservedConcurrency = 100;
const dayMs = 86_400_000;

export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** Lambda's own timestamp format: `2024-05-02T10:12:33.000+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function hashOf(text: string, encoding: 'hex' | 'base64'): string {
  return createHash('sha256').update(text).digest(encoding);
}

/** FunctionConfiguration, as ListFunctions and GetFunction return it. */
export function functionConfiguration(fn: LambdaFunction, region: string, accountId: string): Record<string, unknown> {
  const hex = hashOf(`${fn.name}:${fn.lastModified}`, 'hex');
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(region, accountId, fn.name),
    Runtime: fn.runtime,
    Role: `arn:aws:iam::${accountId}:role/${fn.name}-role`,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: lambdaTimestamp(fn.lastModified),
    CodeSha256: hashOf(`code:${fn.name}`, 'base64'),
    Version: '$LATEST',
    Environment: { Variables: fn.environment },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

export function createDemoFunctions(startTime: number): Map<string, LambdaFunction> {
  const functions: LambdaFunction[] = [
    {
      name: 'checkout-handler',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      description: 'Checks out a cart: reserves stock, writes the order to orders-db.',
      memorySize: 512,
      timeout: 30,
      architecture: 'arm64',
      codeSize: 4_812_331,
      environment: { ORDERS_DB_HOST: 'orders-db', CART_TABLE: 'carts' },
      lastModified: startTime - 6 * dayMs,
      reservedConcurrency: 200,
      invocations: 0,
    },
    {
      name: 'image-resizer',
      runtime: 'python3.12',
      handler: 'app.handler',
      description: 'Resizes uploaded images to 320, 640 and 1280 pixels wide.',
      memorySize: 512,
      timeout: 60,
      architecture: 'x86_64',
      codeSize: 22_506_114,
      environment: { BUCKET: 'demo-web-assets' },
      lastModified: startTime - 41 * dayMs,
      invocations: 0,
    },
    {
      name: 'nightly-report',
      runtime: 'python3.12',
      handler: 'report.main',
      description: 'Writes the nightly sales report.',
      memorySize: 512,
      timeout: 900,
      architecture: 'arm64',
      codeSize: 1_204_877,
      environment: { REPORT_BUCKET: 'demo-app-logs' },
      lastModified: startTime - 95 * dayMs,
      reservedConcurrency: 1,
      invocations: 0,
    },
  ];
  return new Map(functions.map((f) => [f.name, f]));
}
