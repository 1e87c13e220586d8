// npm run iam -- <policy.json> [--account <id>] [--out <dir>]: the IAM set-up kit
// (docs/setting-up-aws.md). The work is in src/core/iam/iamCommand.ts; this wires real files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runIamCommand } from '../src/core/iam/iamCommand';

process.exitCode = runIamCommand(process.argv.slice(2), {
  readText: (file) => readFileSync(file, 'utf8'),
  writeText: (file, text) => writeFileSync(file, text),
  makeDir: (dir) => mkdirSync(dir, { recursive: true }),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
