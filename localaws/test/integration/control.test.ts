// The unsigned control API under /_localaws/ (clock, identities, TOTP codes, sessions,
// switches) and the AWS config files for the demo profiles.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { writeAwsConfigFiles } from '../../demo/awsFiles';
import { jitRoleArn } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import { credentialsOf, identity, stsClient, totpCode } from '../../testing/clients';

interface ControlReply {
  now: number;
  code: string;
  serialNumber: string;
  all: string[];
}

async function call(
  aws: LocalAws,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: ControlReply }> {
  const response = await fetch(`${aws.url}/_localaws/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as ControlReply };
}

describe('local AWS endpoint: control API and AWS files', function () {
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());

  it('starts the endpoint clock at startTime, then moves and sets it', async () => {
    await aws.close();
    aws = await startLocalAws({ startTime: Date.UTC(2026, 0, 5, 9, 0, 0) });
    const start = (await call(aws, 'GET', 'clock')).json.now;
    assert.ok(Math.abs(start - Date.UTC(2026, 0, 5, 9, 0, 0)) < 5000, 'starts at startTime');
    const moved = await call(aws, 'POST', 'clock/advance', { ms: 3_600_000 });
    assert.ok(moved.json.now - start >= 3_600_000);
    const set = await call(aws, 'POST', 'clock/set', { iso: '2026-02-01T00:00:00Z' });
    assert.ok(Math.abs(set.json.now - Date.UTC(2026, 1, 1)) < 5000);
    assert.equal((await call(aws, 'POST', 'clock/advance', { ms: 'soon' })).status, 400);
  });

  it('gives the current TOTP code of a demo identity, by name, user name or serial', async () => {
    const byName = await call(aws, 'GET', 'totp/employee');
    assert.equal(byName.json.code, totpCode(aws, 'employee'));
    assert.equal(byName.json.serialNumber, identity(aws, 'employee').mfaSerial);
    assert.equal((await call(aws, 'GET', 'totp/erin.employee')).json.code, byName.json.code);
    assert.equal(
      (await call(aws, 'GET', `totp/${encodeURIComponent(identity(aws, 'employee').mfaSerial)}`)).json.code,
      byName.json.code,
    );
    assert.equal((await call(aws, 'GET', 'totp/nobody')).status, 404);
  });

  it('lists issued sessions without their secret or token', async () => {
    await stsClient(aws, credentialsOf(aws, 'employee')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Employee'),
        RoleSessionName: 'erin-ctl',
        SerialNumber: identity(aws, 'employee').mfaSerial,
        TokenCode: totpCode(aws, 'employee'),
        Tags: [{ Key: 'infrawatch:service', Value: 'rds' }],
      }),
    );
    const response = await fetch(`${aws.url}/_localaws/sessions`);
    const text = await response.text();
    const sessions = JSON.parse(text) as {
      roleSessionName: string;
      tags: Record<string, string>;
      accessKeyId: string;
    }[];
    assert.equal(sessions[0]?.roleSessionName, 'erin-ctl');
    assert.deepEqual(sessions[0]?.tags, { 'infrawatch:service': 'rds' });
    const record = aws.state.credentials.get(sessions[0]!.accessKeyId)!;
    assert.ok(
      !text.includes(record.secretAccessKey) && !text.includes(record.sessionToken!),
      'no secret or token in the listing',
    );
  });

  it('flips throttling and disabled regions', async () => {
    await call(aws, 'POST', 'throttle', { service: 'sts', enabled: true });
    await assert.rejects(
      stsClient(aws, credentialsOf(aws, 'employee')).send(new GetCallerIdentityCommand({})),
      (e: Error & { Code?: string }) => e.Code === 'Throttling',
    );
    await call(aws, 'POST', 'throttle', { service: 'sts', enabled: false });
    await stsClient(aws, credentialsOf(aws, 'employee')).send(new GetCallerIdentityCommand({}));
    const regions = await call(aws, 'POST', 'regions', { region: 'ap-east-1', disabled: true });
    assert.deepEqual(regions.json.all, ['ap-east-1']);
  });

  it('writes one demo-<name> profile per identity that the SDK credential chain can use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localaws-files-'));
    try {
      const files = writeAwsConfigFiles(dir, aws);
      assert.equal(statSync(files.credentialsFile).mode & 0o777, 0o600);
      const config = readFileSync(files.configFile, 'utf8');
      for (const name of ['employee', 'manager', 'admin', 'unassigned', 'sso'])
        assert.match(config, new RegExp(`\\[profile demo-${name}\\]\\nregion = us-east-1`));
      assert.doesNotMatch(config, /endpoint/);
      const credentials = fromIni({
        profile: 'demo-sso',
        filepath: files.credentialsFile,
        configFilepath: files.configFile,
      });
      const client = new STSClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });
      const out = await client.send(new GetCallerIdentityCommand({}));
      assert.equal(out.Arn, identity(aws, 'sso').arn);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
