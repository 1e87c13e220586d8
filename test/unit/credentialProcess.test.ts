// The credential_process helper's logic and the discovery folder it reads: which window it
// asks, what it prints, and the one line it says when it cannot serve.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCredentialProcess, type GetUrl } from '../../src/core/credentials/credentialProcess';
import {
  getLauncherText,
  getProfilePaths,
  isEndpointUri,
  readWindowFiles,
  removeWindowFile,
  writeLauncher,
  writeWindowFile,
} from '../../src/core/credentials/credentialProcessDiscovery';

const uri = 'http://127.0.0.1:4567/credentials/rds-read';
const body = JSON.stringify({
  AccessKeyId: 'ASIAEXAMPLE',
  SecretAccessKey: 'secret',
  Token: 'token',
  Expiration: '2026-01-01T00:00:00Z',
  RoleArn: 'arn:x',
});

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('credential_process helper', function () {
  let dir: string;
  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'infrawatch-helper-'));
  });
  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints credential_process JSON from the endpoint body, asking with the token', async function () {
    await writeWindowFile(dir, { 'rds:read': { uri, token: 'tok' } });
    const asked: string[] = [];
    const get: GetUrl = async (u, t) => (asked.push(`${u} ${t}`), { status: 200, body });
    const result = await runCredentialProcess(dir, 'rds:read', get);
    assert.deepEqual(asked, [`${uri} tok`]);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), {
      Version: 1,
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: '2026-01-01T00:00:00Z',
    });
  });

  it('skips gone windows and windows that do not answer, and says the endpoint refusal in one line', async function () {
    await writeWindowFile(dir, { 'rds:read': { uri, token: 'dead' } }, await deadPid());
    await writeWindowFile(dir, { 'rds:read': { uri, token: 'tok' } });
    const get: GetUrl = async (_u, t) => {
      assert.notEqual(t, 'dead', 'a gone window is not asked');
      return {
        status: 403,
        body: JSON.stringify({
          Code: 'AccessDenied',
          Message:
            'This InfraWatch session was revoked. Run "InfraWatch: Request Access" in the editor to get access again.',
        }),
      };
    };
    const refused = await runCredentialProcess(dir, 'rds:read', get);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'InfraWatch rds read: This InfraWatch session was revoked. Run "InfraWatch: Request Access" in the editor to get access again.\n',
    );
    const down = await runCredentialProcess(dir, 'rds:read', () => Promise.reject(new Error('ECONNREFUSED')));
    assert.match(down.stderr, /^InfraWatch: no window answered for rds read/);
  });

  it('says what to do when no window runs or none serves the session, or the key is malformed', async function () {
    assert.match((await runCredentialProcess(dir, 'rds:read')).stderr, /no VS Code window with InfraWatch is running/);
    await writeWindowFile(dir, { 'rds:read': { uri, token: 'tok' } });
    assert.equal(
      (await runCredentialProcess(dir, 's3:write')).stderr,
      'InfraWatch: no live session for s3 write: run "InfraWatch: Request Access" for s3 write in VS Code, then try again.\n',
    );
    assert.match((await runCredentialProcess(dir, 'rds;rm -rf')).stderr, /expected a session like rds:read/);
  });

  it('ignores addresses that are not the loopback endpoint (a changed file cannot send the token away)', async function () {
    assert.ok(isEndpointUri(uri));
    for (const bad of [
      'http://evil.example/credentials/rds-read',
      'http://127.0.0.1:1/other',
      'https://127.0.0.1:1/credentials/rds-read',
    ])
      assert.ok(!isEndpointUri(bad), bad);
    await writeFile(
      join(dir, `${process.pid}.json`),
      JSON.stringify({
        version: 1,
        pid: process.pid,
        grants: { 'rds:read': { uri: 'http://evil.example/x', token: 't' } },
      }),
    );
    const [file] = await readWindowFiles(dir);
    assert.deepEqual(file.grants, {});
  });

  it('writes 0600 window files in a 0700 folder, removes them, and sweeps those of gone windows', async function () {
    const windows = join(dir, 'windows');
    await writeWindowFile(windows, { 'rds:read': { uri, token: 'tok' } });
    assert.equal((await stat(windows)).mode & 0o777, 0o700);
    assert.equal((await stat(join(windows, `${process.pid}.json`))).mode & 0o777, 0o600);
    const gone = await deadPid();
    await writeWindowFile(windows, { 'rds:read': { uri, token: 'x' } }, gone);
    assert.equal((await readWindowFiles(windows, { sweep: true })).length, 1);
    await assert.rejects(stat(join(windows, `${gone}.json`)));
    await removeWindowFile(windows);
    assert.deepEqual(await readWindowFiles(windows), []);
  });

  it("writes a 0700 launcher that runs the editor's Node as Node, with quoted paths", async function () {
    const paths = getProfilePaths(join(dir, "it's here"));
    await writeLauncher(paths, '/opt/VS Code/code', '/ext/dist/credentialProcess.js');
    assert.equal((await stat(paths.launcher)).mode & 0o777, 0o700);
    const text = await readFile(paths.launcher, 'utf8');
    assert.ok(text.startsWith('#!/bin/sh\n'));
    assert.ok(
      text.includes(
        `ELECTRON_RUN_AS_NODE=1 exec '/opt/VS Code/code' '/ext/dist/credentialProcess.js' '${dir}/it'\\''s here/windows' "$@"`,
      ),
    );
    assert.match(
      getLauncherText('C:\\VS Code\\Code.exe', 'C:\\h.js', 'C:\\w', 'win32'),
      /set ELECTRON_RUN_AS_NODE=1\r\n"C:\\VS Code\\Code.exe" "C:\\h.js" "C:\\w" %\*\r\n/,
    );
  });
});
