// SigV4 on the local endpoint with the real SDK v3 clients: unknown keys, wrong secrets,
// missing tokens, expired credentials and skewed clocks each fail with AWS's code in the
// wire shape of the protocol (awsQuery for STS, JSON for CloudWatch); gzip bodies arrive
// decoded; the payload hash is verified.

import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SignatureV4 } from '@smithy/signature-v4';
import { jitRoleArn } from '../../iam/identities';
import { jsonResponse } from '../../server/protocol';
import { startLocalAws, type LocalAws } from '../../server/server';
import { NodeSha256 } from '../../server/sigv4';
import {
  cloudWatchClient,
  credentialsOf,
  identity,
  stsClient,
  testListMetrics,
  totpCode,
  type TestCredentials,
} from '../../testing/clients';
import type { ServiceRequest } from '../../server/types';

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: Error & { Code?: string }) => {
    assert.equal(e.Code ?? e.name, code, `expected ${code}, got ${e.Code ?? e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

async function assumeEmployee(aws: LocalAws, durationSeconds = 900): Promise<TestCredentials> {
  const out = await stsClient(aws, credentialsOf(aws, 'employee')).send(
    new AssumeRoleCommand({
      RoleArn: jitRoleArn('InfraWatch-Employee'),
      RoleSessionName: 'erin-auth',
      DurationSeconds: durationSeconds,
      SerialNumber: identity(aws, 'employee').mfaSerial,
      TokenCode: totpCode(aws, 'employee'),
    }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

describe('local AWS endpoint: SigV4 and credentials', function () {
  let aws: LocalAws;
  const received: ServiceRequest[] = [];
  beforeEach(async () => {
    received.length = 0;
    aws = await startLocalAws({
      services: {
        monitoring: (req, ctx) => {
          received.push(req);
          return req.headers['x-amz-target']?.endsWith('.PutMetricData')
            ? jsonResponse({}, ctx.requestId)
            : testListMetrics(req, ctx);
        },
      },
    });
  });
  afterEach(async () => aws.close());

  const invalidToken = /^The security token included in the request is invalid\.$/;

  it('an unknown access key → InvalidClientTokenId (STS) / UnrecognizedClientException (JSON)', async () => {
    const creds = { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) };
    await rejectsWith(
      stsClient(aws, creds).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      invalidToken,
    );
    await rejectsWith(
      cloudWatchClient(aws, creds).send(new ListMetricsCommand({})),
      'UnrecognizedClientException',
      invalidToken,
    );
  });

  it('a wrong secret → SignatureDoesNotMatch (STS) / InvalidSignatureException (JSON)', async () => {
    const creds = { ...credentialsOf(aws, 'employee'), secretAccessKey: 'y'.repeat(40) };
    await rejectsWith(
      stsClient(aws, creds).send(new GetCallerIdentityCommand({})),
      'SignatureDoesNotMatch',
      /^The request signature we calculated does not match/,
    );
    await rejectsWith(cloudWatchClient(aws, creds).send(new ListMetricsCommand({})), 'InvalidSignatureException');
  });

  it('temporary credentials without, or with the wrong, session token (or a long-term key with one) → InvalidClientTokenId', async () => {
    const sso = credentialsOf(aws, 'sso');
    await rejectsWith(
      stsClient(aws, { ...sso, sessionToken: undefined }).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      invalidToken,
    );
    await rejectsWith(
      stsClient(aws, { ...sso, sessionToken: `${sso.sessionToken}x` }).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
    );
    await rejectsWith(
      stsClient(aws, { ...credentialsOf(aws, 'employee'), sessionToken: sso.sessionToken }).send(
        new GetCallerIdentityCommand({}),
      ),
      'InvalidClientTokenId',
    );
  });

  it('issued credentials after their Expiration → ExpiredToken / ExpiredTokenException', async () => {
    const issued = await assumeEmployee(aws, 900);
    await stsClient(aws, issued).send(new GetCallerIdentityCommand({}));
    aws.clock.advance(901_000);
    await rejectsWith(
      stsClient(aws, issued).send(new GetCallerIdentityCommand({})),
      'ExpiredToken',
      /^The security token included in the request is expired$/,
    );
    await rejectsWith(cloudWatchClient(aws, issued).send(new ListMetricsCommand({})), 'ExpiredTokenException');
  });

  it('the sso base session expires 30 days after the clock start', async () => {
    await stsClient(aws, credentialsOf(aws, 'sso')).send(new GetCallerIdentityCommand({}));
    aws.clock.advance(30 * 24 * 3600_000 + 1000);
    await rejectsWith(stsClient(aws, credentialsOf(aws, 'sso')).send(new GetCallerIdentityCommand({})), 'ExpiredToken');
  });

  it('a request signed 16 minutes off the endpoint clock → Signature expired / not yet current', async () => {
    aws.clock.advance(16 * 60_000);
    await rejectsWith(
      stsClient(aws, credentialsOf(aws, 'employee')).send(new GetCallerIdentityCommand({})),
      'SignatureDoesNotMatch',
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    await rejectsWith(
      cloudWatchClient(aws, credentialsOf(aws, 'employee')).send(new ListMetricsCommand({})),
      'InvalidSignatureException',
      /^Signature expired/,
    );
    aws.clock.advance(-32 * 60_000);
    await rejectsWith(
      stsClient(aws, credentialsOf(aws, 'employee')).send(new GetCallerIdentityCommand({})),
      'SignatureDoesNotMatch',
      /^Signature not yet current: .* \+ 15 min\.\)$/,
    );
  });

  it('14 minutes of skew is still accepted', async () => {
    aws.clock.advance(14 * 60_000);
    const out = await stsClient(aws, credentialsOf(aws, 'employee')).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '111122223333');
  });

  it('responses carry the endpoint clock in Date, so the SDK corrects its skew and retries, as with AWS', async () => {
    aws.clock.advance(60 * 60_000);
    const response = await fetch(`${aws.url}/_localaws/health`);
    assert.ok(
      Math.abs(Date.parse(response.headers.get('date') ?? '') - aws.clock.now()) < 2000,
      'Date header follows the endpoint clock',
    );
    const client = new STSClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: credentialsOf(aws, 'employee'),
      maxAttempts: 3,
    });
    const out = await client.send(new GetCallerIdentityCommand({}));
    assert.equal(out.$metadata.attempts, 2, 'the first attempt failed on skew, the corrected retry passed');
  });

  it('gzip-compressed CloudWatch bodies (PutMetricData) are verified, then decoded for the handler', async () => {
    const client = new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: credentialsOf(aws, 'employee'),
      maxAttempts: 1,
      requestMinCompressionSizeBytes: 100,
    });
    const data = Array.from({ length: 40 }, (_, i) => ({ MetricName: `M${i}`, Value: i, Unit: 'Count' as const }));
    await client.send(new PutMetricDataCommand({ Namespace: 'Demo/Test', MetricData: data }));
    const req = received.at(-1)!;
    assert.match(req.headers['content-encoding'] ?? '', /gzip/);
    const body = JSON.parse(req.body.toString('utf8')) as { Namespace: string; MetricData: unknown[] };
    assert.equal(body.Namespace, 'Demo/Test');
    assert.equal(body.MetricData.length, 40);
  });

  it('a body that does not match x-amz-content-sha256 → SignatureDoesNotMatch', async () => {
    const creds = credentialsOf(aws, 'employee');
    const signer = new SignatureV4({ credentials: creds, region: aws.region, service: 'sts', sha256: NodeSha256 });
    const url = new URL(aws.url);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const ok = await fetch(`${aws.url}/`, { method: 'POST', headers: signed.headers, body });
    assert.equal(ok.status, 200, 'the untampered request passes');
    const tampered = await fetch(`${aws.url}/`, { method: 'POST', headers: signed.headers, body: `${body}&X=1` });
    assert.equal(tampered.status, 403);
    assert.match(
      await tampered.text(),
      /<Code>SignatureDoesNotMatch<\/Code><Message>The provided 'x-amz-content-sha256' header does not match/,
    );
  });

  it('an unsigned request → MissingAuthenticationToken', async () => {
    const response = await fetch(`${aws.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity',
    });
    assert.equal(response.status, 403);
    assert.match(await response.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  });
});
