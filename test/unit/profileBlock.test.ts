// The InfraWatch block in the user's AWS config: the rest of the file kept byte for byte,
// files the AWS clients could not read left alone, and several windows writing at once.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blockEnd,
  blockStart,
  getCredentialProcess,
  parseConfig,
  setProfiles,
  type ProfileEntry,
} from '../../src/core/credentials/profileBlock';
import { getAwsConfigPath, readProfileBlock, updateProfileBlock } from '../../src/core/credentials/profileBlockFile';

const launcher = '/home/erin/.config/Code/User/globalStorage/x/profiles/credential-process';
const rdsRead: ProfileEntry = { service: 'rds', level: 'read', region: 'us-east-1' };
const s3Write: ProfileEntry = { service: 's3', level: 'write', region: 'eu-west-1' };

const userConfig = [
  '# my settings',
  '[default]',
  'region = us-west-2',
  'output=json',
  's3 =',
  '    max_concurrent_requests = 20',
  '',
  '; old style comment',
  '[profile work]',
  'role_arn: arn:aws:iam::111122223333:role/Work',
  'source_profile = default',
].join('\n');

describe('AWS config profile block', function () {
  it('adds a block at the top and removing it gives back the same bytes (LF, final newline)', function () {
    const text = `${userConfig}\n`;
    const added = setProfiles('config', text, [rdsRead], launcher);
    assert.ok(
      added.startsWith(
        `${blockStart}\n[profile infrawatch-rds-read]\ncredential_process = '${launcher}' rds:read\nregion = us-east-1\n${blockEnd}\n`,
      ),
    );
    assert.ok(added.endsWith(text));
    assert.deepEqual(parseConfig('config', added).entries, [rdsRead]);
    assert.equal(setProfiles('config', added, [], launcher), text);
  });

  it('keeps a file without a final newline, and CRLF line endings', function () {
    for (const text of [
      userConfig,
      userConfig.replaceAll('\n', '\r\n'),
      `${userConfig.replaceAll('\n', '\r\n')}\r\n`,
    ]) {
      const added = setProfiles('config', text, [rdsRead, s3Write], launcher);
      if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(added), 'every line ends in CRLF');
      const changed = setProfiles('config', added, [s3Write], launcher);
      assert.equal(parseConfig('config', changed).entries.length, 1);
      assert.equal(setProfiles('config', changed, [], launcher), text);
    }
  });

  it('replaces a block where the user moved it, leaving what is around it', function () {
    const block = setProfiles('config', '', [rdsRead], launcher);
    const text = `[default]\nregion = us-west-2\n\n${block}[profile work]\nregion = eu-west-1`;
    const next = setProfiles('config', text, [rdsRead, s3Write], launcher);
    assert.ok(next.startsWith('[default]\nregion = us-west-2\n\n# >>>'));
    assert.ok(next.endsWith(`${blockEnd}\n[profile work]\nregion = eu-west-1`));
    assert.equal(
      setProfiles('config', next, [], launcher),
      '[default]\nregion = us-west-2\n\n[profile work]\nregion = eu-west-1',
    );
  });

  it('keeps a byte order mark first, and an empty or missing file stays empty when there are no profiles', function () {
    const text = '\uFEFF[default]\nregion = us-west-2\n';
    const added = setProfiles('config', text, [rdsRead], launcher);
    assert.ok(added.startsWith(`\uFEFF${blockStart}`));
    assert.equal(setProfiles('config', added, [], launcher), text);
    assert.equal(setProfiles('config', '', [], launcher), '');
  });

  it('refuses a file the AWS clients cannot read, naming the line and not its content', function () {
    const cases: [string, RegExp][] = [
      [
        '[default]\nregion = us-east-1\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
        /line 3 is not a \[section\], a key = value or a comment/,
      ],
      ['region = us-east-1\n[default]\n', /line 1 sets a key before any \[section\]/],
      ['[default]\n  indented = 1\n', /line 2 is indented but continues no "key ="/],
      ['[default]\nregion = a\n[default]\n', /line 3 repeats the section \[default\] of line 1/],
      [
        '[profile infrawatch-rds-read]\nregion = us-east-1\n',
        /line 1 defines \[profile infrawatch-rds-read\], which the InfraWatch block defines too/,
      ],
      [`${blockStart}\n[default]\n`, /line 1 breaks the InfraWatch block/],
      [
        `${blockStart}\n[profile infrawatch-rds-read]\naws_secret_access_key = x\n${blockEnd}\n`,
        /line 3 inside the InfraWatch block was not written by InfraWatch/,
      ],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => setProfiles('/home/erin/.aws/config', text, [rdsRead], launcher),
        (error: Error) => {
          assert.match(error.message, message);
          assert.match(error.message, /^InfraWatch left \/home\/erin\/\.aws\/config unchanged/);
          assert.ok(!error.message.includes('wJalr'), 'the line itself is not shown: it may hold a secret');
          return true;
        },
        text,
      );
    }
  });

  it('quotes the launcher so shlex (botocore) and /bin/sh (SDK v3, Go) both read one word', function () {
    assert.equal(
      getCredentialProcess("/Users/e/Library/Application Support/it's", 'rds', 'read', 'darwin'),
      `'/Users/e/Library/Application Support/it'\\''s' rds:read`,
    );
    assert.equal(
      getCredentialProcess('C:\\Users\\e\\AppData\\x.cmd', 'rds', 'read', 'win32'),
      '"C:\\Users\\e\\AppData\\x.cmd" rds:read',
    );
  });

  it('finds the config where the AWS clients do: AWS_CONFIG_FILE, else ~/.aws/config', function () {
    assert.equal(getAwsConfigPath({}, '/home/erin'), '/home/erin/.aws/config');
    assert.equal(getAwsConfigPath({ AWS_CONFIG_FILE: '~/cfg' }, '/home/erin'), '/home/erin/cfg');
    assert.equal(getAwsConfigPath({ AWS_CONFIG_FILE: '/etc/aws.cfg' }, '/home/erin'), '/etc/aws.cfg');
  });

  describe('on disk', function () {
    let dir: string;
    beforeEach(async function () {
      dir = await mkdtemp(join(tmpdir(), 'infrawatch-block-'));
    });
    afterEach(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    it('creates a missing file, keeps the mode of an existing one, follows a link and leaves no temp or lock file', async function () {
      const missing = join(dir, 'new', 'config');
      await updateProfileBlock({ path: missing, launcher, change: () => [rdsRead] });
      assert.deepEqual(await readProfileBlock(missing), [rdsRead]);
      const real = join(dir, 'dotfiles-config');
      await writeFile(real, `${userConfig}\n`, { mode: 0o640 });
      const link = join(dir, 'config');
      await symlink(real, link);
      await updateProfileBlock({ path: link, launcher, change: () => [rdsRead] });
      assert.ok((await stat(link, {})).isFile());
      assert.equal((await stat(real)).mode & 0o777, 0o640);
      assert.ok((await readFile(real, 'utf8')).endsWith(`${userConfig}\n`));
      await updateProfileBlock({ path: link, launcher, change: () => [] });
      assert.equal(await readFile(real, 'utf8'), `${userConfig}\n`);
      const { readdir } = await import('node:fs/promises');
      assert.deepEqual((await readdir(dir)).sort(), ['config', 'dotfiles-config', 'new']);
    });

    it('leaves an unreadable file untouched', async function () {
      const path = join(dir, 'config');
      await writeFile(path, '[default]\nnot a setting\n');
      await assert.rejects(updateProfileBlock({ path, launcher, change: () => [rdsRead] }), /line 2/);
      assert.equal(await readFile(path, 'utf8'), '[default]\nnot a setting\n');
    });

    it('two processes adding different profiles at once: both profiles and the user lines survive', async function () {
      const path = join(dir, 'config');
      await writeFile(path, `${userConfig}\n`);
      const writer = join(dir, 'writer.ts');
      await mkdir(dir, { recursive: true });
      const module = join(__dirname, '..', '..', 'src', 'core', 'credentials', 'profileBlockFile.ts');
      await writeFile(
        writer,
        [
          `import { updateProfileBlock } from ${JSON.stringify(module)};`,
          'const [path, service, level] = process.argv.slice(2);',
          'const run = async () => { for (let i = 0; i < 15; i += 1) await updateProfileBlock({ path, launcher: "/l", change: (e) => [...e.filter((x) => x.service !== service), { service, level, region: "us-east-1" }] as never }); };',
          'run().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });',
        ].join('\n'),
      );
      const runWriter = (service: string, level: string) =>
        new Promise<number>((resolve) => {
          fork(writer, [path, service, level], { execArgv: ['--import', 'tsx'] }).on('exit', (code) =>
            resolve(code ?? 1),
          );
        });
      assert.deepEqual(
        await Promise.all([runWriter('rds', 'read'), runWriter('s3', 'write'), runWriter('ec2', 'admin')]),
        [0, 0, 0],
      );
      const entries = await readProfileBlock(path);
      assert.deepEqual(entries.map((e) => `${e.service}:${e.level}`).sort(), ['ec2:admin', 'rds:read', 's3:write']);
      assert.ok((await readFile(path, 'utf8')).endsWith(`${userConfig}\n`));
    });
  });
});
