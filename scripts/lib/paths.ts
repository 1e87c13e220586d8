// Where the harness finds the repository, its tools and its artifacts.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const testResultsDir = join(repoRoot, 'test-results');
export const logsDir = join(testResultsDir, 'logs');
export const screenshotsDir = join(testResultsDir, 'screenshots');
export const chromiumPath = '/usr/bin/chromium';
export const demoPolicyPath = join(repoRoot, 'demo', 'policy.json');
export const extensionId = 'infrawatch.infrawatch';

/** Creates the folder if needed and returns it. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface ExtensionManifest {
  name: string;
  publisher: string;
  version: string;
  main?: string;
  contributes?: { commands?: { command: string; title: string; category?: string }[] };
}

export function getExtensionManifest(): ExtensionManifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as ExtensionManifest;
}
