// The CloudTrail record of an AssumeRole the endpoint served, as AWS writes it. Only
// successful calls are recorded here (the emulator's refusals leave no event). Shapes:
// - the record: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// - userIdentity (IAMUser / AssumedRole with sessionContext):
//   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
// - AssumeRole's requestParameters (roleArn, roleSessionName, tags as [{key, value}],
//   sourceIdentity, durationSeconds…) and responseElements (credentials, assumedRoleUser):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html#cloudtrail-integration_examples-sts-api
// The issued secret access key and session token are never written: this endpoint keeps
// only the access key id (and the expiry) of the credentials it handed out.

import { randomUUID } from 'node:crypto';
import { addTrailEvent } from './store';
import { readMemberList, readScalarList } from '../server/protocol';
import type { CredentialRecord, IssuedSession, LocalAwsState } from '../server/state';
import type { CallContext, Principal } from '../server/types';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** STS events write the expiry as e.g. "Jul 19, 2019 6:07:40 PM" (UTC). */
function stsExpiration(ms: number): string {
  const d = new Date(ms);
  const hour = d.getUTCHours() % 12 || 12;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hour}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function userIdentity(state: LocalAwsState, caller: Principal): Record<string, unknown> {
  const base = {
    principalId: caller.userId,
    arn: caller.arn,
    accountId: caller.accountId,
    accessKeyId: caller.accessKeyId,
  };
  if (caller.kind === 'user') return { type: 'IAMUser', ...base, userName: lastSegment(caller.arn) };
  const issued = state.issuedSessions.find((s) => s.accessKeyId === caller.accessKeyId);
  const roleArn = caller.roleArn ?? '';
  return {
    type: 'AssumedRole',
    ...base,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: caller.userId.split(':')[0],
        arn: roleArn,
        accountId: caller.accountId,
        userName: lastSegment(roleArn),
      },
      attributes: {
        ...(issued ? { creationDate: isoSeconds(issued.issuedAt) } : {}),
        mfaAuthenticated: String(caller.mfaAuthenticated),
      },
      ...(caller.sourceIdentity ? { sourceIdentity: caller.sourceIdentity } : {}),
    },
  };
}

/** What the caller sent, by CloudTrail's (camel-case) names; the TOTP code is not logged. */
function requestParameters(params: Record<string, string>): Record<string, unknown> {
  const tags = readMemberList(params, 'Tags').map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
  const transitive = readScalarList(params, 'TransitiveTagKeys');
  const policyArns = readMemberList(params, 'PolicyArns').map((p) => ({ arn: p.arn ?? '' }));
  return {
    roleArn: params.RoleArn,
    roleSessionName: params.RoleSessionName,
    ...(params.DurationSeconds !== undefined ? { durationSeconds: Number(params.DurationSeconds) } : {}),
    ...(params.Policy !== undefined ? { policy: params.Policy } : {}),
    ...(policyArns.length > 0 ? { policyArns } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(transitive.length > 0 ? { transitiveTagKeys: transitive } : {}),
    ...(params.SourceIdentity !== undefined ? { sourceIdentity: params.SourceIdentity } : {}),
    ...(params.SerialNumber !== undefined ? { serialNumber: params.SerialNumber } : {}),
  };
}

/** Called by STS (sts/handler.ts) after it issued a session: records the AssumeRole event. */
export function recordAssumeRoleEvent(
  state: LocalAwsState,
  ctx: CallContext,
  params: Record<string, string>,
  issued: { record: CredentialRecord; session: IssuedSession },
): void {
  const caller = ctx.principal;
  const time = Math.floor(ctx.now / 1000) * 1000;
  const eventId = randomUUID();
  const { session } = issued;
  const assumedRoleId = issued.record.principal.userId;
  const record = {
    eventVersion: '1.08',
    userIdentity: userIdentity(state, caller),
    eventTime: isoSeconds(time),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: ctx.region,
    requestParameters: requestParameters(params),
    responseElements: {
      credentials: { accessKeyId: session.accessKeyId, expiration: stsExpiration(session.expiresAt) },
      assumedRoleUser: { assumedRoleId, arn: session.arn },
      ...(params.Policy !== undefined || session.packedPolicySize > 0
        ? { packedPolicySize: session.packedPolicySize }
        : {}),
      ...(session.sourceIdentity ? { sourceIdentity: session.sourceIdentity } : {}),
    },
    requestID: ctx.requestId,
    eventID: eventId,
    readOnly: true,
    resources: [{ accountId: state.accountId, type: 'AWS::IAM::Role', ARN: session.roleArn }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: state.accountId,
    eventCategory: 'Management',
  };
  addTrailEvent(state, {
    accountId: state.accountId,
    region: ctx.region,
    time,
    eventId,
    eventName: 'AssumeRole',
    eventSource: 'sts.amazonaws.com',
    readOnly: true,
    accessKeyId: caller.accessKeyId,
    // LookupEvents' Username: the IAM user's name, or the session name of a role session.
    username: lastSegment(caller.arn),
    resources: [
      { ResourceType: 'AWS::IAM::AccessKey', ResourceName: session.accessKeyId },
      { ResourceType: 'AWS::STS::AssumedRole', ResourceName: session.roleSessionName },
      { ResourceType: 'AWS::STS::AssumedRole', ResourceName: assumedRoleId },
      { ResourceType: 'AWS::IAM::Role', ResourceName: session.roleArn },
    ],
    cloudTrailEvent: JSON.stringify(record),
  });
}
