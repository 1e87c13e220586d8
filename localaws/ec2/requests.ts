// What EC2 checks of a request before acting on instances: well-formed, existing instance ids
// (InvalidInstanceID.Malformed / .NotFound) and DryRun (DryRunOperation once authorized).

import { type Ec2Instance } from './data';
import { readScalarList } from '../server/protocol';
import { AwsError } from '../server/types';

export type Instances = Map<string, Ec2Instance>;

const instanceIdPattern = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function requestedIds(params: Record<string, string>, instances: Instances): string[] {
  const ids = readScalarList(params, 'InstanceId');
  for (const id of ids)
    if (!instanceIdPattern.test(id))
      throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-...")`);
  const missing = ids.filter((id) => !instances.has(id));
  if (missing.length === 1)
    throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1)
    throw new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  return ids;
}

export function dryRunCheck(params: Record<string, string>): void {
  if (params.DryRun === 'true')
    throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}
