// The README's pictures of the panels, taken by the e2e tier at the moment a panel shows
// real data. Off unless INFRAWATCH_SCREENSHOTS names a folder (relative to the repository):
//   INFRAWATCH_SCREENSHOTS=docs/images mocha … test/e2e/monitoring.e2e.test.ts test/e2e/admin.e2e.test.ts
// writes docs/images/<name>.png: the whole window the tests drive (1440×900), or a part of it.
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../../scripts/lib/processes';
import { ensureDir, repoRoot } from '../../scripts/lib/paths';
import type { E2eSession } from './harness';

// Runs in the page, in evaluate(); tsconfig has no DOM lib (Node code must not see one).
declare const requestAnimationFrame: (callback: () => void) => number;

export interface ReadmeShotOptions {
  /** A wider window for the picture only (a panel beside another needs room for its lines). */
  width?: number;
  /** Only this part of the workbench (a CSS selector), instead of the whole window. */
  part?: string;
}

export async function saveReadmeScreenshot(
  session: E2eSession,
  name: string,
  options: ReadmeShotOptions = {},
): Promise<void> {
  const folder = process.env.INFRAWATCH_SCREENSHOTS;
  if (!folder) return;
  const path = join(ensureDir(resolve(repoRoot, folder)), `${name}.png`);
  const { page } = session;
  const normal = page.viewportSize();
  if (options.width && normal) await resizeWindow(page, { width: options.width, height: normal.height });
  try {
    if (options.part) {
      await session.dismissNoise();
      await page.locator(options.part).screenshot({ path });
    } else {
      copyFileSync(await session.screenshot(`readme-${name}`), path);
    }
  } finally {
    if (options.width && normal) await resizeWindow(page, normal);
  }
}

/** Resizes the window and waits until the workbench (webview frames included) has laid itself out again. */
async function resizeWindow(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await waitFor(
    async () => {
      const right = await page.locator('.part.editor').evaluate((e) => e.getBoundingClientRect().right);
      const frames = await page
        .locator('iframe.webview.ready')
        .evaluateAll((all) => all.map((f) => f.getBoundingClientRect().right));
      return Math.abs(right - size.width) <= 2 && frames.every((r) => r <= size.width + 1) ? true : undefined;
    },
    { what: `the workbench laid out at ${size.width}×${size.height}`, timeoutMs: 10_000, intervalMs: 100 },
  );
  // Two frames for the panels' own resize observers to redraw.
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}
