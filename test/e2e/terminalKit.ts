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
export async function runInTerminal(
  page: Page,
  command: string,
  marker: string,
): Promise<{ output: string; status: number }> {
  // A shell still starting up can swallow the first keystrokes ("dy-$((1+1))" for
  // "echo ready-$((1+1))"), as it would a person's: wait for its prompt, and type once more,
  // with a fresh marker, when the line ran but its first marker was garbled.
  await waitForPrompt(page);
  const first = await typeAndRead(page, command, marker);
  if (first !== 'garbled') return first;
  await waitForPrompt(page);
  const second = await typeAndRead(page, command, `${marker}x`);
  if (second !== 'garbled') return second;
  throw new Error(`"${command}" was garbled twice; the terminal shows:\n${await readRows(page)}`);
}

async function readRows(page: Page): Promise<string> {
  return (await terminalRows(page).innerText()).replace(/\u00a0/g, ' ');
}

/** Until the last non-empty row ends in a prompt ($ or #), for at most 10 s. */
async function waitForPrompt(page: Page): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const rows = (await readRows(page))
      .split('\n')
      .map((r) => r.trimEnd())
      .filter(Boolean);
    if (/[$#]$/.test(rows.at(-1) ?? '')) return;
    await page.waitForTimeout(200);
  }
}

async function typeAndRead(
  page: Page,
  command: string,
  marker: string,
): Promise<{ output: string; status: number } | 'garbled'> {
  const textarea = page.locator('.terminal-wrapper.active .xterm-helper-textarea');
  await textarea.focus();
  await page.keyboard.type(`echo ${marker}-$((1+1)); ${command}; echo ${marker}-end-$?\n`, { delay: 1 });
  const pattern = new RegExp(`${marker}-2([\\s\\S]*)${marker}-end-(\\d+)`);
  const ended = new RegExp(`${marker}-end-\\d+`);
  const deadline = Date.now() + 60_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await readRows(page)).replace(/\n/g, '');
    const match = pattern.exec(text);
    if (match) return { output: match[1]!.trim(), status: Number(match[2]) };
    if (ended.test(text)) return 'garbled';
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for "${command}"; the terminal shows:\n${await readRows(page)}`);
}

/** "Terminal: Create New Terminal", with the CLI's pager turned off. */
export async function newTerminal(e2e: E2eSession): Promise<void> {
  await e2e.runPaletteCommand('Terminal: Create New Terminal');
  await terminalRows(e2e.page).waitFor({ timeout: 20_000 });
  await runInTerminal(e2e.page, 'export AWS_PAGER=""', 'ready');
}
