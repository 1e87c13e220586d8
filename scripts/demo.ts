// `npm run demo`: the extension in a browser against the local AWS endpoint's demo data.
// Options: --port N (code-server; default, or 0: 8080 or the next free), --aws-port N
// (default: any free). Ctrl-C stops everything it started.
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { resolveRole } from '../src/core/policy/assign';
import { parsePolicy } from '../src/core/policy/parse';
import { demoSsoPassword, demoSsoUser } from '../localaws/sso/directory';
import {
  createWorkspace,
  demoRegion,
  getExtensionSettings,
  startAwsFixture,
  type AwsFixture,
  type FixtureIdentity,
} from './lib/awsFixture';
import { runNpmScript } from './lib/build';
import { startCodeServer } from './lib/codeServer';
import { demoPolicyPath, ensureDir, extensionId, getExtensionManifest, repoRoot } from './lib/paths';
import { getPortFrom, registerCleanup } from './lib/processes';

const demoDir = join(repoRoot, '.demo');

function say(message: string): void {
  console.log(`demo: ${message}`);
}

function getPortArg(argv: string[], flag: string): number | undefined {
  const index = argv.indexOf(flag);
  if (index < 0) return undefined;
  const port = Number(argv[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${flag} needs a port number, got ${argv[index + 1]}`);
  return port;
}

/** Links the repo into the extensions dir, so a rebuild plus "Reload Window" picks it up. */
function linkExtension(extensionsDir: string): void {
  const { version } = getExtensionManifest();
  for (const entry of readdirSync(extensionsDir)) {
    // Stale links from other versions, and the index VS Code would trust over the folder.
    if (entry.startsWith(`${extensionId}-`) || entry === 'extensions.json' || entry === '.obsolete') {
      rmSync(join(extensionsDir, entry), {
        recursive: lstatSync(join(extensionsDir, entry)).isDirectory(),
        force: true,
      });
    }
  }
  symlinkSync(repoRoot, join(extensionsDir, `${extensionId}-${version}`), 'dir');
}

function getRoleNames(identities: FixtureIdentity[]): Map<string, string> {
  const parsed = parsePolicy(readFileSync(demoPolicyPath, 'utf8'));
  const roles = new Map<string, string>();
  for (const identity of identities) {
    const role = parsed.ok
      ? resolveRole(parsed.policy, { arn: identity.arn, account: identity.arn.split(':')[4] ?? '' })?.role
      : undefined;
    roles.set(identity.name, role ?? (parsed.ok ? '(no role)' : '(policy invalid)'));
  }
  return roles;
}

function getWorkspaceReadme(aws: AwsFixture): string {
  return [
    '# InfraWatch demo workspace',
    '',
    'Everything here talks to the local AWS endpoint that `npm run demo` started, not to AWS.',
    '',
    '- The access policy is `.infrawatch/policy.json` (a copy of `demo/policy.json`, refreshed at each start).',
    '- Open the InfraWatch view in the activity bar: you start as Erin, an Employee (profile `demo-employee`).',
    '- "InfraWatch: Switch AWS Profile" changes who you are: `demo-manager`, `demo-admin`, `demo-unassigned`, `demo-sso`.',
    `- MFA codes: \`curl -s ${aws.url}/_localaws/totp/employee\` (or manager, admin, …).`,
    '- After "InfraWatch: Request Access", a new terminal has the session (and `AWS_ENDPOINT_URL` pointing here): try `aws sts get-caller-identity`.',
    '  The AWS CLI v1 needs `--endpoint-url "$AWS_ENDPOINT_URL"` for RDS in us-east-1: `aws rds describe-db-instances --endpoint-url "$AWS_ENDPOINT_URL"`.',
    '',
  ].join('\n');
}

function printBanner(url: string, aws: AwsFixture, logFile: string): void {
  const roles = getRoleNames(aws.identities);
  const rows = aws.identities.map((i) => [`demo-${i.name}`, i.label ?? i.name, roles.get(i.name) ?? '']);
  const width = (col: number) => Math.max(...rows.map((r) => r[col]!.length));
  console.log(`\n  InfraWatch demo is running: open ${url}\n`);
  console.log(`  Local AWS endpoint: ${aws.url} (region ${demoRegion})`);
  console.log('  Identities (switch with "InfraWatch: Switch AWS Profile"):');
  for (const row of rows) console.log(`    ${row[0]!.padEnd(width(0))}  ${row[1]!.padEnd(width(1))}  ${row[2]}`);
  console.log(
    `\n  MFA code for a role that needs one: curl -s ${aws.url}/_localaws/totp/employee  (or manager, admin, sso)`,
  );
  console.log(
    `  Identity Center: profile demo-identity-center signs in as ${demoSsoUser} / ${demoSsoPassword} + the sso MFA code, on ${aws.url}/sso/device`,
  );
  console.log(`  Edited the code? npm run build, then "Developer: Reload Window" in the browser.`);
  console.log(`  code-server log: ${logFile}`);
  console.log('\n  Press Ctrl-C to stop.\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // Registered first, so it runs last, after code-server and the temp folders are gone.
  registerCleanup(() => console.log('demo: stopped everything it started'));
  const awsPort = getPortArg(argv, '--aws-port') ?? 0;
  // code-server needs the real number before it starts (the health check and the printed
  // address use it), so 0 means "the next free from 8080" rather than the OS's pick.
  const port = getPortArg(argv, '--port') || (await getPortFrom(8080));
  say('building the extension (npm run build)');
  await runNpmScript('build');
  if (!existsSync(join(repoRoot, getExtensionManifest().main ?? 'dist/extension.js'))) {
    throw new Error('npm run build did not produce the extension bundle named by package.json "main"');
  }
  const aws = await startAwsFixture(join(ensureDir(demoDir), 'aws'), awsPort);
  const workspace = createWorkspace(ensureDir(join(demoDir, 'workspace')), getWorkspaceReadme(aws));
  const extensionsDir = ensureDir(join(demoDir, 'extensions'));
  linkExtension(extensionsDir);
  const server = await startCodeServer({
    workspace,
    extensionsDir,
    port,
    label: 'demo',
    userSettings: getExtensionSettings(aws),
    env: aws.env,
  });
  printBanner(server.workbenchUrl(workspace), aws, server.logFile);
}

main().catch((err: unknown) => {
  console.error(`demo: FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
