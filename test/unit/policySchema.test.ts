import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { accessLevels, serviceIds } from '../../src/core/catalog';
import { getPolicyJsonSchema, getPolicyJsonSchemaText, policySchemaId } from '../../src/core/policy/jsonSchema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into and break the JSON freely
type JsonSchema = Record<string, any>;
const committedPath = path.join(__dirname, '..', '..', 'schemas', 'policy.schema.json');

/** Every property schema reachable from the root, with its JSON path. */
function collectProperties(schema: JsonSchema, at = '$'): Array<[string, JsonSchema]> {
  const found: Array<[string, JsonSchema]> = [];
  for (const [key, child] of Object.entries<JsonSchema>(schema.properties ?? {})) {
    found.push([`${at}.${key}`, child], ...collectProperties(child, `${at}.${key}`));
  }
  if (schema.items) found.push(...collectProperties(schema.items, `${at}[]`));
  if (typeof schema.additionalProperties === 'object')
    found.push(...collectProperties(schema.additionalProperties, `${at}.*`));
  return found;
}

describe('policy JSON Schema', () => {
  it('is committed exactly as scripts/genSchema.ts generates it (run `npx tsx scripts/genSchema.ts`)', () => {
    assert.equal(readFileSync(committedPath, 'utf8'), getPolicyJsonSchemaText());
  });

  it('targets draft-07 and has an id, title and description', () => {
    const schema = getPolicyJsonSchema();
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.$id, policySchemaId);
    assert.equal(schema.title, 'InfraWatch access policy');
    assert.ok(typeof schema.description === 'string' && schema.description.length > 10);
  });

  it('describes every property, for hover docs in the editor', () => {
    const properties = collectProperties(getPolicyJsonSchema());
    assert.ok(properties.length > 25, `only ${properties.length} properties found`);
    const undocumented = properties.filter(
      ([, child]) => typeof child.description !== 'string' || child.description.length === 0,
    );
    assert.deepEqual(
      undocumented.map(([at]) => at),
      [],
    );
  });

  it('rejects unknown keys everywhere (additionalProperties: false on every object)', () => {
    const schema = getPolicyJsonSchema() as JsonSchema;
    const role = schema.properties.roles.additionalProperties;
    const objects = [
      schema,
      schema.properties.accounts.items,
      role,
      role.properties.grants.items,
      schema.properties.assignments.items,
      schema.properties.audit,
    ];
    for (const object of objects) assert.equal(object.additionalProperties, false);
  });

  it('offers the catalog services and access levels, and the AWS duration bounds', () => {
    const grant = (getPolicyJsonSchema() as JsonSchema).properties.roles.additionalProperties.properties.grants.items;
    assert.deepEqual(grant.properties.service.enum, [...serviceIds]);
    assert.deepEqual(grant.properties.levels.items.enum, [...accessLevels]);
    assert.equal(grant.properties.maxMinutes.minimum, 15);
    assert.equal(grant.properties.maxMinutes.maximum, 720);
    assert.equal(grant.properties.maxMinutes.default, 60);
    assert.equal(grant.properties.mfa.default, true);
    assert.deepEqual(
      grant.required,
      ['service', 'levels'],
      'keys with defaults stay optional for people writing the file',
    );
  });

  it('says an assignment needs exactly one of principal and userName', () => {
    const assignment = (getPolicyJsonSchema() as JsonSchema).properties.assignments.items;
    assert.deepEqual(assignment.oneOf, [{ required: ['principal'] }, { required: ['userName'] }]);
    assert.deepEqual(assignment.required, ['role']);
  });
});
