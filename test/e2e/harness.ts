// The user's-eye tier: the packaged .vsix installed into a fresh code-server on
// 127.0.0.1, the local AWS endpoint behind it, driven through Debian's Chromium.
// One session per test file (start it in `before`, close it in `after`). The VS Code it
// runs on is $INFRAWATCH_VSCODE (floor, the default, or newest; tools/vscode-versions.json).
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { createWorkspace, getExtensionSettings, startAwsFixture, type AwsFixture } from '../../scripts/lib/awsFixture';
import { launchBrowser, type Browser } from '../../scripts/lib/browser';
import { ensureVsix } from '../../scripts/lib/build';
import { startCodeServer, type CodeServer } from '../../scripts/lib/codeServer';
import { ensureDir, screenshotsDir } from '../../scripts/lib/paths';
import { makeTempBase, tailFile, waitFor } from '../../scripts/lib/processes';
import { getSelectedVscodeFlavour } from '../../scripts/lib/vscodeVersions';

export interface TreeRow {
  label: string;
  description: string;
}

export interface E2eSession {
  page: Page;
  server: CodeServer;
  aws: AwsFixture;
  workspace: string;
  /** Shows the InfraWatch view container (without toggling it closed if already shown). */
  openInfraWatch(): Promise<void>;
  /** Runs a palette command by title, with or without the "InfraWatch: " category. */
  runCommand(title: string): Promise<void>;
  /** Any command by its full palette title ("Terminal: Create New Terminal"), as typed after F1. */
  runPaletteCommand(title: string): Promise<void>;
  /** The labels of the rows currently rendered in the InfraWatch view. */
  treeLabels(): Promise<string[]>;
  treeRows(): Promise<TreeRow[]>;
  /** Polls the rows until `done` accepts them; the timeout error shows what was there. */
  waitForTree(what: string, done: (rows: TreeRow[]) => boolean, timeoutMs?: number): Promise<TreeRow[]>;
  /** "InfraWatch: Switch AWS Profile" and pick `profile` (e.g. "demo-manager"). */
  switchProfile(profile: string): Promise<void>;
  /** Saves test-results/screenshots/<flavour>/<name>.png (noise toasts dismissed first). */
  screenshot(name: string): Promise<string>;
  dismissNoise(): Promise<void>;
  close(): Promise<void>;
}

const viewContainerTitle = 'InfraWatch';
const sidebar = '.part.sidebar';
const quickInput = '.quick-input-widget';
// Toasts the workbench shows on its own that can cover what a test clicks.
const noiseToasts = /keybindings|key bindings|extension gallery|marketplace|recommend|Sign in|Do you want to install/i;

let vsix: Promise<string> | undefined;

/** Packages the extension at most once per test process. */
export function getVsix(): Promise<string> {
  vsix ??= ensureVsix();
  return vsix;
}

interface StartOptions {
  profile?: string;
  label?: string;
  env?: Record<string, string>;
}

/**
 * One code-server and browser for the tests of a describe block: started before them, a
 * screenshot of each test that fails, closed after them. Returns the session's getter.
 */
export function useE2eSession(options: StartOptions & { label: string }): () => E2eSession {
  let e2e: E2eSession | undefined;
  before(async function () {
    this.timeout(300_000); // the first session may package the extension
    e2e = await startE2e(options);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (e2e && test?.state === 'failed') {
      await e2e.screenshot(`failed-${options.label}-${test.title.replace(/\W+/g, '-').slice(0, 50)}`);
    }
  });
  after(async () => {
    await e2e?.close();
  });
  return () => {
    if (!e2e) throw new Error('the e2e session did not start');
    return e2e;
  };
}

export async function startE2e(options: StartOptions = {}): Promise<E2eSession> {
  const vsixPath = await getVsix();
  const base = makeTempBase();
  const aws = await startAwsFixture(join(base, 'aws'));
  const workspace = createWorkspace(ensureDir(join(base, 'workspace')));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({
      workspace,
      label: options.label ?? 'e2e',
      installVsix: vsixPath,
      flavour: getSelectedVscodeFlavour(),
      userSettings: getExtensionSettings(aws, options.profile),
      env: { ...aws.env, ...options.env },
    });
    browser = await launchBrowser();
    await openWorkbench(browser.page, server, workspace);
    return createSession(browser, server, aws, workspace);
  } catch (err) {
    await browser?.close();
    server?.stop();
    await aws.close();
    throw err;
  }
}

