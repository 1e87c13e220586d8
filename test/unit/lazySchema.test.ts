// Schemas built on first use (src/shared/lazySchema.ts): nothing is built before the first
// read, once after it, and the stand-in validates, types and answers `instanceof` as the schema.
import assert from 'node:assert/strict';
import * as z from 'zod';
import { lazySchema, once } from '../../src/shared/lazySchema';
import { getPolicySchema, policySchema } from '../../src/core/policy/schema';

describe('lazySchema and once', () => {
  it('builds on the first read, once', () => {
    let builds = 0;
    const getPoint = once(() => {
      builds += 1;
      return z.strictObject({ x: z.number(), y: z.number() });
    });
    const point = lazySchema(getPoint);
    assert.equal(builds, 0, 'built before first use');
    assert.deepEqual(point.parse({ x: 1, y: 2 }), { x: 1, y: 2 });
    assert.equal(point.safeParse({ x: 1, y: 2, z: 3 }).success, false);
    assert.equal(getPoint(), getPoint());
    assert.equal(builds, 1);
  });

  it('is seen as the schema by instanceof, keys and shape', () => {
    const point = lazySchema(once(() => z.object({ x: z.number() })));
    assert.ok(point instanceof z.ZodObject);
    assert.deepEqual(Object.keys(point.shape), ['x']);
    assert.ok('safeParse' in point);
    assert.deepEqual(Object.keys(point), Object.keys(z.object({ x: z.number() })));
  });

  it('the exported policy schema is a stand-in for the one zod gets', () => {
    assert.equal(policySchema.shape, getPolicySchema().shape);
    assert.equal(policySchema.safeParse({}).success, getPolicySchema().safeParse({}).success);
  });
});
