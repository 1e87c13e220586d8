// The AWS SDK loads on first use, not with the extension: a production build keeps the SDK
// out of dist/extension.js (in dist/aws.js), and requiring the bundle and calling
// activate() — with the bench's stand-in for the vscode module — does not load dist/aws.js.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Activation } from '../../scripts/bench/activation';

const repoRoot = join(__dirname, '..', '..');
const sdkInput = /node_modules\/@(aws-sdk|smithy)\//;

describe('the AWS SDK loads on first use, not with the extension', function () {
  this.timeout(180_000);
  let out = '';
  let inputs: Record<string, string[]> = {};

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'infrawatch-lazy-'));
    const metafile = join(out, 'meta.json');
    execFileSync(
      process.execPath,
      ['esbuild.mjs', '--production', `--outdir=${join(out, 'dist')}`, `--metafile=${metafile}`],
      { cwd: repoRoot, stdio: 'pipe' },
    );
    inputs = JSON.parse(readFileSync(metafile, 'utf8')) as Record<string, string[]>;
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  const inputsOf = (name: string): string[] =>
    Object.entries(inputs).find(([file]) => file.endsWith(`/${name}`))?.[1] ?? [];

  it('dist/extension.js holds no AWS SDK code; dist/aws.js holds it', () => {
    const eager = inputsOf('extension.js').filter((file) => sdkInput.test(file));
    assert.deepEqual(eager.slice(0, 5), [], `${eager.length} AWS SDK files are in extension.js`);
    assert.ok(
      inputsOf('aws.js').some((file) => sdkInput.test(file)),
      'aws.js holds the SDK',
    );
  });

  it('requiring the bundle and activate() do not load dist/aws.js, which loads on its own', () => {
    const bundle = join(out, 'dist', 'extension.js');
    // Read again after the work activate() started has had time to run: a lazy load is a require in a later tick.
    const script = [
      `const m=require(${JSON.stringify(join(repoRoot, 'scripts', 'bench', 'activation.ts'))});const b=${JSON.stringify(bundle)};`,
      'const a=m.loadAndActivate(b);',
      'setTimeout(()=>{console.log(JSON.stringify({...a,later:m.getLoadedBeside(b)}));process.exit(0)},500);',
    ].join('');
    const printed = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const activation = JSON.parse(printed.trim().split('\n').pop()!) as Activation & { later: string[] };
    assert.deepEqual(activation.loadedBeside, [], 'loaded by require and activate()');
    assert.deepEqual(activation.later, [], 'loaded by what activate() started');
    const aws = join(out, 'dist', 'aws.js');
    assert.ok(existsSync(aws), 'dist/aws.js is built');
    const loaded = execFileSync(
      process.execPath,
      ['-e', `const a=require(${JSON.stringify(aws)});console.log(typeof a.createAwsClients, typeof a.createS3Client)`],
      { encoding: 'utf8' },
    );
    assert.equal(loaded.trim(), 'function function');
  });

  it('the credential_process helper stays free of dependencies', () => {
    assert.deepEqual(
      inputsOf('credentialProcess.js').filter((file) => file.includes('node_modules/')),
      [],
    );
  });
});
