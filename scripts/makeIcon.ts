// npx tsx scripts/makeIcon.ts: the 128×128 marketplace icon (media/icon.png) from the activity-bar glyph
// (media/infrawatch.svg), drawn white on a rounded navy tile by the same headless Debian
// Chromium the tests use, so the two never drift apart and no image tool is needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './lib/browser';
import { repoRoot } from './lib/paths';

const size = 128;
const outFile = join(repoRoot, 'media', 'icon.png');

/** The page: the glyph (stroke = currentColor) centred on the tile; corners left transparent. */
function getIconPage(svg: string): string {
  return `<!DOCTYPE html><html><head><style>
    html, body { margin: 0; background: transparent; }
    .tile { width: ${size}px; height: ${size}px; border-radius: 24px; display: grid; place-items: center;
      background: linear-gradient(160deg, #2b5d8f 0%, #16324f 100%); color: #ffffff; }
    .tile svg { width: 100px; height: 100px; }
    .tile circle { fill: #ff9900; stroke: #ff9900; }
  </style></head><body><div class="tile">${svg}</div></body></html>`;
}

async function main(): Promise<void> {
  const svg = readFileSync(join(repoRoot, 'media', 'infrawatch.svg'), 'utf8');
  const browser = await launchBrowser();
  try {
    await browser.page.setViewportSize({ width: size, height: size });
    await browser.page.setContent(getIconPage(svg));
    await browser.page.locator('.tile').screenshot({ path: outFile, omitBackground: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${outFile}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
