// Bootstrap for `npm test`, `npm run demo` and CI: installs whatever is missing and
// nothing else. Plain Node ESM with no dependencies, because it runs before `npm ci`.
// The code-server recipe and its traps are described in shared/E2E-HARNESS.md.
import { spawnSync } from 'node:child_process';
import {
  closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync,
} from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const codeServerDir = join(repoRoot, 'tools', 'code-server');
const logsDir = join(repoRoot, 'test-results', 'logs');
const debianPackages = ['chromium', 'libkrb5-dev', 'pkg-config', 'ripgrep', 'awscli'];
// @vscode/ripgrep (bundled by VS Code 1.100.3) downloads rg from GitHub unless this exact
// archive is already in $TMPDIR; we feed it Debian's rg instead.
const ripgrepPackageVersion = '1.15.11';
const ripgrepReleaseVersion = 'v13.0.0-10';
const ptyNode = 'node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node';

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
  const isDebian = existsSync('/etc/debian_version')
    && spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  const missing = isDebian ? debianPackages.filter((p) => !isInstalled(p)) : debianPackages;
  if (isDebian && missing.length === 0) {
    say(`system packages present (${debianPackages.join(', ')})`);
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isDebian || !isRoot) {
    const why = isDebian ? 'not running as root' : 'not a Debian system';
    fail(`${why}, so I cannot install the system packages myself. Install them, then run again:\n`
      + `  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n`
      + '  elsewhere: Chromium at /usr/bin/chromium, Kerberos (GSSAPI) headers, pkg-config,\n'
      + '  ripgrep at /usr/bin/rg and AWS CLI v2 at /usr/bin/aws, plus python3, make and g++.');
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

function pinnedCodeServerVersion() {
  const manifest = JSON.parse(readFileSync(join(codeServerDir, 'package.json'), 'utf8'));
  return manifest.dependencies['code-server'];
}

function installedCodeServerVersion() {
  const manifest = join(codeServerDir, 'node_modules', 'code-server', 'package.json');
  if (!existsSync(manifest)) return undefined;
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
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

function installCodeServer(version) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) fail(`code-server ${version} needs Node 20; this is Node ${process.versions.node}`);
  // A short private TMPDIR: the ripgrep cache must be found there, and nothing else may
  // be picked up from (or left behind in) the shared /tmp.
  const privateTmp = mkdtempSync(join(tmpdir(), 'iw-setup-'));
  mkdirSync(logsDir, { recursive: true });
  const logFile = join(logsDir, 'setup-code-server.log');
  say(`installing code-server ${version} into tools/code-server (about a minute; log: ${logFile})`);
  try {
    prepareRipgrepCache(privateTmp);
    const fd = openSync(logFile, 'w');
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: codeServerDir,
      stdio: ['ignore', fd, fd],
      env: {
        ...process.env,
        TMPDIR: privateTmp,
        // The postinstall refuses to run as root without it (npm 11 no longer knows the
        // flag, but the script reads the variable).
        npm_config_unsafe_perm: 'true',
        // node-pty runs `npx node-gyp`, which a `yes=false` in ~/.npmrc would cancel.
        npm_config_yes: 'true',
      },
    });
    closeSync(fd);
    if (result.status !== 0) {
      console.error(tailOf(logFile, 40));
      fail(`npm ci in tools/code-server exited with ${result.status ?? result.signal}; full log: ${logFile}`);
    }
  } finally {
    rmSync(privateTmp, { recursive: true, force: true });
  }
}

function verifyCodeServer(version) {
  const found = installedCodeServerVersion();
  if (found !== version) {
    fail(`tools/code-server has code-server ${found ?? '(none)'} after the install, expected ${version}`);
  }
  if (!existsSync(join(codeServerDir, ptyNode))) {
    fail(`node-pty was not built (missing tools/code-server/${ptyNode}): terminals would not work. `
      + 'Check python3, make and g++, and the log in test-results/logs/setup-code-server.log');
  }
}

function ensureCodeServer() {
  const version = pinnedCodeServerVersion();
  const ready = installedCodeServerVersion() === version && existsSync(join(codeServerDir, ptyNode));
  if (ready) {
    say(`code-server ${version} present`);
    return;
  }
  installCodeServer(version);
  verifyCodeServer(version);
  say(`code-server ${version} installed`);
}

ensureDebianPackages();
ensureRootDependencies();
ensureCodeServer();
