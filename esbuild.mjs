// Four bundles: the extension (Node, CommonJS, `vscode` external), the AWS part it loads on
// first use (dist/aws.js: the SDK and our client factory), the credential_process helper
// (Node, no dependencies) and the webview front ends (browser IIFE, one per panel in
// webview/<panel>/main.ts). `--production` minifies for packaging; `--watch` rebuilds on
// change; `--outdir=DIR` builds elsewhere than dist/ and `--metafile=FILE` writes which
// inputs each output holds (the lazy-load test uses both).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const outdir = option('outdir') ?? 'dist';
const metafile = option('metafile');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

// Loading the AWS SDK was half of the bundle's load time, and most editor sessions make no
// AWS call before the view opens; so src/core/awsSdk.ts (everything that loads the SDK) is its own bundle,
// and the extension's `import('./awsSdk')` becomes a require of ./aws.js on first use.
const lazyAws = {
  name: 'lazy-aws',
  setup(build) {
    build.onResolve({ filter: /\/awsSdk(\.js)?$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './aws.js', external: true } : undefined,
    );
  },
};

// Each file's `import * as vscode` would otherwise wrap the host's module afresh (a copy of
// its ~200 names per importing file, at load); one re-exporting module wraps it once.
const oneVscode = {
  name: 'one-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'one-vscode'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'one-vscode' },
    );
    build.onLoad({ filter: /.*/, namespace: 'one-vscode' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The AWS SDK picks its browser or Node flavour by conditions; we run in Node.
  mainFields: ['module', 'main'],
};

const extension = {
  ...node,
  entryPoints: ['src/extension.ts'],
  outfile: join(outdir, 'extension.js'),
  external: ['vscode'],
  plugins: [lazyAws, oneVscode],
  // import() becomes require(): the extension host loads CommonJS, and so does the bench.
  supported: { 'dynamic-import': false },
};

const aws = {
  ...node,
  entryPoints: ['src/core/awsSdk.ts'],
  outfile: join(outdir, 'aws.js'),
};

// The credential_process helper: run by other programs once per credential refresh, so
// small and quick to load (Node built-ins only).
const helper = {
  ...common,
  entryPoints: ['src/helper/credentialProcess.ts'],
  outfile: join(outdir, 'credentialProcess.js'),
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
  outdir: join(outdir, 'webview'),
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  loader: { '.ttf': 'file', '.woff2': 'file' },
};

const builds = [extension, aws, helper, ...(webview.entryPoints.length > 0 ? [webview] : [])];

// A packaged build starts clean, so no development source map or stale file ships.
if (production) rmSync(outdir, { recursive: true, force: true });

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  const outputs = Object.assign({}, ...results.map((r) => r.metafile.outputs));
  if (metafile)
    writeFileSync(
      metafile,
      JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([file, o]) => [file, Object.keys(o.inputs)]))),
    );
  const bytes = Object.values(outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`esbuild: ${production ? 'production' : 'development'} build, ${(bytes / 1024).toFixed(0)} KiB written`);
}
