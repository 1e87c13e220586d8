// The organisation audit group's write permissions for everyone's own (base) credentials:
// a managed policy the template creates and admins attach to InfraWatch users (a group, or by
// name from an Identity Center permission set). Each principal may write only the streams
// named for it (core/audit/orgStreams.ts), as far as IAM can say so:
//
// - IAM users: `<account>/user/${aws:username}/*`. aws:username is the user's friendly name
//   and is present only for IAM users.
// - Role sessions (Identity Center, assumed roles): the only policy variable naming the
//   session, aws:userid, is `<role id>:<session name>`, and a stream name may not contain a
//   colon, so no stream ARN can carry it. They get `<account>/assumed-role/*`: any role
//   session may start a stream named for another session. The admin panel still flags a
//   record whose actor is not its stream's owner, but such a stream's records can look real.
// - Federated users (aws:userid `<account>:<name>`) likewise cannot be pinned and get nothing.
// Whoever holds a principal's credentials can always write that principal's own stream.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html (no ':' or '*' in stream names)
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html (log-stream ARNs)
import { type AccessPolicy } from '../policy/schema';
import { type IamPolicyDocument } from './types';

export const auditWriterPolicyName = 'InfraWatchAuditWriter';

interface Target {
  partition: string;
  accountId: string;
}

/** `arn:…:log-group:<group>`, in the audit section's region (else the account's, else any). */
function getGroupArn(policy: AccessPolicy, logGroup: string, target: Target): string {
  const region = policy.audit?.region ?? policy.accounts.find((a) => a.id === target.accountId)?.region ?? '*';
  return `arn:${target.partition}:logs:${region}:${target.accountId}:log-group:${logGroup}`;
}

/** The writer policy for one account; undefined when the policy names no audit group. */
export function buildAuditWriterPolicy(policy: AccessPolicy, target: Target): IamPolicyDocument | undefined {
  const logGroup = policy.audit?.logGroup;
  if (!logGroup) return undefined;
  const group = getGroupArn(policy, logGroup, target);
  const streams = `${group}:log-stream:${target.accountId}`;
  const write = ['logs:CreateLogStream', 'logs:PutLogEvents'];
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AuditOwnStreamIamUser', Effect: 'Allow', Action: write, Resource: `${streams}/user/\${aws:username}/*` },
      { Sid: 'AuditRoleSessionStreams', Effect: 'Allow', Action: write, Resource: `${streams}/assumed-role/*` },
      // The sender reads its own stream back after a crash so nothing is sent twice.
      { Sid: 'AuditReadBack', Effect: 'Allow', Action: ['logs:FilterLogEvents'], Resource: `${group}:*` },
    ],
  };
}
