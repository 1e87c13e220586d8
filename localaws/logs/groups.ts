// CloudWatch Logs group and stream management: DescribeLogGroups, CreateLogGroup,
// CreateLogStream — and the per-log-group authorization every Logs operation uses.

import { AwsError, type CallContext } from '../server/types';
import { decodeToken, encodeToken, type Loose } from '../cloudwatch/input';
import { seedOf } from '../demo/model';
import type { World } from '../demo/world';
import { checkGroupName, checkStreamName, invalidParameter, notFound, optInteger, optString, reqString } from './input';
import { logGroupArn } from './store';

/** Authorizes `logs:<op>` on the group's ARN (`…:log-group:<name>:*`); `*` for all groups. */
export function authorizeLogs(ctx: CallContext, world: World, operation: string, groupName: string): void {
  const resource = `${logGroupArn(world.region, world.accountId, groupName)}${groupName === '*' ? '' : ':*'}`;
  try {
    ctx.authorize(`logs:${operation}`, resource);
  } catch (error) {
    // Logs names its access error AccessDeniedException, whatever the evaluator called it.
    if (
      error instanceof AwsError &&
      error.code !== 'AccessDeniedException' &&
      /denied|unauthori[sz]ed/i.test(error.code)
    ) {
      throw new AwsError('AccessDeniedException', error.message, 400);
    }
    throw error;
  }
}

export function describeLogGroups(world: World, raw: Loose, ctx: CallContext): Loose {
  authorizeLogs(ctx, world, 'DescribeLogGroups', '*');
  const prefix = optString(raw, 'logGroupNamePrefix');
  const pattern = optString(raw, 'logGroupNamePattern');
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  const limit = optInteger(raw, 'limit', 1, 50) ?? 50;
  const hash = seedOf(JSON.stringify([prefix, pattern]));
  const token = optString(raw, 'nextToken');
  const offset =
    token === undefined
      ? 0
      : decodeToken<{ o: number; h: number }>(
          token,
          (t) => Number.isInteger(t.o) && t.h === hash,
          () => invalidParameter('The specified nextToken is invalid: it does not continue this request.'),
        ).o;
  const lowerPattern = pattern?.toLowerCase();
  const groups = world.logs
    .listGroups()
    .filter(
      (g) =>
        (prefix === undefined || g.name.startsWith(prefix)) &&
        (lowerPattern === undefined || g.name.toLowerCase().includes(lowerPattern)),
    );
  const page = groups.slice(offset, offset + limit);
  const out: Loose = {
    logGroups: page.map((g) => {
      const arn = logGroupArn(world.region, world.accountId, g.name);
      const item: Loose = {
        logGroupName: g.name,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: `${arn}:*`,
        storedBytes: world.logs.storedBytes(g, ctx.now),
        logGroupClass: 'STANDARD',
        logGroupArn: arn,
      };
      if (g.retentionInDays !== undefined) item['retentionInDays'] = g.retentionInDays;
      return item;
    }),
  };
  if (offset + limit < groups.length) out['nextToken'] = encodeToken({ o: offset + limit, h: hash });
  return out;
}

export function createLogGroup(world: World, raw: Loose, ctx: CallContext): Loose {
  const name = checkGroupName(reqString(raw, 'logGroupName'));
  authorizeLogs(ctx, world, 'CreateLogGroup', name);
  if (world.logs.getGroup(name))
    throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
  world.logs.addGroup({ name, creationTime: ctx.now, streams: new Map() });
  return {};
}

export function createLogStream(world: World, raw: Loose, ctx: CallContext): Loose {
  const groupName = checkGroupName(reqString(raw, 'logGroupName'));
  const streamName = checkStreamName(reqString(raw, 'logStreamName'));
  authorizeLogs(ctx, world, 'CreateLogStream', groupName);
  const group = world.logs.getGroup(groupName);
  if (!group) throw notFound('log group');
  const generated = group.generator?.streams(0, ctx.now + 1).includes(streamName) ?? false;
  if (group.streams.has(streamName) || generated) {
    throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
  }
  world.logs.addStream(group, streamName, ctx.now);
  return {};
}
