// Signing in with IAM Identity Center as a person does: the palette command, the device
// code in a notification, the verification page in a second browser tab (sign in, Allow),
// the account and permission set, and the sidebar as that identity; then a grant requested
// and used in a terminal, and the same SSO cache serving the `aws` on PATH for an
// sso_session profile.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoSsoProfileName, demoSsoSessionName } from '../localaws/awsFiles';
import { ssoRoleName } from '../localaws/identities';
import { demoSsoPassword, demoSsoUser } from '../localaws/ssoDirectory';
import { type E2eSession, startE2e } from './harness';
import { answer, quickInput, statusItem } from './requestAccessKit';

const notification = '.notifications-toasts .notification-toast';

async function pickQuick(page: Page, label: string): Promise<void> {
  const input = page.locator(`${quickInput} .quick-input-box input`);
  await input.waitFor({ timeout: 15_000 });
  await input.fill(label);
  await page.locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: label }).first().click({ timeout: 15_000 });
}

async function clickToastButton(page: Page, hasText: RegExp, button: string): Promise<string> {
  const toast = page.locator(notification, { hasText }).first();
  await toast.waitFor({ timeout: 30_000 });
  const text = (await toast.textContent()) ?? '';
  await toast.getByRole('button', { name: button, exact: true }).click({ timeout: 10_000 });
  return text;
}

/** The verification page: opened by the notification's button (a new tab), else by its URL. */
async function approveInBrowser(s: E2eSession, userCode: string, openButton: Promise<unknown>): Promise<void> {
  const context = s.page.context();
  const popup = context.waitForEvent('page', { timeout: 15_000 }).catch(() => undefined);
  await openButton;
  let approval = await popup;
  // VS Code may ask before opening an external site; allow it if it does.
  if (!approval) {
    const open = s.page.locator('.monaco-dialog-box .dialog-buttons').getByRole('button', { name: 'Open', exact: true });
    if (await open.isVisible().catch(() => false)) {
      const again = context.waitForEvent('page', { timeout: 15_000 });
      await open.click();
      approval = await again.catch(() => undefined);
    }
  }
  approval ??= await context.newPage();
  if (!approval.url().includes('/sso/device')) await approval.goto(`${s.aws.url}/sso/device?user_code=${encodeURIComponent(userCode)}`);
  await approval.locator('#user_code').waitFor({ timeout: 15_000 });
  assert.equal(await approval.locator('#user_code').inputValue(), userCode, 'the page shows the code the editor showed');
  const mfa = (await (await fetch(`${s.aws.url}/_localaws/totp/sso`)).json()) as { code: string };
  await approval.locator('#username').fill(demoSsoUser);
  await approval.locator('#password').fill(demoSsoPassword);
  await approval.locator('#mfa_code').fill(mfa.code);
  await approval.locator('#allow').click();
  await approval.locator('#result').filter({ hasText: /approved/i }).waitFor({ timeout: 15_000 });
  await approval.close();
}