async function openWorkbench(page: Page, server: CodeServer, workspace: string): Promise<void> {
  await page.goto(server.workbenchUrl(workspace));
  try {
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  } catch (err) {
    throw new Error(`the workbench did not load: ${(err as Error).message}\n${tailFile(server.logFile)}`);
  }
}

function createSession(browser: Browser, server: CodeServer, aws: AwsFixture, workspace: string): E2eSession {
  const { page } = browser;
  const session: E2eSession = {
    page,
    server,
    aws,
    workspace,
    openInfraWatch: () => openInfraWatch(page),
    runCommand: (title) => runCommand(page, title),
    runPaletteCommand: (title) => runPaletteCommand(page, title),
    treeLabels: async () => (await readTreeRows(page)).map((r) => r.label),
    treeRows: () => readTreeRows(page),
    waitForTree: (what, done, timeoutMs = 30_000) => waitForTree(page, what, done, timeoutMs),
    switchProfile: (profile) => switchProfile(page, profile),
    screenshot: async (name) => {
      await dismissNoise(page);
      // Park the pointer on the empty editor area so no hover tooltip is captured.
      await page.mouse.move(900, 600);
      const path = join(ensureDir(join(screenshotsDir, server.flavour.name)), `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    dismissNoise: () => dismissNoise(page),
    close: async () => {
      await browser.close();
      server.stop();
      await aws.close();
    },
  };
  return session;
}

async function openInfraWatch(page: Page): Promise<void> {
  const icon = page.locator(`.activitybar .action-item a.action-label[aria-label="${viewContainerTitle}"]`);
  await icon.waitFor({ timeout: 30_000 });
  await dismissNoise(page);
  const item = icon.locator('xpath=ancestor::li[contains(concat(" ", @class, " "), " action-item ")][1]');
  // Clicking the icon of the container already shown would hide the side bar.
  if (!((await item.getAttribute('class')) ?? '').split(' ').includes('checked')) await icon.click();
  await page
    .locator(`${sidebar} .composite.title`, { hasText: new RegExp(viewContainerTitle, 'i') })
    .waitFor({ timeout: 15_000 });
}

async function readTreeRows(page: Page): Promise<TreeRow[]> {
  const rows = page.locator(`${sidebar} .pane-body .monaco-list-row`);
  return rows.evaluateAll((elements) =>
    elements.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
    })),
  );
}

async function waitForTree(
  page: Page,
  what: string,
  done: (rows: TreeRow[]) => boolean,
  timeoutMs: number,
): Promise<TreeRow[]> {
  let last: TreeRow[] = [];
  return waitFor(
    async () => {
      last = await readTreeRows(page);
      return done(last) ? last : undefined;
    },
    {
      what,
      timeoutMs,
      intervalMs: 200,
      detail: () =>
        `the InfraWatch view showed: ${JSON.stringify(last.map((r) => (r.description ? `${r.label} — ${r.description}` : r.label)))}`,
    },
  );
}

function quickInputRow(page: Page, text: string): Locator {
  return page.locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: text }).first();
}

async function runCommand(page: Page, title: string): Promise<void> {
  await runPaletteCommand(page, /^InfraWatch: /.test(title) ? title : `InfraWatch: ${title}`);
}

async function runPaletteCommand(page: Page, full: string): Promise<void> {
  await dismissNoise(page);
  await page.keyboard.press('F1');
  const input = page.locator(`${quickInput} .quick-input-box input`);
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${full}`);
  // Enter before the list has filtered would run whatever was first.
  await quickInputRow(page, full).waitFor({ timeout: 10_000 });
  await input.press('Enter');
}

async function switchProfile(page: Page, profile: string): Promise<void> {
  await runCommand(page, 'Switch AWS Profile');
  const title = page.locator(`${quickInput} .quick-input-title`, { hasText: 'Switch AWS Profile' });
  await title.waitFor({ timeout: 10_000 });
  await page.locator(`${quickInput} .quick-input-box input`).fill(profile);
  const row = page
    .locator(`${quickInput} .quick-input-list .monaco-list-row`)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(profile)}$`) }) });
  await row.first().click({ timeout: 10_000 });
  await page.locator(quickInput).waitFor({ state: 'hidden', timeout: 10_000 });
}

async function dismissNoise(page: Page): Promise<void> {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  for (const toast of await toasts.all()) {
    const text = (await toast.textContent().catch(() => '')) ?? '';
    if (!noiseToasts.test(text)) continue;
    await toast.hover().catch(() => undefined);
    await toast
      .locator('a.action-label.codicon-notifications-clear')
      .click({ timeout: 2_000 })
      .catch(() => undefined);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
