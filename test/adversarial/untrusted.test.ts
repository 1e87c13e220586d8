// Why 9 of issue 9: a relative infrawatch.policyPath resolved inside an untrusted workspace, so
// a cloned repository could ship the policy in force for its user. Now a relative path needs
// trust exactly as the workspace's own .infrawatch/policy.json does.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getUntrustedPolicyReason, locatePolicyFile } from '../../src/core/policyLocation';
import type * as PolicySourceModule from '../../src/vscode/policySource';

type Loader = { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

class FileSystemError extends Error {
  code = 'FileNotFound';
}

interface FakeUri {
  fsPath: string;
}

/** Just enough of `vscode` for policySource.ts: one folder, its trust, and the file system. */
function createFakeVscode(folder: string, trust: { isTrusted: boolean }): Record<string, unknown> {
  const file = (p: string): FakeUri => ({ fsPath: p });
  return {
    Uri: { file, joinPath: (base: FakeUri, ...parts: string[]) => file(path.join(base.fsPath, ...parts)) },
    FileSystemError,
    DiagnosticSeverity: { Error: 0, Warning: 1 },
    workspace: {
      workspaceFolders: [{ uri: file(folder) }],
      get isTrusted() {
        return trust.isTrusted;
      },
      fs: {
        stat: (uri: FakeUri) =>
          stat(uri.fsPath).then(
            (s) => ({ size: s.size }),
            () => Promise.reject(new FileSystemError()),
          ),
        readFile: (uri: FakeUri) => readFile(uri.fsPath),
      },
    },
  };
}

/** policySource.ts as the extension loads it, with the fake `vscode`. */
function loadPolicySourceModule(fake: Record<string, unknown>): typeof PolicySourceModule {
  const loader = Module as unknown as Loader;
  const original = loader._load;
  loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : original(request, parent, isMain));
  try {
    for (const key of Object.keys(require.cache))
      if (/src[\\/]vscode[\\/](policySource|config)\.ts$/.test(key)) delete require.cache[key];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module must load after the fake is in place
    return require('../../src/vscode/policySource') as typeof PolicySourceModule;
  } finally {
    loader._load = original;
  }
}

const settings = (policyPath: string) => ({
  profile: '',
  region: '',
  endpointUrl: '',
  policyPath,
  policySource: '',
  mfaSerial: '',
  credentialDelivery: 'endpoint' as const,
  endpointToken: 'variable' as const,
  injectIntoAllDebugSessions: false,
  awsProfiles: 'onRequest' as const,
  renewWarningMinutes: 10,
});

describe('adversarial: a relative policyPath in an untrusted workspace (issue 9, Why 9)', () => {
  let folder: string;
  const trust = { isTrusted: false };
  let source: typeof PolicySourceModule;

  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'iw-untrusted-'));
    // The repository ships a policy that would grant its user whatever it likes.
    const policy = readFileSync(path.join(__dirname, '..', '..', 'demo', 'policy.json'), 'utf8');
    writeFileSync(path.join(folder, 'team-policy.json'), policy);
    mkdirSync(path.join(folder, '.infrawatch'));
    writeFileSync(path.join(folder, '.infrawatch', 'policy.json'), policy);
    source = loadPolicySourceModule(createFakeVscode(folder, trust));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  for (const relative of ['team-policy.json', './team-policy.json', '.infrawatch/policy.json']) {
    it(`ignores infrawatch.policyPath "${relative}" until the workspace is trusted, and says so`, async () => {
      trust.isTrusted = false;
      const untrusted = await source.loadPolicySource(settings(relative));
      assert.equal(
        untrusted.source.kind,
        'untrusted',
        `the workspace's policy is in force: ${JSON.stringify(untrusted.source).slice(0, 120)}`,
      );
      assert.equal(untrusted.text, undefined, 'nothing of the file is kept');
      assert.match(
        untrusted.notice ?? '',
        /not trusted, so the access policy ".*" \(a relative infrawatch\.policyPath, which resolves inside the workspace\) is ignored until you trust it/,
      );
      trust.isTrusted = true;
      const trusted = await source.loadPolicySource(settings(relative));
      assert.equal(trusted.source.kind, 'file');
      assert.ok(trusted.source.kind === 'file' && trusted.source.result.ok);
    });
  }

  it('still reads an absolute policyPath (the user chose that file) and still guards the workspace file', async () => {
    trust.isTrusted = false;
    const absolute = await source.loadPolicySource(settings(path.join(folder, 'team-policy.json')));
    assert.equal(absolute.source.kind, 'file');
    assert.equal(absolute.notice, undefined);
    const workspaceFile = await source.loadPolicySource(settings(''));
    assert.equal(workspaceFile.source.kind, 'untrusted');
    assert.match(workspaceFile.notice ?? '', /its access policy file is ignored until you trust it/);
  });

  it('decides in a pure function: every relative form needs trust; absolute and ~ paths do not', () => {
    const home = '/home/ada';
    for (const relative of ['p.json', './p.json', '../shared/p.json', '.infrawatch/policy.json', '~ada/p.json']) {
      for (const hasFolder of [true, false]) {
        const location = locatePolicyFile(relative, hasFolder, home)!;
        assert.equal(location.needsTrust, true, `${relative}, folder ${hasFolder}`);
        assert.equal(location.base, hasFolder ? 'folder' : 'workingDirectory');
        assert.match(getUntrustedPolicyReason(location, false) ?? '', /ignored until you trust it/);
        assert.equal(getUntrustedPolicyReason(location, true), undefined);
      }
    }
    for (const [given, expected] of [
      ['/etc/iw/p.json', '/etc/iw/p.json'],
      ['~/p.json', '/home/ada/p.json'],
      ['~', '/home/ada'],
    ]) {
      const location = locatePolicyFile(given!, true, home)!;
      assert.deepEqual(location, { path: expected, base: 'absolute', needsTrust: false, origin: 'file' });
      assert.equal(getUntrustedPolicyReason(location, false), undefined);
    }
    assert.deepEqual(locatePolicyFile('', true, home), {
      path: path.join('.infrawatch', 'policy.json'),
      base: 'folder',
      needsTrust: true,
      origin: 'workspace',
    });
    assert.equal(locatePolicyFile('', false, home), undefined);
  });
});
