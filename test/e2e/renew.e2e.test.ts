// Renew as a person lives it, clicks counted: a session that expired comes back with
// "Request Again" (the last answers, only the MFA code) and "Open Terminal"; the tree's
// Request Access on an active session renews it the same way; and a command typed in a
// terminal late in the session meets "renew before a long command?", whose Renew keeps that
// very terminal working (same endpoint address and token, new credentials).
import assert from 'node:assert/strict';
import { TOTP } from 'otpauth';
import type { Locator, Page } from 'playwright-core';
import { type E2eSession, useE2eSession } from './harness';
import { answer, quickInput, statusItem } from './requestAccessKit';
import { runInTerminal } from './terminalKit';

const minute = 60_000;
const whoAmI = 'aws sts get-caller-identity --query Arn --output text';

/** The local endpoint's clock: STS sets Expiration by it, and MFA codes are checked against it. */
class EndpointClock {
  private offset = 0;
  private readonly used = new Set<number>();

  constructor(private readonly url: string) {}

  async set(offsetMs: number): Promise<void> {
    const response = await fetch(`${this.url}/_localaws/clock/set`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: Date.now() + offsetMs }),
    });
    assert.equal(response.status, 200);
    this.offset = offsetMs;
  }

  /** A code the endpoint accepts now and has not seen: each step's code works once. */
  code(seed: string): string {
    const now = Date.now() + this.offset;
    const current = Math.floor(now / 30_000);
    const step = [current, current + 1].find((s) => !this.used.has(s)) ?? current + 1;
    this.used.add(step);
    return new TOTP({ secret: seed, digits: 6, period: 30, algorithm: 'SHA1' }).generate({
      timestamp: step * 30_000 + 15_000,
    });
  }
}

/** Counts what the person clicks; typing the MFA code is counted apart. */
class Clicks {
  readonly log: string[] = [];

  async click(what: string, target: Locator): Promise<void> {
    await target.click({ timeout: 20_000 });
    this.log.push(what);
  }

  reset(): string[] {
    return this.log.splice(0);
  }
}

function toastButton(page: Page, text: RegExp, button: string): Locator {
  return page
    .locator('.notifications-toasts .notification-toast', { hasText: text })
    .getByRole('button', { name: button, exact: true });
}

/** Only the MFA code is asked: one password step, 1/1, under Request Access. */
async function typeOnlyTheCode(page: Page, code: string): Promise<void> {
  const widget = page.locator(quickInput);
  const input = widget.locator('.quick-input-box input[placeholder^="6-digit code"]');
  await input.waitFor({ timeout: 20_000 });
  assert.equal(await input.getAttribute('type'), 'password');
  const step = (await widget.locator('.quick-input-title').innerText()).replace(/\s+/g, ' ');
  assert.match(step, /InfraWatch: Request Access.*1\s*\/\s*1/, `only the MFA step is asked: ${step}`);
  await input.fill(code);
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 20_000 });
}

/** Test hygiene, not a user's click: an older "access granted" toast must not be clicked by mistake. */
async function clearNotifications(s: E2eSession): Promise<void> {
  await s.runPaletteCommand('Notifications: Clear All Notifications');
}

async function waitForSessionTerminal(page: Page): Promise<void> {
  await page
    .locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: 'AWS RDS read' })
    .first()
    .waitFor({ timeout: 20_000 })
    .catch(() => undefined);
  await page.locator('.terminal-wrapper.active .xterm-rows').waitFor({ timeout: 20_000 });
  await runInTerminal(page, 'export AWS_PAGER=""', 'ready');
}

