// The supported VS Code floor decides the Node that runs the extension: VS Code 1.100 (the
// floor in engines.vscode) runs extensions on Node 20.19, and 1.101 is the first on Node 22
// (Electron 35). AWS SDK v3 releases after the first week of January 2027 require Node 22,
// so the SDK is pinned below that cut (README, "Supported VS Code versions"). This keeps
// the pin honest: every AWS SDK and Smithy package in the tree must still run on the floor.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');
const floorNode = [20, 19, 0];

function readJson(path: string): {
  version?: string;
  engines?: { node?: string; vscode?: string };
  dependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(path, 'utf8')) as never;
}

/** True when every ">=x.y.z" (or ">=x") part of the range admits the floor; other forms are reported. */
function admitsFloor(range: string): boolean {
  return range.split(/\s+/).every((part) => {
    const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(part);
    if (!match)
      throw new Error(
        `unrecognised engines.node range "${range}": check it against Node ${floorNode.join('.')} by hand`,
      );
    const wanted = [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
    for (let i = 0; i < 3; i += 1) if (wanted[i] !== floorNode[i]) return wanted[i]! < floorNode[i]!;
    return true;
  });
}

describe('the Node floor: VS Code 1.100 runs extensions on Node 20.19', () => {
  it('engines say VS Code 1.100 and Node 20.19', () => {
    const manifest = readJson(join(repoRoot, 'package.json'));
    assert.equal(manifest.engines?.vscode, '^1.100.0');
    assert.equal(manifest.engines?.node, '>=20.19');
  });

  it('the AWS SDK is pinned exactly, so no install can take a release that needs Node 22', () => {
    const manifest = readJson(join(repoRoot, 'package.json'));
    const sdk = Object.entries(manifest.dependencies ?? {}).filter(([name]) => /^@(aws-sdk|smithy)\//.test(name));
    assert.ok(sdk.length > 0);
    for (const [name, spec] of sdk) assert.match(spec, /^\d+\.\d+\.\d+$/, `${name} is "${spec}", not an exact version`);
  });

  it("every installed @aws-sdk and @smithy package runs on the floor's Node", () => {
    const refused: string[] = [];
    for (const scope of ['@aws-sdk', '@smithy']) {
      const dir = join(repoRoot, 'node_modules', scope);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        const manifest = readJson(join(dir, name, 'package.json'));
        const range = manifest.engines?.node;
        if (range && !admitsFloor(range)) refused.push(`${scope}/${name}@${manifest.version} needs node ${range}`);
      }
    }
    assert.deepEqual(refused, [], 'raise engines.vscode to ^1.101.0 (Node 22) before taking these');
  });
});
