// `npm run iam -- <policy.json> [--account <id>] [--out <dir>]`: validate the policy, then write
// one CloudFormation template per account. File and console access come in through `io`, so
// the whole command runs in a unit test.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parsePolicy, type PolicyProblem } from '../policy/parse';
import { type AccessPolicy } from '../policy/schema';
import { buildIamTemplate, getIamTemplateWarnings } from './template';

export interface IamCommandIo {
  readText(file: string): string;
  writeText(file: string, text: string): void;
  makeDir(dir: string): void;
  stdout(line: string): void;
  stderr(line: string): void;
}

/** 0 written, 1 invalid policy or unknown account, 2 wrong usage or unreadable file. */
export type IamExitCode = 0 | 1 | 2;

export const iamUsage =
  'usage: npm run iam -- <policy.json> [--account <12-digit id>] [--out <dir>]\n' +
  '  Validates the access policy and writes a CloudFormation template with its IAM roles:\n' +
  '  to stdout for one account, or <dir>/infrawatch-iam-<account>.json per account with --out.';

interface IamArgs {
  policyFile: string;
  account?: string;
  out?: string;
}

function readArgs(argv: readonly string[]): IamArgs | string {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { account: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return '';
    if (positionals.length !== 1) return `expected one policy file, got ${positionals.length}`;
    return { policyFile: positionals[0]!, account: values.account, out: values.out };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `policy.json:12:5 $.roles.Manager.inherits: unknown role "Mgr"`. */
export function formatProblem(file: string, problem: PolicyProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
  return `${where} ${problem.path}: ${problem.message}`;
}

/** The file a template for `account` is written to under `dir`. */
export function getTemplateFileName(dir: string, account: string): string {
  return path.join(dir, `infrawatch-iam-${account}.json`);
}

function loadPolicy(args: IamArgs, io: IamCommandIo): AccessPolicy | IamExitCode {
  let text: string;
  try {
    text = io.readText(args.policyFile);
  } catch (error) {
    io.stderr(`cannot read the policy ${args.policyFile}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const result = parsePolicy(text);
  if (!result.ok) {
    io.stderr(
      `${args.policyFile} is not a valid InfraWatch policy (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}); no template written:`,
    );
    for (const problem of result.problems) io.stderr(`  ${formatProblem(args.policyFile, problem)}`);
    return 1;
  }
  for (const warning of result.warnings) io.stderr(`warning: ${formatProblem(args.policyFile, warning)}`);
  return result.policy;
}

function pickAccounts(policy: AccessPolicy, args: IamArgs, io: IamCommandIo): string[] | IamExitCode {
  const ids = policy.accounts.map((a) => a.id);
  if (args.account !== undefined && !ids.includes(args.account)) {
    io.stderr(`account ${args.account} is not in the policy; its accounts are ${ids.join(', ')}`);
    return 1;
  }
  const accounts = args.account === undefined ? ids : [args.account];
  if (args.out === undefined && accounts.length > 1) {
    io.stderr(
      `the policy lists ${accounts.length} accounts; pass --account <id> to print one template, or --out <dir> to write one file per account`,
    );
    return 2;
  }
  return accounts;
}

export function runIamCommand(argv: readonly string[], io: IamCommandIo): IamExitCode {
  const args = readArgs(argv);
  if (typeof args === 'string') {
    if (args !== '') io.stderr(`npm run iam: ${args}`);
    (args === '' ? io.stdout : io.stderr)(iamUsage);
    return args === '' ? 0 : 2;
  }
  const policy = loadPolicy(args, io);
  if (typeof policy === 'number') return policy;
  const accounts = pickAccounts(policy, args, io);
  if (typeof accounts === 'number') return accounts;
  if (args.out !== undefined) io.makeDir(args.out);
  for (const account of accounts) {
    for (const warning of getIamTemplateWarnings(policy, account)) io.stderr(`warning: account ${account}: ${warning}`);
    const text = `${JSON.stringify(buildIamTemplate(policy, account), null, 2)}\n`;
    if (args.out === undefined) {
      io.stdout(text.trimEnd());
    } else {
      const file = getTemplateFileName(args.out, account);
      io.writeText(file, text);
      io.stdout(`wrote ${file}`);
    }
  }
  return 0;
}
