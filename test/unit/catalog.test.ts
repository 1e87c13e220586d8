import * as assert from 'node:assert/strict';
import { accessLevels, catalog, getActions, serviceIds } from '../../src/core/catalog';

describe('catalog', () => {
  it('covers the nine services: EC2, RDS, Lambda, ECS, DynamoDB, S3, SQS, ALB, API Gateway', () => {
    assert.deepEqual(Object.keys(catalog).sort(), [...serviceIds].sort());
    assert.equal(serviceIds.length, 9);
  });

  it('gives every service a namespace, a resource dimension, metrics and actions at every level', () => {
    for (const id of serviceIds) {
      const spec = catalog[id];
      assert.equal(spec.id, id);
      assert.match(spec.namespace, /^AWS\//);
      assert.ok(spec.resourceDimensions.length > 0, id);
      assert.ok(spec.metrics.length > 0, id);
      for (const level of accessLevels) assert.ok(spec.actions[level].length > 0, `${id} ${level}`);
    }
  });

  it('makes each level include the actions of the levels below it', () => {
    const read = getActions('rds', 'read');
    const write = getActions('rds', 'write');
    assert.ok(read.every((a) => write.includes(a)));
    assert.ok(write.includes('rds:RebootDBInstance'));
    assert.ok(!read.includes('rds:RebootDBInstance'));
  });

  it('asks for Lambda Duration at p95, where an average would hide the slow tail', () => {
    assert.equal(catalog.lambda.metrics.find((m) => m.name === 'Duration')?.stat, 'p95');
  });
});
