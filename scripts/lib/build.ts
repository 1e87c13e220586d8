// Building what the VS Code tiers run: the extension (the lead's `npm run build` /
// `npm run package`) and the in-host test bundle.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { getExtensionManifest, repoRoot } from './paths';

/** Runs `npm run <script>` in the repo with its output visible; rejects on failure. */
export function runNpmScript(script: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: repoRoot, stdio: 'inherit', env });
    child.once('error', (err) => reject(new Error(`npm run ${script}: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`npm run ${script} failed (${code ?? signal})`));
    });
  });
}

/** Every file under `dir` (recursively) whose name ends with `suffix`. */
export function findFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findFiles(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

export const inHostOutDir = join(repoRoot, 'out', 'test', 'vscode');

/**
 * Bundles test/vscode/index.ts and every test/vscode/**\/*.test.ts into out/test/vscode/
 * (flat, one file each) for the extension host: CommonJS, `vscode` and mocha external.
 */
export async function bundleInHostTests(): Promise<string> {
  const sourceDir = join(repoRoot, 'test', 'vscode');
  const tests = findFiles(sourceDir, '.test.ts');
  if (tests.length === 0) throw new Error(`no in-host tests found under ${sourceDir}`);
  rmSync(inHostOutDir, { recursive: true, force: true });
  const entryPoints = [join(sourceDir, 'index.ts'), ...tests].map((path) => ({
    in: path,
    // Flattened names so index.js finds every test beside itself.
    out: relative(sourceDir, path).replace(/\.ts$/, '').split('/').join('__'),
  }));
  await build({
    entryPoints,
    outdir: inHostOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(inHostOutDir, 'index.js');
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    const mtime = stat.isDirectory() ? newestMtime(readdirSync(path).map((n) => join(path, n))) : stat.mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

export function getVsixPath(): string {
  const { name, version } = getExtensionManifest();
  return join(repoRoot, `${name}-${version}.vsix`);
}

/**
 * The packaged extension: $INFRAWATCH_VSIX if set, the existing .vsix if it is newer
 * than everything that goes into it, else a fresh `npm run package`.
 */
export async function ensureVsix(): Promise<string> {
  const fromEnv = process.env.INFRAWATCH_VSIX;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`INFRAWATCH_VSIX points at a missing file: ${fromEnv}`);
    return fromEnv;
  }
  const vsix = getVsixPath();
  const inputs = [
    'src',
    'webview',
    'media',
    'schemas',
    'package.json',
    'package-lock.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'esbuild.mjs',
    '.vscodeignore',
  ].map((p) => join(repoRoot, p));
  if (existsSync(vsix) && statSync(vsix).mtimeMs > newestMtime(inputs)) return vsix;
  await runNpmScript('package');
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  return vsix;
}
