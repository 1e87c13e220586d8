// The policy's JSON Schema, generated from the zod schema so the editor and the parser never
// disagree. Draft-07 is what VS Code's JSON language service handles best; "input" mode
// leaves keys with defaults optional, as people write them.
import * as z from 'zod';
import { getPolicySchema } from './schema';

export const policySchemaId = 'https://infrawatch.dev/schemas/policy.schema.json';

export function getPolicyJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(getPolicySchema(), { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: policySchemaId, title: 'InfraWatch access policy', ...rest };
}

/** The file content of schemas/policy.schema.json. */
export function getPolicyJsonSchemaText(): string {
  return `${JSON.stringify(getPolicyJsonSchema(), null, 2)}\n`;
}
