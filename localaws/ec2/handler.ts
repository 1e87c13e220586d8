// The EC2 (`ec2`) handler of the local endpoint: the EC2 query protocol, Version
// 2016-11-15. DescribeInstances (read; ec2:Describe* takes no resource, so `*`),
// RebootInstances, StartInstances and StopInstances (write; authorized per instance ARN). Denials are EC2's own
// UnauthorizedOperation; DryRun answers DryRunOperation once authorized, as EC2 does.

import { ec2InstanceArn, createDemoEc2Instances, type Ec2Instance } from './data';
import { dryRunCheck, requestedIds, type Instances } from './requests';
import { changeInstanceStates } from './startStop';
import { ec2Response, reservationXml } from './xml';
import { demoAccountId, demoRegion } from '../iam/identities';
import { parseQueryBody, readMemberList, readScalarList } from '../server/protocol';
import { AwsError, type CallContext, type ServiceHandler, type ServiceResponse } from '../server/types';

interface Filter {
  name: string;
  values: string[];
}

function filtersOf(params: Record<string, string>): Filter[] {
  return readMemberList(params, 'Filter').map((entry) => ({
    name: entry.Name ?? '',
    values: Object.entries(entry)
      .filter(([k]) => /^Value\.\d+$/.test(k))
      .map(([, v]) => v),
  }));
}

function filterField(i: Ec2Instance, name: string): string[] | undefined {
  if (name.startsWith('tag:')) {
    const value = i.tags[name.slice(4)];
    return value === undefined ? [] : [value];
  }
  const fields: Record<string, string[]> = {
    'instance-id': [i.instanceId],
    'instance-state-name': [i.state],
    'instance-type': [i.instanceType],
    'availability-zone': [i.availabilityZone],
    'tag-key': Object.keys(i.tags),
    'private-ip-address': [i.privateIp],
  };
  return fields[name];
}

function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

function matches(i: Ec2Instance, filters: readonly Filter[]): boolean {
  return filters.every(({ name, values }) => {
    const field = filterField(i, name);
    if (!field) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
    return field.some((v) => values.some((p) => globMatches(p, v)));
  });
}

function page(
  list: Ec2Instance[],
  params: Record<string, string>,
  byId: boolean,
): { items: Ec2Instance[]; next?: string } {
  if (params.MaxResults === undefined) return { items: list };
  if (byId)
    throw new AwsError(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  const max = Number(params.MaxResults);
  if (!Number.isInteger(max) || max < 5 || max > 1000)
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${params.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
    );
  const offset = params.NextToken
    ? Number(
        Buffer.from(params.NextToken, 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      )
    : 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw new AwsError('InvalidParameterValue', 'The NextToken is not valid.');
  const items = list.slice(offset, offset + max);
  return offset + max < list.length
    ? { items, next: Buffer.from(`offset:${offset + max}`).toString('base64') }
    : { items };
}

function describeInstances(instances: Instances, params: Record<string, string>, ctx: CallContext): ServiceResponse {
  ctx.authorize('ec2:DescribeInstances', '*');
  dryRunCheck(params);
  const ids = requestedIds(params, instances);
  const filters = filtersOf(params);
  const selected = [...instances.values()].filter(
    (i) => (ids.length === 0 || ids.includes(i.instanceId)) && matches(i, filters),
  );
  const { items, next } = page(selected, params, ids.length > 0);
  const byReservation = new Map<string, Ec2Instance[]>();
  for (const i of items) byReservation.set(i.reservationId, [...(byReservation.get(i.reservationId) ?? []), i]);
  const reservations = [...byReservation.values()]
    .map((group) => reservationXml(group, ctx.principal.accountId))
    .join('');
  const token = next ? `<nextToken>${next}</nextToken>` : '';
  return ec2Response('DescribeInstances', `<reservationSet>${reservations}</reservationSet>${token}`, ctx.requestId);
}

function rebootInstances(instances: Instances, params: Record<string, string>, ctx: CallContext): ServiceResponse {
  const named = readScalarList(params, 'InstanceId');
  if (named.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId');
  for (const id of named) ctx.authorize('ec2:RebootInstances', ec2InstanceArn(ctx.region, ctx.principal.accountId, id));
  const ids = requestedIds(params, instances);
  dryRunCheck(params);
  for (const id of ids) {
    const instance = instances.get(id) as Ec2Instance;
    if (instance.state !== 'running')
      throw new AwsError('IncorrectState', `The instance '${id}' is not in a state from which it can be rebooted.`);
  }
  for (const id of ids) (instances.get(id) as Ec2Instance).reboots.push(ctx.now);
  return ec2Response('RebootInstances', '<return>true</return>', ctx.requestId);
}

export interface Ec2Handler {
  handler: ServiceHandler;
  /** The instances of one account and region (tests read reboot counts through it). */
  instancesOf(accountId: string, region: string): Instances;
}

export function createEc2Handler(startTime: number): Ec2Handler {
  const regions = new Map<string, Instances>();
  const instancesOf = (accountId: string, region: string): Instances => {
    const key = `${accountId}/${region}`;
    let found = regions.get(key);
    if (!found) {
      found = accountId === demoAccountId && region === demoRegion ? createDemoEc2Instances(startTime) : new Map();
      regions.set(key, found);
    }
    return found;
  };
  const handler: ServiceHandler = (req, ctx) => {
    const params = parseQueryBody(req.body, req.query);
    if (params.Version !== undefined && params.Version !== '2016-11-15') {
      throw new AwsError(
        'InvalidAction',
        `The action ${params.Action ?? ''} is not valid for version ${params.Version}.`,
      );
    }
    const instances = instancesOf(ctx.principal.accountId, ctx.region);
    if (params.Action === 'DescribeInstances') return describeInstances(instances, params, ctx);
    if (params.Action === 'RebootInstances') return rebootInstances(instances, params, ctx);
    if (params.Action === 'StartInstances' || params.Action === 'StopInstances')
      return changeInstanceStates(params.Action, instances, params, ctx);
    throw new AwsError(
      'InvalidAction',
      `The action ${params.Action ?? '(none)'} is not valid for this web service (the local endpoint serves DescribeInstances, RebootInstances, StartInstances and StopInstances).`,
    );
  };
  return { handler, instancesOf };
}
