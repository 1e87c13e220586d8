// Runs the bundled in-host suite inside code-server's extension host: the workbench URL
// carries extensionDevelopmentPath + extensionTestsPath (code-server's CLI rejects them),
// and the workbench reports the outcome through window.codeAutomationExit.
// Newer VS Code (1.139; not 1.100) ignores those payload entries in a built workbench unless
// the server enabled the smoke-test driver, a VS Code server flag code-server's CLI does not
// let through; so the page gets the workbench configuration with that option switched on.
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { tailFile } from './processes';

export interface InHostRunOptions {
  page: Page;
  server: CodeServer;
  workspace: string;
  /** The folder holding the extension's package.json (loaded from source, not a .vsix). */
  extensionDir: string;
  /** The bundled out/test/vscode/index.js. */
  testsIndex: string;
  timeoutMs: number;
  /** Everything the page logs (the host's reporter output included) goes here. */
  pageLogFile: string;
}

/**
 * Runs in the page before the workbench: it reads its configuration with getAttribute, and
 * gets it with `developmentOptions.enableSmokeTestDriver` set. (Rewriting the HTML response
 * instead makes Chromium treat the page as not local and block its WebSocket to 127.0.0.1.)
 */
const enableSmokeTestDriver = `(() => {
  const original = Element.prototype.getAttribute;
  Element.prototype.getAttribute = function getAttribute(name) {
    const value = original.call(this, name);
    if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !value) return value;
    const settings = JSON.parse(value);
    settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
    return JSON.stringify(settings);
  };
})();`;

/** Resolves with the exit code the workbench reported (0 = every test passed). */
export async function runInHostSuite(options: InHostRunOptions): Promise<number> {
  const { page, server } = options;
  writeFileSync(options.pageLogFile, '');
  page.on('console', (message) => appendFileSync(options.pageLogFile, `[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (err) => appendFileSync(options.pageLogFile, `[pageerror] ${err.message}\n`));
  let report!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (report = resolve));
  // Must exist before the workbench loads: it looks the function up when the tests end.
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    report(typeof code === 'number' ? code : 1);
  });
  const url = server.workbenchUrl(options.workspace, [
    ['extensionDevelopmentPath', server.remoteUri(options.extensionDir)],
    ['extensionTestsPath', server.remoteUri(options.testsIndex)],
  ]);
  await page.addInitScript({ content: enableSmokeTestDriver });
  await page.goto(url);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the in-host suite did not finish within ${Math.round(options.timeoutMs / 1000)} s\n` +
              `${tailFile(server.logFile, 30)}\n${tailFile(options.pageLogFile, 30)}`,
          ),
        ),
      options.timeoutMs,
    );
  });
  const closed = new Promise<never>((_, reject) => {
    page.once('close', () =>
      reject(new Error(`the workbench page closed before the suite ended\n${tailFile(options.pageLogFile, 30)}`)),
    );
    page.once('crash', () => reject(new Error(`the workbench page crashed\n${tailFile(options.pageLogFile, 30)}`)));
  });
  try {
    return await Promise.race([exited, timedOut, closed]);
  } finally {
    clearTimeout(timer);
  }
}
