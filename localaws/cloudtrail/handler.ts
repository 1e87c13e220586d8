// The CloudTrail (`cloudtrail`) handler of the local endpoint: awsJson1_1, X-Amz-Target
// com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Op> (botocore's cloudtrail
// 2013-11-01 metadata), errors as {"__type","message"}. It serves LookupEvents
// over the events this endpoint recorded (assumeRole.ts) after checking
// cloudtrail:LookupEvents, which takes no resource ARN (Resource "*"):
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html

import { trailOf } from './store';
import { lookupEvents, readLookupInput } from './lookup';
import { jsonError, jsonResponse, parseJsonBody } from '../server/protocol';
import type { LocalAwsState } from '../server/state';
import { AwsError, type CallContext, type ServiceHandler } from '../server/types';

/**
 * botocore (the AWS CLI) sends its model's targetPrefix; SDK v3 sends the Smithy service
 * name alone (`CloudTrail_20131101.LookupEvents`, @aws-sdk/client-cloudtrail's
 * serviceTarget). CloudTrail answers both.
 */
export const cloudTrailTargetPrefixes = [
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.',
  'CloudTrail_20131101.',
] as const;

function operationOf(target: string): string {
  const prefix = cloudTrailTargetPrefixes.find((p) => target.startsWith(p));
  return prefix ? target.slice(prefix.length) : '';
}

/**
 * "The rate of lookup requests is limited to two per second, per account, per Region. If
 * this limit is exceeded, a throttling error occurs."
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html;
 * also https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html).
 * A sliding one-second window of the lookups accepted, on the endpoint clock.
 */
export const lookupsPerSecond = 2;

function checkRate(state: LocalAwsState, ctx: CallContext): void {
  const key = `${ctx.principal.accountId}/${ctx.region}`;
  const lookups = trailOf(state).lookups;
  const recent = (lookups.get(key) ?? []).filter((t) => t > ctx.now - 1000 && t <= ctx.now);
  if (recent.length >= lookupsPerSecond) {
    lookups.set(key, recent);
    throw new AwsError('ThrottlingException', 'Rate exceeded');
  }
  lookups.set(key, [...recent, ctx.now]);
}

export function createCloudTrailHandler(state: LocalAwsState): ServiceHandler {
  return (req, ctx) => {
    try {
      const target = req.headers['x-amz-target'] ?? '';
      if (operationOf(target) !== 'LookupEvents') {
        throw new AwsError(
          'UnknownOperationException',
          `The local endpoint does not implement CloudTrail operation: ${target || '(no X-Amz-Target)'}`,
        );
      }
      ctx.authorize('cloudtrail:LookupEvents');
      checkRate(state, ctx);
      const input = readLookupInput(parseJsonBody(req.body));
      const output = lookupEvents(trailOf(state).events, input, {
        accountId: ctx.principal.accountId,
        region: ctx.region,
        now: ctx.now,
      });
      return jsonResponse(output, req.requestId, '1.1');
    } catch (error) {
      if (error instanceof AwsError) return jsonError(error, req.requestId, { version: '1.1' });
      throw error;
    }
  };
}
