// Static bench pages in headless Chromium: the webview modules under test are bundled
// with esbuild (minified, as the extension ships them) into a temp folder beside a copy
// of the page from scripts/bench/pages/, which is then opened from file://.
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../lib/browser';
import { repoRoot } from '../lib/paths';
import { makeTempBase } from '../lib/processes';

export interface PageBundle {
  /** The output file name, e.g. `uplotChart.js`. */
  out: string;
  /** The window global the bundle's exports land on. */
  globalName: string;
  /** A module to bundle (repo-relative)… */
  entry?: string;
  /** …or module source, resolved from the repo root. */
  contents?: string;
}

export interface BenchPage {
  page: Page;
  close(): Promise<void>;
}

/** Bundles, copies `files` (repo-relative) and opens scripts/bench/pages/<html>. */
export async function openBenchPage(
  html: string,
  bundles: readonly PageBundle[],
  files: readonly string[] = [],
): Promise<BenchPage> {
  const dir = makeTempBase();
  for (const bundle of bundles) {
    await build({
      ...(bundle.entry
        ? { entryPoints: [join(repoRoot, bundle.entry)] }
        : { stdin: { contents: bundle.contents ?? '', resolveDir: repoRoot, loader: 'ts' } }),
      outfile: join(dir, bundle.out),
      bundle: true,
      minify: true,
      format: 'iife',
      globalName: bundle.globalName,
      platform: 'browser',
      target: 'es2022',
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
  for (const file of [join('scripts', 'bench', 'pages', html), ...files])
    copyFileSync(join(repoRoot, file), join(dir, basename(file)));
  const browser = await launchBrowser();
  try {
    const errors: string[] = [];
    browser.page.on('pageerror', (error) => errors.push(error.message));
    await browser.page.goto(pathToFileURL(join(dir, html)).href);
    if (errors.length > 0) throw new Error(`the bench page ${html} failed to load: ${errors.join('; ')}`);
    return { page: browser.page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
