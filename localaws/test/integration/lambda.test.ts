// Lambda on the local endpoint over HTTP with the REAL clients (SDK v3
// @aws-sdk/client-lambda and Debian's AWS CLI 2.9): ListFunctions / GetFunction (read),
// Invoke / PutFunctionConcurrency (write), REST-JSON errors named by x-amzn-errortype,
// and a lambda-read JIT session that may list but not invoke.

import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { buildSessionPolicy } from '../../../src/core/sts/sessionPolicy';
import { jitRoleArn } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import {
  cliErrorCode,
  credentialsOf,
  identity,
  runAwsCli,
  stsClient,
  totpCode,
  type TestCredentials,
} from '../../testing/clients';

type Failure = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
const checkoutArn = 'arn:aws:lambda:us-east-1:111122223333:function:checkout-handler';

describe('local AWS endpoint: Lambda with SDK v3 and the AWS CLI', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  const scratch: string[] = [];
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());
  after(async () => Promise.all(scratch.map((f) => rm(f, { force: true }))));

  const lambda = (credentials: TestCredentials) =>
    new LambdaClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });

  async function jitSession(policy: string | undefined): Promise<TestCredentials> {
    aws.clock.advance(30_000);
    const out = await stsClient(aws, credentialsOf(aws, 'employee')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Employee'),
        RoleSessionName: 'erin-lambda',
        Policy: policy,
        SerialNumber: identity(aws, 'employee').mfaSerial,
        TokenCode: totpCode(aws, 'employee'),
      }),
    );
    const c = out.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }

  it('SDK: ListFunctions and GetFunction describe the demo functions', async () => {
    const client = lambda(await jitSession(buildSessionPolicy('lambda', 'read', ['*'])));
    const list = await client.send(new ListFunctionsCommand({}));
    assert.deepEqual(
      list.Functions?.map((f) => f.FunctionName),
      ['checkout-handler', 'image-resizer', 'nightly-report'],
    );
    const checkout = list.Functions?.[0];
    assert.equal(checkout?.FunctionArn, checkoutArn);
    assert.equal(checkout?.Runtime, 'nodejs20.x');
    assert.equal(checkout?.State, 'Active');
    assert.match(checkout?.LastModified ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    const paged = await client.send(new ListFunctionsCommand({ MaxItems: 2 }));
    assert.equal(paged.Functions?.length, 2);
    const rest = await client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: paged.NextMarker }));
    assert.deepEqual(
      rest.Functions?.map((f) => f.FunctionName),
      ['nightly-report'],
    );
    assert.equal(rest.NextMarker, undefined);
    const got = await client.send(new GetFunctionCommand({ FunctionName: checkoutArn }));
    assert.equal(got.Configuration?.FunctionName, 'checkout-handler');
    assert.equal(got.Concurrency?.ReservedConcurrentExecutions, 200);
    assert.equal(got.Code?.RepositoryType, 'S3');
  });

  it('SDK: a lambda-read session may not invoke (AccessDeniedException); unknown functions are ResourceNotFoundException', async () => {
    const client = lambda(await jitSession(buildSessionPolicy('lambda', 'read', ['*'])));
    await assert.rejects(
      client.send(new InvokeCommand({ FunctionName: 'checkout-handler', Payload: Buffer.from('{}') })),
      (e: Failure) => {
        assert.equal(e.name, 'AccessDeniedException');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        assert.match(
          e.message ?? '',
          new RegExp(
            `not authorized to perform: lambda:InvokeFunction on resource: ${checkoutArn} because no session policy allows`,
          ),
        );
        return true;
      },
    );
    await assert.rejects(
      client.send(new GetFunctionCommand({ FunctionName: 'no-such-function' })),
      (e: Failure) =>
        e.name === 'ResourceNotFoundException' &&
        e.$metadata?.httpStatusCode === 404 &&
        e.message === 'Function not found: arn:aws:lambda:us-east-1:111122223333:function:no-such-function',
    );
  });

  it('SDK: a lambda-write session invokes (JSON payload, tail log) and sets reserved concurrency', async () => {
    const client = lambda(await jitSession(buildSessionPolicy('lambda', 'write', ['*'])));
    const out = await client.send(
      new InvokeCommand({
        FunctionName: 'checkout-handler',
        Payload: Buffer.from('{"cartId":"c-42"}'),
        LogType: 'Tail',
      }),
    );
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const payload = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as {
      statusCode: number;
      function: string;
      received: unknown;
    };
    assert.deepEqual(
      [payload.statusCode, payload.function, payload.received],
      [200, 'checkout-handler', { cartId: 'c-42' }],
    );
    assert.match(
      Buffer.from(out.LogResult ?? '', 'base64').toString('utf8'),
      /^START RequestId: [0-9a-f-]+ Version: \$LATEST\n[\s\S]*REPORT RequestId/,
    );
    const event = await client.send(new InvokeCommand({ FunctionName: 'image-resizer', InvocationType: 'Event' }));
    assert.equal(event.StatusCode, 202);
    const set = await client.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'image-resizer', ReservedConcurrentExecutions: 0 }),
    );
    assert.equal(set.ReservedConcurrentExecutions, 0);
    await assert.rejects(
      client.send(new InvokeCommand({ FunctionName: 'image-resizer' })),
      (e: Failure) => e.name === 'TooManyRequestsException' && e.$metadata?.httpStatusCode === 429,
    );
    await assert.rejects(
      client.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'nightly-report', ReservedConcurrentExecutions: 900 }),
      ),
      (e: Failure) =>
        e.name === 'InvalidParameterValueException' && /below its minimum value of \[100\]/.test(e.message ?? ''),
    );
  });

  it('AWS CLI: list-functions and get-function work for a read session; invoke is AccessDeniedException', async () => {
    const session = await jitSession(buildSessionPolicy('lambda', 'read', ['*']));
    const listed = await runAwsCli(aws, session, ['lambda', 'list-functions']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { Functions: { FunctionName: string }[] }).Functions.map((f) => f.FunctionName),
      ['checkout-handler', 'image-resizer', 'nightly-report'],
    );
    const got = await runAwsCli(aws, session, ['lambda', 'get-function', '--function-name', 'nightly-report']);
    assert.equal(got.code, 0, got.stderr);
    assert.equal((JSON.parse(got.stdout) as { Configuration: { Timeout: number } }).Configuration.Timeout, 900);
    const outFile = path.join(tmpdir(), `localaws-invoke-${process.pid}.json`);
    scratch.push(outFile);
    const denied = await runAwsCli(aws, session, [
      'lambda',
      'invoke',
      '--function-name',
      'checkout-handler',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"a":1}',
      outFile,
    ]);
    assert.equal(cliErrorCode(denied), 'AccessDeniedException');
    const missing = await runAwsCli(aws, session, ['lambda', 'get-function', '--function-name', 'nope']);
    assert.equal(cliErrorCode(missing), 'ResourceNotFoundException');
  });

  it('AWS CLI: invoke with a write session writes the payload file', async () => {
    const session = await jitSession(buildSessionPolicy('lambda', 'write', ['*']));
    const outFile = path.join(tmpdir(), `localaws-invoke-ok-${process.pid}.json`);
    scratch.push(outFile);
    const invoked = await runAwsCli(aws, session, [
      'lambda',
      'invoke',
      '--function-name',
      'checkout-handler',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"a":1}',
      outFile,
    ]);
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.equal((JSON.parse(invoked.stdout) as { StatusCode: number }).StatusCode, 200);
    assert.deepEqual((JSON.parse(await readFile(outFile, 'utf8')) as { received: unknown }).received, { a: 1 });
  });
});