describe('renew with only the MFA code (e2e)', function () {
  const session = useE2eSession({ label: 'renew' });

  it('expired → Request Again → terminal in 2 clicks + the code; tree → renewed terminal in 3; the long-command warning renews the running terminal in 1', async function () {
    this.timeout(300_000);
    const s = session();
    const { page } = s;
    const employee = s.aws.identities.find((i) => i.name === 'employee')!;
    const clock = new EndpointClock(s.aws.url);
    const clicks = new Clicks();
    await s.openInfraWatch();
    await s.waitForTree('the Employee services', (rows) => rows.some((r) => r.label === 'RDS'));

    // A 15-minute session granted while AWS's clock is 890 s behind ends 10 s after AssumeRole:
    // time to see the countdown and clear the grant's notification first.
    await clock.set(-890_000);
    await s.runCommand('Request Access');
    await answer(page, 'RDS', 'Which service');
    await answer(page, 'read', 'Which access level');
    await answer(page, '15 minutes', 'For how long');
    await answer(page, 'orders-db CPU at 95%, checking slow queries', 'e.g. orders-db');
    await answer(page, clock.code(employee.totpSeed), '6-digit code');
    await page
      .locator(statusItem)
      .filter({ hasText: /RDS read 0:\d\d/ })
      .waitFor({ timeout: 20_000 });
    await clock.set(0);
    await clearNotifications(s);

    // 1. The session expires: "Request Again" (the same answers) and "Open Terminal".
    await clicks.click(
      'Request Again (expiry notification)',
      toastButton(page, /RDS read session expired/, 'Request Again').first(),
    );
    await typeOnlyTheCode(page, clock.code(employee.totpSeed));
    await clicks.click(
      'Open Terminal (granted notification)',
      toastButton(page, /RDS read access granted/, 'Open Terminal').first(),
    );
    await waitForSessionTerminal(page);
    const again = await runInTerminal(page, whoAmI, 'again');
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /assumed-role\/InfraWatch-Employee\/erin\.employee@/);
    await page
      .locator(statusItem)
      .filter({ hasText: /RDS read 1[45]:\d\d/ })
      .waitFor({ timeout: 20_000 });
    const expiredPath = clicks.reset();
    assert.equal(expiredPath.length, 2, expiredPath.join(' → '));

    // 2. From the tree: Request Access on RDS (active) → Renew → the code → Open Terminal.
    // AWS's clock 7 minutes behind: the renewed 15 minutes end 8 minutes from now.
    await clock.set(-7 * minute);
    await clearNotifications(s);
    const rds = page
      .locator('.part.sidebar .pane-body .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^RDS$/ }) })
      .first();
    await rds.hover();
    await clicks.click('Request Access (tree, RDS)', rds.locator('a.action-label[aria-label*="Request Access"]'));
    await page
      .locator(`${quickInput} .quick-input-box input[placeholder*="already active"]`)
      .waitFor({ timeout: 15_000 });
    await clicks.click(
      'Renew',
      page
        .locator(`${quickInput} .quick-input-list .monaco-list-row`)
        .filter({ has: page.locator('.label-name', { hasText: /^\s*Renew\s*$/ }) })
        .first(),
    );
    await typeOnlyTheCode(page, clock.code(employee.totpSeed));
    await clicks.click(
      'Open Terminal (granted notification)',
      toastButton(page, /RDS read access granted/, 'Open Terminal').first(),
    );
    await waitForSessionTerminal(page);
    const renewed = await runInTerminal(page, whoAmI, 'renewed');
    assert.equal(renewed.status, 0, renewed.output);
    assert.notEqual(renewed.output, again.output, 'a new session (its request id is in the session name)');
    const treePath = clicks.reset();
    assert.equal(treePath.length, 3, treePath.join(' → '));
    await page
      .locator(statusItem)
      .filter({ hasText: /RDS read [78]:\d\d/ })
      .waitFor({ timeout: 20_000 });

    // 3. A command in this terminal with 8 minutes left (under the default 10) meets the
    // warning; its Renew keeps this very terminal working with the new credentials.
    const warned = await runInTerminal(page, whoAmI, 'late');
    assert.equal(warned.status, 0);
    await clicks.click(
      'Renew (long-command warning)',
      toastButton(page, /RDS read ends in [78]:\d\d — renew before a long command\?/, 'Renew').first(),
    );
    await typeOnlyTheCode(page, clock.code(employee.totpSeed));
    await page.locator('.terminal-wrapper.active .xterm-helper-textarea').focus();
    const deadline = Date.now() + 20_000;
    let after = await runInTerminal(page, whoAmI, 'after');
    while (after.output === warned.output && Date.now() < deadline) after = await runInTerminal(page, whoAmI, 'after');
    assert.equal(after.status, 0, after.output);
    assert.match(after.output, /assumed-role\/InfraWatch-Employee\/erin\.employee@/);
    assert.notEqual(after.output, warned.output, 'the same terminal, without restart, is the renewed session');
    const warningPath = clicks.reset();
    assert.equal(warningPath.length, 1, warningPath.join(' → '));
    console.log(
      `      clicks: expired → terminal ${expiredPath.length}, tree → terminal ${treePath.length}, warning → renewed terminal ${warningPath.length} (each plus the MFA code)`,
    );
    await s.screenshot('renew-terminal');
  });
});
