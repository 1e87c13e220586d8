// The RDS handler called directly (no HTTP, no SigV4): the demo instances in RDS's XML,
// what each call authorizes (permission before existence, as AWS), the reboot's minute on
// the endpoint clock, filters and AWS's error codes.

import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { fakeContext } from '../../testing/cloudwatchKit';
import { createRdsHandler } from '../../rds/handler';
import { AwsError, type ServiceHandler, type ServiceRequest, type ServiceResponse } from '../../server/types';

const start = Date.UTC(2026, 10, 2, 9, 0, 0);
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['DBInstance', 'Tag'].includes(name) });

function rdsRequest(params: Record<string, string>): ServiceRequest {
  const body = new URLSearchParams({ Version: '2014-10-31', ...params }).toString();
  return {
    service: 'rds',
    region: 'us-east-1',
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(body),
    requestId: 'req-1',
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parse(response: ServiceResponse): any {
  return xml.parse(String(response.body));
}

function throwsAws(fn: () => unknown, code: string, status?: number, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.code, code, e.message);
    if (status !== undefined) assert.equal(e.status, status);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('local RDS handler', () => {
  let rds: ServiceHandler;
  beforeEach(() => {
    rds = createRdsHandler(start);
  });
  const call = (params: Record<string, string>, at = start, deny?: RegExp) => {
    const ctx = fakeContext(at, deny);
    return { response: rds(rdsRequest(params), ctx) as ServiceResponse, ctx };
  };

  it('describes both demo instances in the 2014-10-31 XML, authorizing db:*', () => {
    const { response, ctx } = call({ Action: 'DescribeDBInstances' });
    assert.equal(response.status, 200);
    assert.match(
      String(response.body),
      /^<DescribeDBInstancesResponse xmlns="http:\/\/rds\.amazonaws\.com\/doc\/2014-10-31\/">/,
    );
    const result = parse(response).DescribeDBInstancesResponse.DescribeDBInstancesResult;
    const [orders, users] = result.DBInstances.DBInstance;
    assert.equal(orders.DBInstanceIdentifier, 'orders-db');
    assert.equal(orders.Engine, 'postgres');
    assert.equal(orders.DBInstanceStatus, 'available');
    assert.equal(orders.Endpoint.Port, '5432');
    assert.equal(orders.InstanceCreateTime, new Date(start - 412 * 86_400_000).toISOString().replace('.000Z', 'Z'));
    assert.equal(users.DBInstanceIdentifier, 'users-db');
    assert.equal(users.MultiAZ, 'false');
    assert.equal(users.SecondaryAvailabilityZone, undefined);
    assert.deepEqual(ctx.authorized, ['rds:DescribeDBInstances arn:aws:rds:us-east-1:111122223333:db:*']);
  });

  it('describes one instance by identifier or ARN, and filters by db-instance-id and engine', () => {
    const byArn = call({
      Action: 'DescribeDBInstances',
      DBInstanceIdentifier: 'arn:aws:rds:us-east-1:111122223333:db:users-db',
    });
    assert.deepEqual(byArn.ctx.authorized, ['rds:DescribeDBInstances arn:aws:rds:us-east-1:111122223333:db:users-db']);
    assert.equal(
      parse(byArn.response).DescribeDBInstancesResponse.DescribeDBInstancesResult.DBInstances.DBInstance[0]
        .DBInstanceIdentifier,
      'users-db',
    );
    const filtered = call({
      Action: 'DescribeDBInstances',
      'Filters.Filter.1.Name': 'db-instance-id',
      'Filters.Filter.1.Values.Value.1': 'orders-db',
    }).response;
    assert.equal(
      parse(filtered).DescribeDBInstancesResponse.DescribeDBInstancesResult.DBInstances.DBInstance.length,
      1,
    );
    const none = call({
      Action: 'DescribeDBInstances',
      'Filters.Filter.1.Name': 'engine',
      'Filters.Filter.1.Values.Value.1': 'mysql',
    }).response;
    assert.equal(parse(none).DescribeDBInstancesResponse.DescribeDBInstancesResult.DBInstances, '');
    throwsAws(
      () =>
        call({
          Action: 'DescribeDBInstances',
          'Filters.Filter.1.Name': 'colour',
          'Filters.Filter.1.Values.Value.1': 'x',
        }),
      'InvalidParameterValue',
    );
    throwsAws(
      () => call({ Action: 'DescribeDBInstances', MaxRecords: '5' }),
      'InvalidParameterValue',
      400,
      /between 20 and 100/,
    );
  });

  it('answers DBInstanceNotFound (404) only to callers allowed to ask', () => {
    throwsAws(
      () => call({ Action: 'DescribeDBInstances', DBInstanceIdentifier: 'nope' }),
      'DBInstanceNotFound',
      404,
      /^DBInstance nope not found\.$/,
    );
    throwsAws(
      () => call({ Action: 'DescribeDBInstances', DBInstanceIdentifier: 'nope' }, start, /^rds:Describe/),
      'AccessDenied',
      403,
    );
    throwsAws(() => call({ Action: 'RebootDBInstance', DBInstanceIdentifier: 'nope' }), 'DBInstanceNotFound', 404);
  });

  it('reboots: rebooting for 60 s of the endpoint clock, then available; a denied reboot changes nothing', () => {
    throwsAws(
      () => call({ Action: 'RebootDBInstance', DBInstanceIdentifier: 'orders-db' }, start, /RebootDBInstance/),
      'AccessDenied',
    );
    assert.equal(
      parse(call({ Action: 'DescribeDBInstances', DBInstanceIdentifier: 'orders-db' }).response)
        .DescribeDBInstancesResponse.DescribeDBInstancesResult.DBInstances.DBInstance[0].DBInstanceStatus,
      'available',
    );
    const { response, ctx } = call({ Action: 'RebootDBInstance', DBInstanceIdentifier: 'orders-db' });
    assert.deepEqual(ctx.authorized, ['rds:RebootDBInstance arn:aws:rds:us-east-1:111122223333:db:orders-db']);
    assert.equal(
      parse(response).RebootDBInstanceResponse.RebootDBInstanceResult.DBInstance[0].DBInstanceStatus,
      'rebooting',
    );
    const statusAt = (t: number) =>
      parse(call({ Action: 'DescribeDBInstances', DBInstanceIdentifier: 'orders-db' }, t).response)
        .DescribeDBInstancesResponse.DescribeDBInstancesResult.DBInstances.DBInstance[0].DBInstanceStatus;
    assert.equal(statusAt(start + 59_999), 'rebooting');
    throwsAws(
      () => call({ Action: 'RebootDBInstance', DBInstanceIdentifier: 'orders-db' }, start + 30_000),
      'InvalidDBInstanceState',
      400,
    );
    assert.equal(statusAt(start + 60_000), 'available');
  });

  it('refuses ForceFailover on a single-AZ instance, a missing identifier, other actions and versions', () => {
    throwsAws(
      () => call({ Action: 'RebootDBInstance', DBInstanceIdentifier: 'users-db', ForceFailover: 'true' }),
      'InvalidParameterCombination',
    );
    assert.equal(
      call({ Action: 'RebootDBInstance', DBInstanceIdentifier: 'orders-db', ForceFailover: 'true' }).response.status,
      200,
    );
    throwsAws(() => call({ Action: 'RebootDBInstance' }), 'MissingParameter');
    throwsAws(() => call({ Action: 'DeleteDBInstance', DBInstanceIdentifier: 'orders-db' }), 'InvalidAction');
    throwsAws(() => call({ Action: 'DescribeDBInstances', Version: '2013-01-10' }), 'InvalidAction');
  });

  it('has no instances outside the demo account and region', () => {
    const ctx = { ...fakeContext(start), region: 'eu-west-1' };
    const response = rds(rdsRequest({ Action: 'DescribeDBInstances' }), ctx) as ServiceResponse;
    assert.equal(parse(response).DescribeDBInstancesResponse.DescribeDBInstancesResult.DBInstances, '');
  });
});
