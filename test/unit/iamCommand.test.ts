import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type IamCommandIo, runIamCommand } from '../../src/core/iam/iamCommand';
import { type CfnTemplate } from '../../src/core/iam/types';
import { demoPolicyText, rolesOf } from './iamKit';

function memoryIo(
  files: Record<string, string>,
): IamCommandIo & { out: string[]; err: string[]; files: Record<string, string> } {
  const io = {
    files,
    out: [] as string[],
    err: [] as string[],
    readText: (file: string) => {
      if (!Object.hasOwn(files, file)) throw new Error(`ENOENT: no such file, open '${file}'`);
      return files[file]!;
    },
    writeText: (file: string, text: string) => void (files[file] = text),
    makeDir: () => undefined,
    stdout: (line: string) => void io.out.push(line),
    stderr: (line: string) => void io.err.push(line),
  };
  return io;
}

const twoAccounts = (() => {
  const policy = JSON.parse(demoPolicyText) as {
    accounts: unknown[];
    assignments: unknown[];
    roles: Record<string, { roleArns: Record<string, string> }>;
  };
  policy.accounts.push({ id: '444455556666', name: 'prod', region: 'eu-west-1' });
  // The demo's principals are all in 111122223333; a user name applies in every account.
  policy.assignments.push({ userName: 'pat.prod', role: 'Employee' });
  policy.roles['Employee']!.roleArns['444455556666'] = 'arn:aws:iam::444455556666:role/InfraWatch-Employee';
  return JSON.stringify(policy, null, 2);
})();

describe('IAM kit: npm run iam', () => {
  it('prints the template for the demo policy to stdout', () => {
    const io = memoryIo({ 'policy.json': demoPolicyText });
    assert.equal(runIamCommand(['policy.json'], io), 0, io.err.join('\n'));
    const template = JSON.parse(io.out.join('\n')) as CfnTemplate;
    assert.equal(rolesOf(template).length, 3);
  });

  it('writes one file per account with --out, and one account with --account', () => {
    const io = memoryIo({ 'p.json': twoAccounts });
    assert.equal(runIamCommand(['p.json', '--out', 'out'], io), 0, io.err.join('\n'));
    const demo = JSON.parse(io.files[path.join('out', 'infrawatch-iam-111122223333.json')]!) as CfnTemplate;
    const prod = JSON.parse(io.files[path.join('out', 'infrawatch-iam-444455556666.json')]!) as CfnTemplate;
    assert.equal(rolesOf(demo).length, 3);
    assert.deepEqual(
      rolesOf(prod).map((r) => r.Properties.RoleName),
      ['InfraWatch-Employee'],
    );
    const one = memoryIo({ 'p.json': twoAccounts });
    assert.equal(runIamCommand(['p.json', '--account', '444455556666'], one), 0);
    assert.deepEqual(JSON.parse(one.out.join('\n')), prod);
  });

  it('refuses several accounts on stdout, an unknown account, and bad usage', () => {
    const io = memoryIo({ 'p.json': twoAccounts });
    assert.equal(runIamCommand(['p.json'], io), 2);
    assert.match(io.err.join('\n'), /--account <id>.*--out <dir>/);
    const unknown = memoryIo({ 'p.json': twoAccounts });
    assert.equal(runIamCommand(['p.json', '--account', '999999999999'], unknown), 1);
    assert.match(
      unknown.err.join('\n'),
      /999999999999 is not in the policy; its accounts are 111122223333, 444455556666/,
    );
    assert.equal(runIamCommand([], memoryIo({})), 2);
    assert.equal(runIamCommand(['p.json', '--bogus'], memoryIo({ 'p.json': twoAccounts })), 2);
    const missing = memoryIo({});
    assert.equal(runIamCommand(['nope.json'], missing), 2);
    assert.match(missing.err.join('\n'), /cannot read the policy nope\.json/);
  });

  it('exits 1 on an invalid policy, naming each problem by JSON path and line, and writes nothing', () => {
    const broken = demoPolicyText
      .replace('"inherits": "Employee"', '"inherits": "Employe"')
      .replace('"service": "sqs", "levels": ["read"]', '"service": "sqs", "levels": ["raed"]');
    assert.notEqual(broken, demoPolicyText);
    const io = memoryIo({ 'bad.json': broken });
    assert.equal(runIamCommand(['bad.json', '--out', 'out'], io), 1);
    const text = io.err.join('\n');
    assert.match(text, /bad\.json is not a valid InfraWatch policy \(2 problems\)/);
    assert.match(text, /bad\.json:\d+:\d+ \$\.roles\.Manager\.inherits: unknown role "Employe"/);
    assert.match(text, /bad\.json:\d+:\d+ \$\.roles\.Employee\.grants\[3\]\.levels\[0\]: unknown access level "raed"/);
    assert.deepEqual(Object.keys(io.files), ['bad.json']);
    assert.deepEqual(io.out, []);
  });

  it('runs as a script: exit 1 with paths on an invalid policy, 0 and files on a valid one', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'infrawatch-iam-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, demoPolicyText.replace('"maxMinutes": 720', '"maxMinutes": 7200'));
    const script = path.join(__dirname, '..', '..', 'scripts', 'iam.ts');
    const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const failed = spawnSync(tsx, [script, bad], { encoding: 'utf8' });
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, /\$\.roles\.Admin\.grants\[0\]\.maxMinutes: maxMinutes must be at most 720/);
    const good = path.join(dir, 'policy.json');
    writeFileSync(good, demoPolicyText);
    const ok = spawnSync(tsx, [script, good, '--out', path.join(dir, 'out')], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    const written = JSON.parse(
      readFileSync(path.join(dir, 'out', 'infrawatch-iam-111122223333.json'), 'utf8'),
    ) as CfnTemplate;
    assert.equal(rolesOf(written).length, 3);
  });
});