async function runInTerminal(page: Page, command: string, marker: string): Promise<{ output: string; status: number }> {
  const textarea = page.locator('.terminal-wrapper.active .xterm-helper-textarea');
  await textarea.focus();
  await page.keyboard.type(`echo ${marker}-$((1+1)); ${command}; echo ${marker}-end-$?\n`, { delay: 1 });
  const pattern = new RegExp(`${marker}-2([\\s\\S]*)${marker}-end-(\\d+)`);
  let text = '';
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    text = (await page.locator('.terminal-wrapper.active .xterm-rows').innerText()).replace(/\u00a0/g, ' ');
    const match = pattern.exec(text.replace(/\n/g, ''));
    if (match) return { output: match[1]!.trim(), status: Number(match[2]) };
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for "${command}"; the terminal shows:\n${text}`);
}

function runAws(s: E2eSession, home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, AWS_CONFIG_FILE: s.aws.configFile, AWS_SHARED_CREDENTIALS_FILE: s.aws.credentialsFile, AWS_ENDPOINT_URL: s.aws.url, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };
  return new Promise((resolve) => {
    execFile('aws', args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('sign in with IAM Identity Center (e2e)', function () {
  let e2e: E2eSession | undefined;
  // The extension host's HOME: where the shared SSO cache (~/.aws/sso/cache) is written.
  const home = mkdtempSync(join(tmpdir(), 'iw-e2e-home-'));
  // Terminals read ~/.bashrc, which is where tool managers (pyenv) put their PATH: keep the
  // runner's PATH there, so the terminal's `aws` is the one this test runs too.
  writeFileSync(join(home, '.bashrc'), `export PATH=${JSON.stringify(process.env.PATH ?? '/usr/bin:/bin')}\n`);

  before(async function () {
    this.timeout(300_000);
    e2e = await startE2e({ label: 'signin', env: { HOME: home } });
  });

  afterEach(async function () {
    if (e2e && this.currentTest?.state === 'failed') await e2e.screenshot(`failed-signin-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`);
  });

  after(async () => {
    await e2e?.close();
  });

  it('signs in through the device flow, picks account and permission set, requests a grant and uses it in a terminal; the cache serves the aws CLI', async function () {
    this.timeout(300_000);
    const s = e2e!;
    const { page } = s;
    await s.openInfraWatch();
    await s.waitForTree('the profile\'s identity first', (rows) => rows.some((r) => r.label === 'RDS'));

    await s.runCommand('Sign In with IAM Identity Center');
    await pickQuick(page, `sso-session ${demoSsoSessionName}`);

    // The code, and the button that opens the verification page.
    const toast = page.locator(notification, { hasText: /your code is/ }).first();
    await toast.waitFor({ timeout: 30_000 });
    const userCode = /your code is ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec((await toast.textContent()) ?? '')?.[1];
    assert.ok(userCode, 'the notification shows the user code');
    await s.screenshot('signin-code');
    await approveInBrowser(s, userCode, toast.getByRole('button', { name: 'Open Sign-In Page', exact: true }).click());

    // Account, then permission set.
    await page.locator(`${quickInput} .quick-input-title`, { hasText: 'Sign In with IAM Identity Center' }).waitFor({ timeout: 30_000 });
    await pickQuick(page, 'InfraWatch Demo');
    await pickQuick(page, 'Developer');
    await clickToastButton(page, /Add the profile/, 'Add Profile');

    const rows = await s.waitForTree('the signed-in identity', (r) => r.some((row) => row.label.includes(ssoRoleName) || row.label.includes('sam.sso')), 60_000);
    assert.ok(rows.some((r) => r.label === 'RDS'), 'the Developer permission set maps to Employee');
    await s.screenshot('signin-signed-in');
    const cacheFiles = readdirSync(join(home, '.aws', 'sso', 'cache'));
    assert.equal(cacheFiles.length, 1, cacheFiles.join(', '));

    // A grant, with an MFA code only if the policy asks this kind of identity for one.
    await s.runCommand('Request Access');
    await answer(page, 'RDS', 'Which service');
    await answer(page, 'read', 'Which access level');
    await answer(page, '30 minutes', 'For how long');
    await answer(page, 'orders-db slow queries, signed in with Identity Center', 'e.g. orders-db');
    const codeInput = page.locator(`${quickInput} .quick-input-box input[placeholder^="6-digit code"]`);
    const granted = page.locator(statusItem).filter({ hasText: /RDS read (29|30):\d\d/ });
    await Promise.race([codeInput.waitFor({ timeout: 20_000 }), granted.waitFor({ timeout: 20_000 })]);
    if (await codeInput.isVisible().catch(() => false)) {
      const mfa = (await (await fetch(`${s.aws.url}/_localaws/totp/sso`)).json()) as { code: string };
      await answer(page, mfa.code, '6-digit code');
    }
    await granted.waitFor({ timeout: 20_000 });
    await s.waitForTree('the session on RDS', (r) => r.some((row) => row.label === 'RDS' && /read \d+ min left/.test(row.description)));

    await s.runPaletteCommand('Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper.active .xterm-rows').waitFor({ timeout: 20_000 });
    await runInTerminal(page, 'export AWS_PAGER=""', 'ready');
    const who = await runInTerminal(page, 'aws sts get-caller-identity --query Arn --output text', 'who');
    assert.match(who.output, /assumed-role\/InfraWatch-Employee\/sam\.sso@/, who.output);
    assert.equal(who.status, 0);
    await s.screenshot('signin-terminal');

    // The same sign-in serves the aws CLI: the demo's sso_session profile and the one just added.
    const added = readFileSync(s.aws.configFile, 'utf8');
    assert.match(added, /\[profile infrawatch-demo-Developer\]\nsso_session = infrawatch-demo/);
    for (const profile of [demoSsoProfileName, 'infrawatch-demo-Developer']) {
      const cli = await runAws(s, home, ['--profile', profile, 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text']);
      assert.equal(cli.code, 0, `${profile}: ${cli.stderr}`);
      assert.match(cli.stdout, new RegExp(`assumed-role/${ssoRoleName}/${demoSsoUser.replace('.', '\\.')}`), cli.stdout);
    }
  });
});
