// The one place AWS SDK clients are created, so every call goes to the same endpoint
// with the same credentials, region, retry and timeout settings.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsClientOptions {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Overrides every service endpoint (the local AWS endpoint); undefined talks to AWS. */
  endpoint?: string;
  maxAttempts?: number;
}

export interface AwsClients {
  sts: STSClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  dispose(): void;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = {
    region: options.region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  const sts = new STSClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const logs = new CloudWatchLogsClient(config);
  return {
    sts,
    cloudwatch,
    logs,
    dispose: () => {
      sts.destroy();
      cloudwatch.destroy();
      logs.destroy();
    },
  };
}
