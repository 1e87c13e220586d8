import * as assert from 'node:assert/strict';
import { catalog } from '../../src/core/catalog';
import { type Resource } from '../../src/core/discovery';
import { buildQueries, planQueries } from '../../src/core/metrics/queries';

const now = Date.UTC(2026, 5, 15, 12, 0, 0);
const range = { startMs: now - 3 * 3_600_000, endMs: now, nowMs: now };
const resource = (name: string, value: string): Resource => ({
  id: value,
  label: value,
  dimensions: [{ Name: name, Value: value }],
});

describe('metrics queries', () => {
  it('builds one query per resource and metric with stable ids and the catalog statistic', () => {
    const resources = [resource('FunctionName', 'checkout'), resource('FunctionName', 'resizer')];
    const queries = buildQueries(catalog.lambda, resources, catalog.lambda.metrics, range);
    assert.equal(queries.length, 2 * catalog.lambda.metrics.length);
    assert.deepEqual(
      queries.map((q) => q.Id),
      queries.map((_, i) => `m${i}`),
    );
    const duration = queries.find((q) => q.MetricStat?.Metric?.MetricName === 'Duration');
    assert.equal(duration?.MetricStat?.Stat, 'p95');
    assert.equal(queries.find((q) => q.MetricStat?.Metric?.MetricName === 'Errors')?.MetricStat?.Stat, 'Sum');
    assert.ok(
      queries.every(
        (q) => q.MetricStat?.Metric?.Namespace === 'AWS/Lambda' && q.MetricStat.Period === 60 && q.ReturnData,
      ),
    );
    assert.deepEqual(queries[catalog.lambda.metrics.length]?.MetricStat?.Metric?.Dimensions, [
      { Name: 'FunctionName', Value: 'resizer' },
    ]);
  });

  it('is resource-major, so plans map ids back to resource and metric', () => {
    const plans = planQueries(
      [resource('DBInstanceIdentifier', 'a'), resource('DBInstanceIdentifier', 'b')],
      catalog.rds.metrics,
      range,
    );
    assert.equal(plans[0]?.resource.id, 'a');
    assert.equal(plans[catalog.rds.metrics.length]?.resource.id, 'b');
    assert.equal(plans[1]?.metric.name, catalog.rds.metrics[1]?.name);
  });

  it('adds the StorageType S3 storage metrics are published with, and a daily period', () => {
    const queries = buildQueries(catalog.s3, [resource('BucketName', 'logs')], catalog.s3.metrics, range);
    const dims = Object.fromEntries(
      queries.map((q) => [q.MetricStat?.Metric?.MetricName, q.MetricStat?.Metric?.Dimensions]),
    );
    assert.deepEqual(dims.BucketSizeBytes, [
      { Name: 'BucketName', Value: 'logs' },
      { Name: 'StorageType', Value: 'StandardStorage' },
    ]);
    assert.deepEqual(dims.NumberOfObjects, [
      { Name: 'BucketName', Value: 'logs' },
      { Name: 'StorageType', Value: 'AllStorageTypes' },
    ]);
    assert.ok(queries.every((q) => q.MetricStat?.Period === 86_400));
  });

  it('uses every dimension of a multi-dimension resource (ECS)', () => {
    const ecs: Resource = {
      id: 'prod/web',
      label: 'prod / web',
      dimensions: [
        { Name: 'ClusterName', Value: 'prod' },
        { Name: 'ServiceName', Value: 'web' },
      ],
    };
    const [query] = buildQueries(catalog.ecs, [ecs], catalog.ecs.metrics, range);
    assert.deepEqual(query?.MetricStat?.Metric?.Dimensions, ecs.dimensions);
  });
});
