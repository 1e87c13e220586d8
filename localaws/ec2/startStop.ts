// StartInstances and StopInstances: each named instance authorized as ec2:StartInstances /
// ec2:StopInstances on its ARN (the instance resource type is required for both:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html),
// before existence and DryRun, as EC2 does. The reply lists each instance's previous and
// current state: a stop answers `stopping` (64), a start `pending` (0), an instance already
// there answers its own state twice
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StopInstances.html,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartInstances.html).
// The endpoint settles the new state at once.

import { ec2InstanceArn, stateCodes, type Ec2Instance } from './data';
import { dryRunCheck, requestedIds, type Instances } from './requests';
import { ec2Response } from './xml';
import { readScalarList, xmlElement } from '../server/protocol';
import { AwsError, type CallContext, type ServiceResponse } from '../server/types';

const transitional = {
  StartInstances: { name: 'pending', code: 0 },
  StopInstances: { name: 'stopping', code: 64 },
} as const;

function stateXml(tag: string, name: string, code: number): string {
  return `<${tag}>${xmlElement('code', code)}${xmlElement('name', name)}</${tag}>`;
}

export function changeInstanceStates(
  action: 'StartInstances' | 'StopInstances',
  instances: Instances,
  params: Record<string, string>,
  ctx: CallContext,
): ServiceResponse {
  const named = readScalarList(params, 'InstanceId');
  if (named.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId');
  for (const id of named) ctx.authorize(`ec2:${action}`, ec2InstanceArn(ctx.region, ctx.principal.accountId, id));
  const ids = requestedIds(params, instances);
  dryRunCheck(params);
  const target: Ec2Instance['state'] = action === 'StartInstances' ? 'running' : 'stopped';
  const items = ids.map((id) => {
    const instance = instances.get(id) as Ec2Instance;
    const before = instance.state;
    const now = before === target ? { name: before, code: stateCodes[before] } : transitional[action];
    instance.state = target;
    return `<item>${xmlElement('instanceId', id)}${stateXml('currentState', now.name, now.code)}${stateXml('previousState', before, stateCodes[before])}</item>`;
  });
  return ec2Response(action, `<instancesSet>${items.join('')}</instancesSet>`, ctx.requestId);
}
