// Driving "InfraWatch: Request Access" as a person does, shared by the e2e scenarios.
import { TOTP } from 'otpauth';
import type { Page } from 'playwright-core';

export const quickInput = '.quick-input-widget';
export const statusItem = '[id="infrawatch.infrawatch.infrawatch.sessions"]';

/** The current code of a demo identity's MFA device, as an authenticator app shows it. */
export function totp(seed: string): string {
  return new TOTP({ secret: seed, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
}

/** Answers one step of Request Access, once the step whose placeholder starts so is shown. */
export async function answer(page: Page, text: string, placeholder: string): Promise<void> {
  const widget = page.locator(quickInput);
  await widget.locator('.quick-input-title', { hasText: 'InfraWatch: Request Access' }).waitFor({ timeout: 15_000 });
  const input = widget.locator(`.quick-input-box input[placeholder^="${placeholder}"]`);
  await input.waitFor({ timeout: 15_000 });
  await input.fill(text);
  if ((await input.getAttribute('type')) !== 'password') {
    // In a pick step, Enter takes the highlighted row: wait until the filter has applied.
    await widget
      .locator('.quick-input-list .monaco-list-row.focused', { hasText: text })
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
  }
  await input.press('Enter');
}

/** The five answers of an RDS read request, the MFA code computed from the identity's seed. */
export async function requestRdsRead(page: Page, reason: string, totpSeed: string): Promise<void> {
  await answer(page, 'RDS', 'Which service');
  await answer(page, 'read', 'Which access level');
  await answer(page, '30 minutes', 'For how long');
  await answer(page, reason, 'e.g. orders-db');
  await answer(page, totp(totpSeed), '6-digit code');
}

/** Clicks a button of VS Code's modal dialog, e.g. "Revoke" on the revoke confirmation. */
export async function clickDialogButton(page: Page, name: string): Promise<void> {
  await page
    .locator('.monaco-dialog-box .dialog-buttons')
    .getByRole('button', { name, exact: true })
    .click({ timeout: 15_000 });
}
