import * as assert from 'node:assert/strict';
import { catalog } from '../../src/core/catalog';
import {
  type AlarmSummary,
  countResourcesInAlarm,
  getResourceAlarms,
  getWorstState,
  groupResources,
} from '../../src/core/discovery';

const dim = (Name: string, Value: string) => ({ Name, Value });

describe('discovery', () => {
  it('groups metrics into one resource per resource-dimension value', () => {
    const resources = groupResources(catalog.rds, [
      { Dimensions: [dim('DBInstanceIdentifier', 'orders-db')] },
      { Dimensions: [dim('DBInstanceIdentifier', 'orders-db')] },
      { Dimensions: [dim('DBInstanceIdentifier', 'users-db')] },
      { Dimensions: [] }, // account-wide metric: not a resource
      { Dimensions: [dim('DatabaseClass', 'db.r6g.large')] }, // another aggregation
    ]);
    assert.deepEqual(
      resources.map((r) => r.id),
      ['orders-db', 'users-db'],
    );
  });

  it('needs every resource dimension (ECS services, not clusters)', () => {
    const resources = groupResources(catalog.ecs, [
      { Dimensions: [dim('ClusterName', 'prod')] },
      { Dimensions: [dim('ClusterName', 'prod'), dim('ServiceName', 'web')] },
    ]);
    assert.deepEqual(
      resources.map((r) => [r.id, r.label]),
      [['prod/web', 'prod / web']],
    );
  });

  it('accepts the extra dimensions a service adds (S3 StorageType)', () => {
    const resources = groupResources(catalog.s3, [
      { Dimensions: [dim('BucketName', 'logs'), dim('StorageType', 'StandardStorage')] },
      { Dimensions: [dim('BucketName', 'logs'), dim('StorageType', 'AllStorageTypes')] },
    ]);
    assert.deepEqual(
      resources.map((r) => r.id),
      ['logs'],
    );
  });

  it('matches alarms to resources and picks the worst state', () => {
    const alarm = (name: string, state: AlarmSummary['state'], value: string): AlarmSummary => ({
      name,
      state,
      reason: '',
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      dimensions: [dim('DBInstanceIdentifier', value)],
    });
    const alarms = [alarm('a', 'OK', 'orders-db'), alarm('b', 'ALARM', 'orders-db'), alarm('c', 'ALARM', 'users-db')];
    const [orders] = groupResources(catalog.rds, [{ Dimensions: [dim('DBInstanceIdentifier', 'orders-db')] }]);
    const mine = getResourceAlarms(catalog.rds, orders!, alarms);
    assert.deepEqual(
      mine.map((a) => a.name),
      ['a', 'b'],
    );
    assert.equal(getWorstState(mine), 'ALARM');
    assert.equal(getWorstState([alarm('x', 'INSUFFICIENT_DATA', 'x'), alarm('y', 'OK', 'y')]), 'INSUFFICIENT_DATA');
    assert.equal(getWorstState([]), undefined);
  });
});

describe('countResourcesInAlarm', () => {
  const alarm = (
    state: AlarmSummary['state'],
    namespace: string,
    dims: { Name: string; Value: string }[],
  ): AlarmSummary => ({
    name: 'x',
    state,
    reason: '',
    namespace,
    metricName: 'm',
    dimensions: dims,
  });

  it('counts distinct resources in ALARM among the allowed services only', () => {
    const alarms = [
      alarm('ALARM', 'AWS/RDS', [dim('DBInstanceIdentifier', 'orders-db')]),
      alarm('ALARM', 'AWS/RDS', [dim('DBInstanceIdentifier', 'orders-db')]), // a second alarm, same resource
      alarm('ALARM', 'AWS/RDS', [dim('DBInstanceIdentifier', 'users-db')]),
      alarm('OK', 'AWS/Lambda', [dim('FunctionName', 'f')]),
      alarm('ALARM', 'AWS/DynamoDB', [dim('TableName', 't')]), // not allowed here
      alarm('ALARM', 'AWS/RDS', []), // not about one resource
    ];
    assert.equal(countResourcesInAlarm([catalog.rds, catalog.lambda], alarms), 2);
    assert.equal(countResourcesInAlarm([catalog.lambda], alarms), 0);
  });
});
