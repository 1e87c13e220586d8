// Everything of ours that loads the AWS SDK at run time: the client factory and the SDK
// values the calls use. The build makes this module a bundle of its own (dist/aws.js),
// which loadAwsSdk() loads on the first AWS call; nothing else imports it but by type.
export { createAwsClients, createDefaultCredentials, createS3Client, createSsoClients } from './awsClients';
export { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
export { GetMetricDataCommand, paginateDescribeAlarms, paginateListMetrics } from '@aws-sdk/client-cloudwatch';
export {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
export { GetObjectCommand } from '@aws-sdk/client-s3';
export { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand } from '@aws-sdk/client-sso';
export { CreateTokenCommand, RegisterClientCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
export { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
export { getHomeDir, loadSharedConfigFiles, loadSsoSessionData } from '@smithy/shared-ini-file-loader';
