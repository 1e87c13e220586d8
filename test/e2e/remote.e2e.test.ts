// Remote development as code-server gives it: the browser is the UI side, the server is the
// remote side holding the workspace. InfraWatch must run on the server (where terminals
// run), say so in its log, and the whole Request Access → terminal flow must work there.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { useE2eSession } from './harness';
import { requestRdsRead, statusItem } from './requestAccessKit';
import { newTerminal, runInTerminal } from './terminalKit';

/** Every file called `name` under `dir` (code-server keeps its logs under the user data). */
function findFiles(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, name));
    else if (entry.name === name) found.push(path);
  }
  return found;
}

/** The line InfraWatch logs at activation on the server: "InfraWatch runs on <host> (…)". */
async function waitForWhereLine(base: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const file of findFiles(base, 'InfraWatch.log')) {
      const line = readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.includes('InfraWatch runs on '));
      if (line) return line;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const logs = findFiles(base, 'InfraWatch.log');
  throw new Error(
    `no "InfraWatch runs on" line in ${logs.length ? logs.join(', ') : `any InfraWatch.log under ${base}`}`,
  );
}

describe('remote development: the workspace on the code-server side (e2e)', function () {
  const session = useE2eSession({ label: 'remote' });

  it("runs on the server side, and Request Access → a terminal there is the session's role", async function () {
    this.timeout(120_000);
    const s = session();
    const { page } = s;

    // Installed as a workspace extension: in a remote window VS Code runs it where the workspace is.
    const installed = readdirSync(s.server.extensionsDir).find((d) => d.startsWith('infrawatch.infrawatch-'));
    assert.ok(installed, `the extension is installed in ${s.server.extensionsDir}`);
    const manifest = JSON.parse(readFileSync(join(s.server.extensionsDir, installed, 'package.json'), 'utf8')) as {
      extensionKind?: string[];
    };
    assert.deepEqual(manifest.extensionKind, ['workspace']);

    // Its activation line, written on the server, says where it runs.
    const where = await waitForWhereLine(dirname(s.server.userDataDir), 30_000);
    const match = /InfraWatch runs on (\S+) \(remote: (.+), workspace side\)/.exec(where);
    assert.ok(match, `the activation line names the host, the remote and the side: ${where}`);
    const host = match[1]!;

    const employee = s.aws.identities.find((i) => i.name === 'employee')!;
    await s.openInfraWatch();
    await s.waitForTree('the Employee services', (rows) => rows.some((r) => r.label === 'RDS'));
    await s.runCommand('Request Access');
    await requestRdsRead(page, 'remote: orders-db slow queries', employee.totpSeed);
    await page
      .locator(statusItem)
      .filter({ hasText: /RDS read (29|30):\d\d/ })
      .waitFor({ timeout: 20_000 });

    // The terminal runs on the same host as the extension, in the server-side workspace folder,
    // and its credential endpoint is that host's loopback.
    await newTerminal(s);
    const shellHost = await runInTerminal(page, 'hostname', 'host');
    assert.equal(shellHost.output, host, 'the terminal runs where the extension host runs');
    const proof = 'written-by-the-terminal.txt';
    const wrote = await runInTerminal(
      page,
      `pwd > ${proof}; printf '%s' "$AWS_CONTAINER_CREDENTIALS_FULL_URI"`,
      'wrote',
    );
    assert.match(
      wrote.output,
      /^http:\/\/127\.0\.0\.1:\d+\//,
      `the endpoint is on the server's loopback: ${wrote.output}`,
    );
    const written = join(s.workspace, proof);
    assert.ok(
      existsSync(written) && statSync(written).isFile(),
      'the file the terminal wrote is in the server-side workspace folder',
    );
    assert.equal(
      realpathSync(readFileSync(written, 'utf8').trim()),
      realpathSync(s.workspace),
      'the terminal starts in the workspace folder',
    );

    const who = await runInTerminal(page, 'aws sts get-caller-identity --query Arn --output text', 'who');
    assert.match(
      who.output,
      /^arn:aws:sts::111122223333:assumed-role\/InfraWatch-Employee\/erin\.employee@[0-9a-f]+$/,
      who.output,
    );
    assert.equal(who.status, 0);

    // What the README offers a container started from the remote, which cannot reach this
    // loopback: the session's current keys, exported by AWS CLI v2 in this terminal, given
    // to a process whose environment holds nothing else (as `docker run -e …` would).
    const handedOver = await runInTerminal(
      page,
      [
        'env -i PATH="$PATH" AWS_ENDPOINT_URL="$AWS_ENDPOINT_URL" AWS_REGION="$AWS_REGION" AWS_DEFAULT_REGION="$AWS_DEFAULT_REGION"',
        '$(/usr/bin/aws configure export-credentials --format env-no-export)',
        'aws sts get-caller-identity --query Arn --output text',
      ].join(' '),
      'keys',
    );
    assert.match(handedOver.output, /assumed-role\/InfraWatch-Employee\/erin\.employee@[0-9a-f]+$/, handedOver.output);
    await s.screenshot('remote-terminal');
  });
});
