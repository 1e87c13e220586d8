// The RDS (`rds`) handler of the local endpoint: awsQuery, Version 2014-10-31, XML in the
// RDS namespace. DescribeDBInstances (read) and RebootDBInstance (write) over the demo
// instances, each authorized as rds:<Action> on the instance ARN (`db:*` for "all"), so a
// JIT session's policy decides. AWS checks permission before existence, and so do we.

import { demoAccountId, demoRegion } from '../iam/identities';
import { parseQueryBody, queryResponse, readMemberList, xmlNamespaces } from '../server/protocol';
import { createDemoDbInstances, dbInstanceArn, dbInstanceStatus, rebootDurationMs, type DbInstance } from './data';
import { dbInstanceXml } from './xml';
import { AwsError, type CallContext, type ServiceHandler, type ServiceResponse } from '../server/types';

type Instances = Map<string, DbInstance>;

function identifierOf(value: string): string {
  // Callers may name an instance by its ARN as well as by its identifier.
  const at = value.indexOf(':db:');
  return value.startsWith('arn:') && at >= 0 ? value.slice(at + 4) : value;
}

function notFound(identifier: string): AwsError {
  return new AwsError('DBInstanceNotFound', `DBInstance ${identifier} not found.`, 404);
}

function filterValues(params: Record<string, string>): { name: string; values: string[] }[] {
  return readMemberList(params, 'Filters.Filter').map((entry) => ({
    name: entry.Name ?? '',
    values: Object.entries(entry)
      .filter(([k]) => k.startsWith('Values.'))
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([, v]) => v),
  }));
}

function matchesFilters(
  instance: DbInstance,
  filters: { name: string; values: string[] }[],
  region: string,
  accountId: string,
): boolean {
  return filters.every(({ name, values }) => {
    if (name === 'db-instance-id')
      return values.some(
        (v) => v === instance.identifier || v === dbInstanceArn(region, accountId, instance.identifier),
      );
    if (name === 'engine') return values.includes('postgres');
    throw new AwsError(
      'InvalidParameterValue',
      `Unrecognized filter name: ${name}. Supported here: db-instance-id, engine.`,
    );
  });
}

function checkMaxRecords(value: string | undefined): void {
  if (value === undefined) return;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 20 || n > 100)
    throw new AwsError('InvalidParameterValue', `Invalid value ${value} for MaxRecords. Must be between 20 and 100`);
}

function describe(instances: Instances, params: Record<string, string>, ctx: CallContext): ServiceResponse {
  checkMaxRecords(params.MaxRecords);
  const wanted = params.DBInstanceIdentifier === undefined ? undefined : identifierOf(params.DBInstanceIdentifier);
  ctx.authorize('rds:DescribeDBInstances', dbInstanceArn(ctx.region, ctx.principal.accountId, wanted ?? '*'));
  const filters = filterValues(params);
  let selected = [...instances.values()];
  if (wanted !== undefined) {
    const one = instances.get(wanted);
    if (!one) throw notFound(wanted);
    selected = [one];
  }
  selected = selected.filter((i) => matchesFilters(i, filters, ctx.region, ctx.principal.accountId));
  const inner = `<DBInstances>${selected.map((i) => dbInstanceXml(i, ctx.region, ctx.principal.accountId, ctx.now)).join('')}</DBInstances>`;
  return queryResponse('DescribeDBInstances', inner, ctx.requestId, xmlNamespaces.rds);
}

function reboot(instances: Instances, params: Record<string, string>, ctx: CallContext): ServiceResponse {
  if (!params.DBInstanceIdentifier)
    throw new AwsError('MissingParameter', 'The request must contain the parameter DBInstanceIdentifier');
  const identifier = identifierOf(params.DBInstanceIdentifier);
  ctx.authorize('rds:RebootDBInstance', dbInstanceArn(ctx.region, ctx.principal.accountId, identifier));
  const instance = instances.get(identifier);
  if (!instance) throw notFound(identifier);
  if (dbInstanceStatus(instance, ctx.now) !== 'available')
    throw new AwsError('InvalidDBInstanceState', `Instance ${identifier} is not in available state.`);
  if (params.ForceFailover === 'true' && !instance.multiAz) {
    throw new AwsError(
      'InvalidParameterCombination',
      'Cannot force failover on a single-AZ DB instance; reboot it without ForceFailover.',
    );
  }
  instance.rebootingUntil = ctx.now + rebootDurationMs;
  const inner = dbInstanceXml(instance, ctx.region, ctx.principal.accountId, ctx.now);
  return queryResponse('RebootDBInstance', inner, ctx.requestId, xmlNamespaces.rds);
}

/** One RDS per server: `startTime` anchors the demo instances' creation dates. */
export function createRdsHandler(startTime: number): ServiceHandler {
  const regions = new Map<string, Instances>();
  const instancesFor = (ctx: CallContext): Instances => {
    const key = `${ctx.principal.accountId}/${ctx.region}`;
    let found = regions.get(key);
    if (!found) {
      found =
        ctx.principal.accountId === demoAccountId && ctx.region === demoRegion
          ? createDemoDbInstances(startTime)
          : new Map();
      regions.set(key, found);
    }
    return found;
  };
  return (req, ctx) => {
    const params = parseQueryBody(req.body, req.query);
    if (params.Version !== undefined && params.Version !== '2014-10-31') {
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${params.Action ?? ''} for version ${params.Version}`,
      );
    }
    switch (params.Action) {
      case 'DescribeDBInstances':
        return describe(instancesFor(ctx), params, ctx);
      case 'RebootDBInstance':
        return reboot(instancesFor(ctx), params, ctx);
      default:
        throw new AwsError(
          'InvalidAction',
          `The action ${params.Action ?? '(none)'} is not valid for this web service (the local endpoint serves DescribeDBInstances and RebootDBInstance).`,
        );
    }
  };
}
