// Writes schemas/policy.schema.json from the zod schema (run: npx tsx scripts/genSchema.ts).
// A unit test fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { getPolicyJsonSchemaText } from '../src/core/policy/jsonSchema';

const target = path.join(__dirname, '..', 'schemas', 'policy.schema.json');
writeFileSync(target, getPolicyJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
