// The STS service of the local endpoint (awsQuery, Version 2011-06-15): GetCallerIdentity
// (always allowed, as in AWS) and AssumeRole (assumeRole.ts). Other actions answer
// InvalidAction, like AWS does for an operation it does not know.

import { assumeRole } from './assumeRole';
import { recordAssumeRoleEvent } from '../cloudtrail/assumeRole';
import { parseQueryBody, queryResponse, xmlElement } from '../server/protocol';
import type { LocalAwsState } from '../server/state';
import {
  AwsError,
  type CallContext,
  type ServiceHandler,
  type ServiceRequest,
  type ServiceResponse,
} from '../server/types';

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function getCallerIdentity(ctx: CallContext): ServiceResponse {
  const p = ctx.principal;
  const inner = `${xmlElement('UserId', p.userId)}${xmlElement('Account', p.accountId)}${xmlElement('Arn', p.arn)}`;
  return queryResponse('GetCallerIdentity', inner, ctx.requestId);
}

function assumeRoleResponse(state: LocalAwsState, params: Record<string, string>, ctx: CallContext): ServiceResponse {
  const { record, session } = assumeRole(state, params, ctx);
  recordAssumeRoleEvent(state, ctx, params, { record, session });
  const credentials =
    `<Credentials>${xmlElement('AccessKeyId', record.accessKeyId)}${xmlElement('SecretAccessKey', record.secretAccessKey)}` +
    `${xmlElement('SessionToken', record.sessionToken)}${xmlElement('Expiration', isoSeconds(session.expiresAt))}</Credentials>`;
  const user = `<AssumedRoleUser>${xmlElement('AssumedRoleId', record.principal.userId)}${xmlElement('Arn', session.arn)}</AssumedRoleUser>`;
  const packed =
    params.Policy !== undefined || session.packedPolicySize > 0
      ? xmlElement('PackedPolicySize', session.packedPolicySize)
      : '';
  return queryResponse(
    'AssumeRole',
    `${credentials}${user}${packed}${xmlElement('SourceIdentity', session.sourceIdentity)}`,
    ctx.requestId,
  );
}

export function createStsHandler(state: LocalAwsState): ServiceHandler {
  return (req: ServiceRequest, ctx: CallContext): ServiceResponse => {
    if (state.disabledRegions.has(ctx.region)) {
      throw new AwsError(
        'RegionDisabledException',
        `STS is not activated in this region for account:${state.accountId}. Your account administrator can activate STS in this region using the IAM Console.`,
        403,
      );
    }
    const params = parseQueryBody(req.body, req.query);
    if (params.Version !== undefined && params.Version !== '2011-06-15') {
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${params.Action ?? ''} for version ${params.Version}`,
      );
    }
    switch (params.Action) {
      case 'GetCallerIdentity':
        return getCallerIdentity(ctx);
      case 'AssumeRole':
        return assumeRoleResponse(state, params, ctx);
      default:
        throw new AwsError(
          'InvalidAction',
          `Could not find operation ${params.Action ?? '(none)'} for version 2011-06-15`,
        );
    }
  };
}
