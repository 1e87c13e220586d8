// Headless Debian Chromium driven by playwright-core (never a downloaded browser).
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, ensureDir } from './paths';
import { makeTempBase } from './processes';

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

// Without the background-networking flags Chromium keeps dialling Google's hosts, which
// this machine's closed network refuses.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A fresh Chromium profile and one page. */
export async function launchBrowser(options: { headless?: boolean } = {}): Promise<Browser> {
  const base = makeTempBase();
  const context = await chromium.launchPersistentContext(ensureDir(join(base, 'profile')), {
    executablePath: chromiumPath,
    headless: options.headless ?? true,
    args: chromiumArgs,
    viewport: { width: 1440, height: 900 },
    // processes.ts owns signal handling; Playwright still kills Chromium at exit.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: {
      ...process.env,
      TMPDIR: ensureDir(join(base, 'tmp')),
      XDG_CONFIG_HOME: ensureDir(join(base, 'xdg-config')),
      XDG_DATA_HOME: ensureDir(join(base, 'xdg-data')),
      XDG_CACHE_HOME: ensureDir(join(base, 'xdg-cache')),
    },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
    },
  };
}
