// Three bundles: the extension (Node, CommonJS, `vscode` external), the credential_process
// helper (Node, no dependencies) and the webview front
// ends (browser IIFE, one per panel in webview/<panel>/main.ts). `--production` minifies
// for packaging; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

const extension = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // The AWS SDK picks its browser or Node flavour by conditions; we run in Node.
  mainFields: ['module', 'main'],
};

// The credential_process helper: run by other programs once per credential refresh, so
// small and quick to load (Node built-ins only).
const helper = {
  ...common,
  entryPoints: ['src/helper/credentialProcess.ts'],
  outfile: 'dist/credentialProcess.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
};

function webviewEntries() {
  if (!existsSync('webview')) return [];
  return readdirSync('webview', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join('webview', d.name, 'main.ts')))
    .map((d) => ({ in: join('webview', d.name, 'main.ts'), out: d.name }));
}

const webview = {
  ...common,
  entryPoints: webviewEntries(),
  outdir: 'dist/webview',
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  loader: { '.ttf': 'file', '.woff2': 'file' },
};

const builds = [extension, helper, ...(webview.entryPoints.length > 0 ? [webview] : [])];

// A packaged build starts clean, so no development source map or stale file ships.
if (production) rmSync('dist', { recursive: true, force: true });

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  const bytes = results.flatMap((r) => Object.values(r.metafile.outputs)).reduce((n, o) => n + o.bytes, 0);
  console.log(`esbuild: ${production ? 'production' : 'development'} build, ${(bytes / 1024).toFixed(0)} KiB written`);
}
