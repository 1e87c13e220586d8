// How the credential_process helper finds a live session without VS Code: each window
// keeps one file, <pid>.json (0600, in a 0700 folder), naming for each session it serves
// (service:level) its credential endpoint address and the endpoint token. The helper asks
// that endpoint with that token, so the endpoint's token check, its refusals ("was revoked",
// "has expired") and its audit record of every fetch apply to the helper unchanged. No AWS
// key, secret or session token is written. A window rewrites its file when what it serves
// changes and deletes it when it closes; files of windows that are gone are skipped and swept.
// The launcher beside the folder runs the helper with the editor's own Node (VS Code's
// Electron needs ELECTRON_RUN_AS_NODE=1; code-server's node ignores it).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../processAlive';

export interface DiscoveryGrant {
  /** The session's address at the window's endpoint. */
  uri: string;
  /** Its endpoint token. */
  token: string;
}

export interface DiscoveryFile {
  version: 1;
  pid: number;
  /** service:level → where it is served. */
  grants: Record<string, DiscoveryGrant>;
}

export interface ProfilePaths {
  /** The folder of the windows' files. */
  windowsDir: string;
  /** The script credential_process runs. */
  launcher: string;
}

export function getProfilePaths(dir: string, platform = process.platform): ProfilePaths {
  return {
    windowsDir: join(dir, 'windows'),
    launcher: join(dir, platform === 'win32' ? 'credential-process.cmd' : 'credential-process'),
  };
}

/** Only the loopback endpoint's own addresses: a changed file cannot send the token elsewhere. */
export function isEndpointUri(uri: string): boolean {
  return /^http:\/\/127\.0\.0\.1:\d{1,5}\/credentials\/[a-z0-9]+-[a-z]+$/.test(uri);
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { encoding: 'utf8', mode, flag: 'wx' });
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

function quoteForSh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The launcher's text: the editor's Node runs the helper, with the folder of window files. */
export function getLauncherText(
  execPath: string,
  helper: string,
  windowsDir: string,
  platform = process.platform,
): string {
  if (platform === 'win32') {
    return `@echo off\r\nrem Written by InfraWatch (VS Code extension): runs its credential_process helper. Nothing secret here.\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${execPath}" "${helper}" "${windowsDir}" %*\r\n`;
  }
  return `#!/bin/sh\n# Written by InfraWatch (VS Code extension): runs its credential_process helper. Nothing secret here;\n# every InfraWatch window writes it again, so it follows editor updates.\nELECTRON_RUN_AS_NODE=1 exec ${[execPath, helper, windowsDir].map(quoteForSh).join(' ')} "$@"\n`;
}

/** Writes the launcher (0700) and makes the windows' folder (0700). */
export async function writeLauncher(paths: ProfilePaths, execPath: string, helper: string): Promise<void> {
  await mkdir(paths.windowsDir, { recursive: true, mode: 0o700 });
  await writeAtomically(paths.launcher, getLauncherText(execPath, helper, paths.windowsDir), 0o700);
}

/** This window's file: written anew each time (an empty map deletes it). */
export async function writeWindowFile(
  windowsDir: string,
  grants: Record<string, DiscoveryGrant>,
  pid = process.pid,
): Promise<void> {
  const path = join(windowsDir, `${pid}.json`);
  if (Object.keys(grants).length === 0) return rm(path, { force: true });
  await mkdir(windowsDir, { recursive: true, mode: 0o700 });
  const file: DiscoveryFile = { version: 1, pid, grants };
  await writeAtomically(path, JSON.stringify(file), 0o600);
}

export function removeWindowFile(windowsDir: string, pid = process.pid): Promise<void> {
  return rm(join(windowsDir, `${pid}.json`), { force: true });
}

function parseWindowFile(text: string): DiscoveryFile | undefined {
  try {
    const file = JSON.parse(text) as Partial<DiscoveryFile>;
    if (file.version !== 1 || !Number.isInteger(file.pid) || typeof file.grants !== 'object' || file.grants === null)
      return undefined;
    const grants = Object.fromEntries(
      Object.entries(file.grants).filter(
        ([, g]) => typeof g?.token === 'string' && typeof g.uri === 'string' && isEndpointUri(g.uri),
      ),
    );
    return { version: 1, pid: file.pid!, grants };
  } catch {
    return undefined;
  }
}

/** The files of windows still running, newest pid first; with `sweep`, those of gone windows are deleted. */
export async function readWindowFiles(windowsDir: string, options: { sweep?: boolean } = {}): Promise<DiscoveryFile[]> {
  let names: string[];
  try {
    names = await readdir(windowsDir);
  } catch {
    return [];
  }
  const files: DiscoveryFile[] = [];
  for (const name of names) {
    const pid = Number(/^(\d+)\.json$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (!isProcessAlive(pid)) {
      if (options.sweep) await rm(join(windowsDir, name), { force: true });
      continue;
    }
    const file = parseWindowFile(await readFile(join(windowsDir, name), 'utf8').catch(() => ''));
    if (file?.pid === pid) files.push(file);
  }
  return files.sort((a, b) => b.pid - a.pid);
}
