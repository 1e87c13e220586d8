// Starts code-server (one of the VS Code flavours in tools/vscode-versions.json, on its own
// Node from tools/) the way that works here: no auth on 127.0.0.1,
// fresh user data and extensions, its litter kept out of ~ and /tmp.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, logsDir } from './paths';
import { getSelectedVscodeFlavour, type VscodeFlavour } from './vscodeVersions';
import { getFreePort, makeTempBase, startDetached, tailFile, waitFor } from './processes';

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  workspace: string;
  /** Merged over the harness defaults into the USER settings.json (machine scope lives here). */
  userSettings?: Record<string, unknown>;
  /** Extra environment for code-server, hence for the extension host and its terminals. */
  env?: Record<string, string>;
  /** Defaults to a fresh folder; the demo passes one holding a symlink to the repo. */
  extensionsDir?: string;
  /** A .vsix to install into the extensions dir before starting. */
  installVsix?: string;
  port?: number;
  /** A name for the log file, e.g. "e2e" → test-results/logs/code-server-e2e-<port>.log. */
  label?: string;
  /** Keep the temp folder after exit (the demo's users may want to look at it). */
  keepTemp?: boolean;
  /** Which VS Code; defaults to $INFRAWATCH_VSCODE, else the floor. */
  flavour?: VscodeFlavour;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  settingsFile: string;
  logFile: string;
  /** The VS Code it runs. */
  flavour: VscodeFlavour;
  /** The workbench URL for a folder, optionally with a development/test payload. */
  workbenchUrl(folder: string, payload?: [string, string][]): string;
  /** A `vscode-remote://` URI for a path on this machine, as payload values need. */
  remoteUri(absolutePath: string): string;
  stop(): void;
}

const defaultUserSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'remote.autoForwardPorts': false,
  'terminal.integrated.enablePersistentSessions': false,
  // Without this the terminal draws on a canvas and its text cannot be read from the DOM.
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.showExitAlert': false,
  // Sticky scroll draws the current command again in a second xterm over the terminal, so
  // the terminal's text would be read twice (VS Code 1.139 shows it once output scrolls).
  'terminal.integrated.stickyScroll.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

interface Layout {
  base: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

function prepareLayout(options: CodeServerOptions): Layout {
  const base = makeTempBase(options.keepTemp);
  const userDataDir = ensureDir(join(base, 'user-data'));
  const extensionsDir = options.extensionsDir ?? ensureDir(join(base, 'extensions'));
  const configFile = join(base, 'config.yaml');
  // Without --config, code-server writes ~/.config/code-server/config.yaml.
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: ensureDir(join(base, 'tmp')),
    XDG_CONFIG_HOME: ensureDir(join(base, 'xdg-config')),
    XDG_DATA_HOME: ensureDir(join(base, 'xdg-data')),
    XDG_CACHE_HOME: ensureDir(join(base, 'xdg-cache')),
    ...options.env,
  };
  // Inside a VS Code terminal this would make code-server hand the folder to that editor.
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  return { base, userDataDir, extensionsDir, configFile, env };
}

function writeUserSettings(userDataDir: string, overrides: Record<string, unknown> = {}): string {
  const userDir = join(userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  const settingsFile = join(userDir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ ...defaultUserSettings, ...overrides }, null, 2));
  // In a remote window (code-server) machine-scoped settings belong to the Machine file;
  // VS Code drops them from the User file when it reloads configuration (e.g. on a debug
  // launch), so the extension's settings go to both.
  const machineDir = join(userDataDir, 'Machine');
  mkdirSync(machineDir, { recursive: true });
  const machineOnly = Object.fromEntries(Object.entries(overrides).filter(([key]) => key.startsWith('infrawatch.')));
  writeFileSync(join(machineDir, 'settings.json'), JSON.stringify(machineOnly, null, 2));
  return settingsFile;
}

function installExtension(flavour: VscodeFlavour, layout: Layout, vsix: string, logFile: string): void {
  if (!existsSync(vsix)) throw new Error(`cannot install the extension: no file at ${vsix}`);
  const result = spawnSync(
    flavour.nodeBin,
    [
      flavour.entryScript,
      '--config',
      layout.configFile,
      '--user-data-dir',
      layout.userDataDir,
      '--extensions-dir',
      layout.extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: layout.env, encoding: 'utf8', timeout: 120_000 },
  );
  writeFileSync(logFile, `${result.stdout ?? ''}${result.stderr ?? ''}`, { flag: 'a' });
  if (result.status !== 0) {
    throw new Error(
      `code-server --install-extension ${vsix} failed (${result.status ?? result.signal})\n${tailFile(logFile)}`,
    );
  }
}

async function waitHealthy(url: string, exited: Promise<number | string>, logFile: string): Promise<void> {
  let settled = false;
  const died = exited.then((code) => {
    if (!settled) throw new Error(`code-server exited (${code}) before it was ready\n${tailFile(logFile)}`);
  });
  const healthy = waitFor(
    async () => {
      if (settled) return true; // the server died: stop polling, `died` carries the error
      const response = await fetch(`${url}/healthz`).catch(() => undefined);
      return response?.status === 200;
    },
    { what: `code-server at ${url}/healthz`, timeoutMs: 60_000, detail: () => tailFile(logFile) },
  );
  try {
    await Promise.race([healthy, died]);
  } finally {
    settled = true;
  }
}

/** Starts a code-server and resolves once it answers /healthz. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const flavour = options.flavour ?? getSelectedVscodeFlavour();
  for (const [what, file] of [
    ['code-server', flavour.entryScript],
    ['its Node', flavour.nodeBin],
  ] as const) {
    if (!existsSync(file)) {
      throw new Error(
        `${what} for the ${flavour.name} VS Code (code-server ${flavour.codeServerVersion}) is not installed at ${file}: run node scripts/setup.mjs`,
      );
    }
  }
  const layout = prepareLayout(options);
  const settingsFile = writeUserSettings(layout.userDataDir, options.userSettings);
  const port = options.port ?? (await getFreePort());
  const logFile = join(ensureDir(logsDir), `code-server-${options.label ?? 'run'}-${flavour.name}-${port}.log`);
  writeFileSync(logFile, '');
  if (options.installVsix) installExtension(flavour, layout, options.installVsix, logFile);
  const server = startDetached(
    flavour.nodeBin,
    [
      flavour.entryScript,
      '--config',
      layout.configFile,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir',
      layout.userDataDir,
      '--extensions-dir',
      layout.extensionsDir,
      options.workspace,
    ],
    { env: layout.env, logFile, cwd: options.workspace },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, server.exited, logFile);
  } catch (err) {
    server.stop();
    throw err;
  }
  const remoteUri = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  return {
    url,
    port,
    settingsFile,
    logFile,
    remoteUri,
    flavour,
    userDataDir: layout.userDataDir,
    extensionsDir: layout.extensionsDir,
    workbenchUrl: (folder, payload) => {
      // Slashes left readable: this URL is also printed for people (npm run demo).
      const query = `folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
      return `${url}/?${query}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
    },
    stop: () => server.stop(),
  };
}
