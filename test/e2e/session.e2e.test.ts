// The just-in-time story as a person lives it: Request Access from the palette, the MFA
// code, the status-bar countdown, a new terminal where the `aws` on PATH and a boto3
// one-liner work with exactly the granted scope, a debug launch of a Node program that
// gets the session, a window reload that keeps it, and Revoke that ends it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type E2eSession, useE2eSession } from './harness';
import { clickDialogButton, quickInput, requestRdsRead, statusItem } from './requestAccessKit';
import { newTerminal, runInTerminal } from './terminalKit';

const repoRoot = join(__dirname, '..', '..');
// A boto3 script as a person would type it; boto3 reads AWS_ENDPOINT_URL for every service.
const botoListDatabases = `python3 -c "import boto3; print(*[d['DBInstanceIdentifier'] for d in boto3.client('rds').describe_db_instances()['DBInstances']])"`;
// AWS CLI v1 sends RDS calls in us-east-1 to rds.amazonaws.com unless --endpoint-url is given.
const cliReboot = 'aws rds reboot-db-instance --db-instance-identifier orders-db --endpoint-url "$AWS_ENDPOINT_URL"';

async function pickQuick(page: Page, label: string): Promise<void> {
  const input = page.locator(`${quickInput} .quick-input-box input`);
  await input.waitFor({ timeout: 10_000 });
  await input.fill(label);
  await page
    .locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: label })
    .first()
    .click({ timeout: 10_000 });
}

/** A launch configuration naming the session, and the Node program it runs (SDK v3, default chain). */
function writeDebugLaunch(workspace: string): string {
  const out = join(workspace, 'whoami.json');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    join(workspace, '.vscode', 'launch.json'),
    JSON.stringify(
      {
        version: '0.2.0',
        configurations: [
          {
            type: 'node',
            request: 'launch',
            name: 'Who am I',
            program: '${workspaceFolder}/whoami.js',
            infrawatchSession: 'rds:read',
          },
        ],
      },
      null,
      2,
    ),
  );
  const sts = JSON.stringify(join(repoRoot, 'node_modules', '@aws-sdk', 'client-sts'));
  writeFileSync(
    join(workspace, 'whoami.js'),
    [
      `const { STSClient, GetCallerIdentityCommand } = require(${sts});`,
      `new STSClient({}).send(new GetCallerIdentityCommand({})).then(`,
      `  (out) => { console.log('debuggee is', out.Arn); require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ arn: out.Arn })); },`,
      `  (error) => { console.error(error.message); require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ error: error.message })); });`,
    ].join('\n'),
  );
  return out;
}

/** Back to the terminal panel (a debug launch shows the Debug Console instead). */
async function focusTerminal(e2e: E2eSession): Promise<void> {
  await e2e.runPaletteCommand('Terminal: Focus Terminal');
  await e2e.page.locator('.terminal-wrapper.active .xterm-rows').waitFor({ timeout: 20_000 });
}

/** "Debug: Select and Start Debugging", then a click on the launch configuration. */
async function startDebugging(e2e: E2eSession, name: string): Promise<void> {
  await e2e.runPaletteCommand('Debug: Select and Start Debugging');
  // The picker replaces the palette (its input starts with "debug "): click, do not type.
  await e2e.page
    .locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: name })
    .first()
    .click({ timeout: 15_000 });
}

async function waitForFile(path: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) return readFileSync(path, 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${path}`);
}

describe('just-in-time credentials (e2e)', function () {
  const session = useE2eSession({ label: 'session' });

  it('grants RDS read with MFA; a new terminal works with exactly that scope; reload keeps it; Revoke ends it', async function () {
    this.timeout(240_000);
    const s = session();
    const { page } = s;
    const employee = s.aws.identities.find((i) => i.name === 'employee')!;
    await s.openInfraWatch();
    await s.waitForTree('the Employee services', (rows) => rows.some((r) => r.label === 'RDS'));

    await s.runCommand('Request Access');
    await requestRdsRead(page, 'orders-db CPU at 95%, checking slow queries', employee.totpSeed);

    const status = page.locator(statusItem);
    await status.filter({ hasText: /RDS read (29|30):\d\d/ }).waitFor({ timeout: 20_000 });
    await s.waitForTree('the session on RDS', (rows) =>
      rows.some((r) => r.label === 'RDS' && /read \d+ min left/.test(r.description)),
    );
    await s.screenshot('session-granted');

    await newTerminal(s);
    const who = await runInTerminal(page, 'aws sts get-caller-identity --query Arn --output text', 'who');
    assert.match(
      who.output,
      /^arn:aws:sts::111122223333:assumed-role\/InfraWatch-Employee\/erin\.employee@[0-9a-f]+$/,
      who.output,
    );
    assert.equal(who.status, 0);
    const read = await runInTerminal(page, botoListDatabases, 'read');
    assert.match(read.output, /orders-db/, read.output);
    assert.equal(read.status, 0);
    const write = await runInTerminal(page, cliReboot, 'write');
    assert.match(write.output, /AccessDenied/, write.output);
    assert.notEqual(write.status, 0);
    const other = await runInTerminal(page, 'aws lambda list-functions', 'other');
    assert.match(other.output, /AccessDenied/, `outside the session's service: ${other.output}`);
    const secrets = await runInTerminal(
      page,
      "env | grep -cE '^AWS_(SECRET_ACCESS_KEY|SESSION_TOKEN|ACCESS_KEY_ID)='",
      'secrets',
    );
    assert.equal(secrets.output.replace(/\s/g, ''), '0', 'no secret-named variable in the terminal');
    await s.screenshot('session-terminal');

    // The workspace gets a launch configuration naming the session (read when the window loads).
    const out = writeDebugLaunch(s.workspace);

    // A window reload keeps the unexpired session (SecretStorage), countdown and all,
    // and a terminal opened afterwards has it again.
    await page.reload();
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await page
      .locator(statusItem)
      .filter({ hasText: /RDS read (29|30|28):\d\d/ })
      .waitFor({ timeout: 30_000 });
    await newTerminal(s);
    const again = await runInTerminal(page, 'aws sts get-caller-identity --query Arn --output text', 'again');
    assert.match(again.output, /assumed-role\/InfraWatch-Employee\/erin\.employee@/, again.output);

    // A debug launch that names the session: a Node program on SDK v3 is the session's role.
    await startDebugging(s, 'Who am I');
    const debuggee = JSON.parse(await waitForFile(out, 60_000)) as { arn?: string; error?: string };
    assert.match(debuggee.arn ?? '', /assumed-role\/InfraWatch-Employee\/erin\.employee@/, JSON.stringify(debuggee));

    // Revoke from the status bar's sessions menu; the same terminal's next call fails.
    await focusTerminal(s);
    await page.locator(statusItem).click();
    await pickQuick(page, 'Revoke');
    await clickDialogButton(page, 'Revoke');
    await page.locator(statusItem).filter({ hasText: 'Request Access' }).waitFor({ timeout: 15_000 });
    const after = await runInTerminal(page, 'aws sts get-caller-identity --query Arn --output text', 'after');
    assert.doesNotMatch(after.output, /assumed-role/, after.output);
    assert.notEqual(after.status, 0, `the CLI fails once the session is revoked: ${after.output}`);
    assert.match(after.output, /session was revoked/, "the CLI shows InfraWatch's message");
    await s.screenshot('session-revoked');
  });
});
