// Typing into the integrated terminal and reading what it printed, as a person does.
import type { Locator, Page } from 'playwright-core';
import type { E2eSession } from './harness';

function terminalRows(page: Page): Locator {
  return page.locator('.terminal-wrapper.active .xterm-rows');
}

/**
 * Types a command into the active terminal and returns what it printed. Markers computed
 * by the shell ($((1+1)), $?) tell the output apart from the echo of the typed line; rows
 * are joined because xterm wraps long lines into separate rows.
 */
export async function runInTerminal(page: Page, command: string, marker: string): Promise<{ output: string; status: number }> {
  const textarea = page.locator('.terminal-wrapper.active .xterm-helper-textarea');
  await textarea.focus();
  await page.keyboard.type(`echo ${marker}-$((1+1)); ${command}; echo ${marker}-end-$?\n`, { delay: 1 });
  const pattern = new RegExp(`${marker}-2([\\s\\S]*)${marker}-end-(\\d+)`);
  let text = '';
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    text = (await terminalRows(page).innerText()).replace(/\u00a0/g, ' ');
    const match = pattern.exec(text.replace(/\n/g, ''));
    if (match) return { output: match[1]!.trim(), status: Number(match[2]) };
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for "${command}"; the terminal shows:\n${text}`);
}

/** "Terminal: Create New Terminal", with the CLI's pager turned off. */
export async function newTerminal(e2e: E2eSession): Promise<void> {
  await e2e.runPaletteCommand('Terminal: Create New Terminal');
  await terminalRows(e2e.page).waitFor({ timeout: 20_000 });
  await runInTerminal(e2e.page, 'export AWS_PAGER=""', 'ready');
}
