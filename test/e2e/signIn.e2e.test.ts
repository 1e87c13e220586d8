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
import { demoSsoProfileName, demoSsoSessionName } from '../../localaws/demo/awsFiles';
import { ssoRoleName } from '../../localaws/iam/identities';
import { demoSsoPassword, demoSsoUser } from '../../localaws/sso/directory';
import { type E2eSession, useE2eSession } from './harness';
import { answer, quickInput, statusItem } from './requestAccessKit';
import { runInTerminal } from './terminalKit';

const notification = '.notifications-toasts .notification-toast';

async function pickQuick(page: Page, label: string): Promise<void> {
  const input = page.locator(`${quickInput} .quick-input-box input`);
  await input.waitFor({ timeout: 15_000 });
  await input.fill(label);
  await page
    .locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: label })
    .first()
    .click({ timeout: 15_000 });
}

async function clickToastButton(page: Page, hasText: RegExp, button: string): Promise<string> {
  const toast = page.locator(notification, { hasText }).first();
  await toast.waitFor({ timeout: 30_000 });
  const text = (await toast.textContent()) ?? '';
  await toast.getByRole('button', { name: button, exact: true }).click({ timeout: 10_000 });
  return text;
}

/** The verification page: opened by the notification's button (a new tab), else by its URL. */
/** The sso user's current MFA code; a different one from `previous` (waits for the next step). */
async function nextSsoCode(s: E2eSession, previous: string): Promise<string> {
  for (let i = 0; i < 40; i += 1) {
    const { code } = (await (await fetch(`${s.aws.url}/_localaws/totp/sso`)).json()) as { code: string };
    if (code !== previous) return code;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error('the sso MFA code did not change in 40 s');
}

async function approveInBrowser(s: E2eSession, userCode: string, openButton: Promise<unknown>): Promise<void> {
  const context = s.page.context();
  const popup = context.waitForEvent('page', { timeout: 15_000 }).catch(() => undefined);
  await openButton;
  let approval = await popup;
  // VS Code may ask before opening an external site; allow it if it does.
  if (!approval) {
    const open = s.page
      .locator('.monaco-dialog-box .dialog-buttons')
      .getByRole('button', { name: 'Open', exact: true });
    if (await open.isVisible().catch(() => false)) {
      const again = context.waitForEvent('page', { timeout: 15_000 });
      await open.click();
      approval = await again.catch(() => undefined);
    }
  }
  approval ??= await context.newPage();
  if (!approval.url().includes('/sso/device'))
    await approval.goto(`${s.aws.url}/sso/device?user_code=${encodeURIComponent(userCode)}`);
  // A code read at the end of its 30 s step can be refused, as it would be for a person:
  // then wait for the next code and sign in again (the page links back to its form).
  let lastCode = '';
  for (let attempt = 1; ; attempt += 1) {
    await approval.locator('#user_code').waitFor({ timeout: 15_000 });
    assert.equal(
      await approval.locator('#user_code').inputValue(),
      userCode,
      'the page shows the code the editor showed',
    );
    const code = await nextSsoCode(s, lastCode);
    lastCode = code;
    await approval.locator('#username').fill(demoSsoUser);
    await approval.locator('#password').fill(demoSsoPassword);
    await approval.locator('#mfa_code').fill(code);
    const answered = approval
      .waitForResponse((r) => r.request().method() === 'POST', { timeout: 15_000 })
      .catch(() => undefined);
    await approval.locator('#allow').click();
    const result = approval.locator('#result');
    // Newer code-server opens the page through its port proxy (/proxy/<port>/), which the
    // form posts back through. Should the form still not reach the endpoint, the person opens
    // the page in a tab of their own, as a fresh page does here. Only the endpoint's answer
    // has a #result, so its absence right after the POST's answer says the code is unspent.
    const response = await answered;
    await approval.waitForLoadState('load').catch(() => undefined);
    const shown =
      response !== undefined &&
      (await result.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      ));
    const said = shown
      ? ((await result.textContent()) ?? '')
      : `nothing (the form's POST was answered ${response?.status() ?? 'never'} by ${response?.url() ?? 'no one'})`;
    if (/approved/i.test(said)) break;
    assert.ok(attempt < 3, `the approval page said: ${said}`);
    if (!shown) {
      // The code never reached the endpoint, so it is unspent: no need to wait for the next one.
      lastCode = '';
      await approval.close();
      approval = await context.newPage();
    }
    await approval.goto(`${s.aws.url}/sso/device?user_code=${encodeURIComponent(userCode)}`);
  }
  await approval.close();
}

function runAws(
  s: E2eSession,
  home: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: s.aws.configFile,
    AWS_SHARED_CREDENTIALS_FILE: s.aws.credentialsFile,
    AWS_ENDPOINT_URL: s.aws.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return new Promise((resolve) => {
    execFile('aws', args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('sign in with IAM Identity Center (e2e)', function () {
  // The extension host's HOME: where the shared SSO cache (~/.aws/sso/cache) is written.
  const home = mkdtempSync(join(tmpdir(), 'iw-e2e-home-'));
  // Terminals read ~/.bashrc, which is where tool managers (pyenv) put their PATH: keep the
  // runner's PATH there, so the terminal's `aws` is the one this test runs too.
  writeFileSync(join(home, '.bashrc'), `export PATH=${JSON.stringify(process.env.PATH ?? '/usr/bin:/bin')}\n`);

  const session = useE2eSession({ label: 'signin', env: { HOME: home } });

  it('signs in through the device flow, picks account and permission set, requests a grant and uses it in a terminal; the cache serves the aws CLI', async function () {
    this.timeout(300_000);
    const s = session();
    const { page } = s;
    await s.openInfraWatch();
    await s.waitForTree("the profile's identity first", (rows) => rows.some((r) => r.label === 'RDS'));

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
    await page
      .locator(`${quickInput} .quick-input-title`, { hasText: 'Sign In with IAM Identity Center' })
      .waitFor({ timeout: 30_000 });
    await pickQuick(page, 'InfraWatch Demo');
    await pickQuick(page, 'Developer');
    await clickToastButton(page, /Add the profile/, 'Add Profile');

    const rows = await s.waitForTree(
      'the signed-in identity',
      (r) => r.some((row) => row.label.includes(ssoRoleName) || row.label.includes('sam.sso')),
      60_000,
    );
    assert.ok(
      rows.some((r) => r.label === 'RDS'),
      'the Developer permission set maps to Employee',
    );
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
    await s.waitForTree('the session on RDS', (r) =>
      r.some((row) => row.label === 'RDS' && /read \d+ min left/.test(row.description)),
    );

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
      const cli = await runAws(s, home, [
        '--profile',
        profile,
        'sts',
        'get-caller-identity',
        '--query',
        'Arn',
        '--output',
        'text',
      ]);
      assert.equal(cli.code, 0, `${profile}: ${cli.stderr}`);
      assert.match(
        cli.stdout,
        new RegExp(`assumed-role/${ssoRoleName}/${demoSsoUser.replace('.', '\\.')}`),
        cli.stdout,
      );
    }
  });
});
