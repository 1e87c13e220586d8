// The one place AWS SDK clients and credential providers are created, so every call goes
// to the same endpoint with the same credentials, region, retry and timeout settings. Only
// the lazily loaded SDK part (awsSdk.ts, through loadAwsSdk) imports this module's values.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { SSOClient } from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
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
  /** For the admin panel's "Sessions outside InfraWatch" (LookupEvents). */
  cloudtrail: CloudTrailClient;
  dispose(): void;
}

/**
 * LookupEvents allows two requests a second per account and Region and answers
 * ThrottlingException above it; the standard retry backs off on that (from 500 ms, with
 * jitter), so CloudTrail gets a few more attempts than the rest to ride out lookups made
 * by someone else in the account.
 */
const cloudTrailMinAttempts = 5;

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
  const cloudtrail = new CloudTrailClient({
    ...config,
    maxAttempts: Math.max(config.maxAttempts, cloudTrailMinAttempts),
  });
  return {
    sts,
    cloudwatch,
    logs,
    cloudtrail,
    dispose: () => {
      sts.destroy();
      cloudwatch.destroy();
      logs.destroy();
      cloudtrail.destroy();
    },
  };
}

export interface SsoClients {
  /** IAM Identity Center OIDC: RegisterClient, StartDeviceAuthorization, CreateToken. */
  oidc: SSOOIDCClient;
  /** The access portal: ListAccounts, ListAccountRoles, GetRoleCredentials (bearer token, unsigned). */
  portal: SSOClient;
  dispose(): void;
}

/** Clients for signing in with Identity Center; they take no AWS credentials, only the Identity Center Region. */
export function createSsoClients(options: { region: string; endpoint?: string; maxAttempts?: number }): SsoClients {
  const config = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  const oidc = new SSOOIDCClient(config);
  const portal = new SSOClient(config);
  return {
    oidc,
    portal,
    dispose: () => {
      oidc.destroy();
      portal.destroy();
    },
  };
}

/**
 * The SDK's default credential chain for a profile (environment, shared files, SSO, process,
 * container, instance), read afresh on every call so an edited profile takes effect.
 */
export function createDefaultCredentials(profile?: string): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({ ...(profile ? { profile } : {}), ignoreCache: true });
}

/** For the organisation policy in S3; path-style addressing when the endpoint is overridden (the local endpoint has no bucket subdomains). */
export function createS3Client(options: AwsClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
}
