// The outage switch and the stored-events view, over HTTP: POST /_localaws/outage makes
// one service answer 5xx in its own wire shape (ServiceUnavailableException for Logs'
// JSON) until switched off, other services carry on, and GET /_localaws/logs/<group>
// shows exactly the events PutLogEvents stored — none lost, none from the outage.

import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { demoPolicyBucket } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import { cliErrorCode, cloudWatchClient, credentialsOf, runAwsCli } from '../../testing/clients';

type Failure = { name?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
const group = '/infrawatch/audit';
const stream = 'erin.employee/vscode-1';

interface StoredEvents {
  logGroupName: string;
  streams: string[];
  events: { logStreamName: string; timestamp: number; message: string }[];
}

describe('local AWS endpoint: the outage switch and stored Logs events', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws();
  });
  after(async () => aws.close());

  const logs = () =>
    new CloudWatchLogsClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: credentialsOf(aws, 'employee'),
      maxAttempts: 1,
    });
  const control = async (route: string, body?: unknown) => {
    const response = await fetch(
      `${aws.url}/_localaws/${route}`,
      body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
    );
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const put = (message: string) =>
    logs().send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: [{ timestamp: aws.clock.now(), message }],
      }),
    );

  it('Logs fails with ServiceUnavailableException (503, JSON) while down, and keeps what it stored', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await put('{"event":"before"}');

    const on = await control('outage', { service: 'logs', enabled: true });
    assert.equal(on.status, 200);
    assert.deepEqual(on.json.outages, { logs: 503 });
    await assert.rejects(put('{"event":"during"}'), (e: Failure) => {
      assert.equal(e.name, 'ServiceUnavailableException');
      assert.equal(e.$fault, 'server');
      assert.equal(e.$metadata?.httpStatusCode, 503);
      return true;
    });
    // Other services carry on.
    await cloudWatchClient(aws, credentialsOf(aws, 'employee')).send(new ListMetricsCommand({ Namespace: 'AWS/RDS' }));
    const cli = await runAwsCli(aws, credentialsOf(aws, 'employee'), ['logs', 'describe-log-groups']);
    assert.equal(cliErrorCode(cli), 'ServiceUnavailableException');

    const off = await control('outage', { service: 'logs', enabled: false });
    assert.deepEqual(off.json.outages, {});
    await put('{"event":"after"}');

    const stored = await control(`logs/${encodeURIComponent(group)}`);
    assert.equal(stored.status, 200);
    const body = stored.json as unknown as StoredEvents;
    assert.equal(body.logGroupName, group);
    assert.deepEqual(body.streams, [stream]);
    assert.deepEqual(
      body.events.map((e) => e.message),
      ['{"event":"before"}', '{"event":"after"}'],
    );
  });

  it('a chosen status, S3 in its XML shape, and the control API checks its input', async () => {
    assert.equal((await control('outage', { service: 's3', status: 500 })).status, 200);
    assert.deepEqual((await control('outage')).json, { outages: { s3: 500 } });
    const s3 = new S3Client({
      endpoint: aws.url,
      region: aws.region,
      credentials: credentialsOf(aws, 'employee'),
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await assert.rejects(
      s3.send(new GetObjectCommand({ Bucket: demoPolicyBucket, Key: 'policy.json' })),
      (e: Failure) => e.name === 'ServiceUnavailable' && e.$metadata?.httpStatusCode === 500,
    );
    await control('outage', { service: 's3', enabled: false });
    assert.equal(
      (await s3.send(new GetObjectCommand({ Bucket: demoPolicyBucket, Key: 'policy.json' }))).$metadata.httpStatusCode,
      200,
    );

    assert.equal((await control('outage', { enabled: true })).status, 400);
    assert.equal((await control('outage', { service: 'logs', status: 404 })).status, 400);
    assert.equal((await control(`logs/${encodeURIComponent('/no/such/group')}`)).status, 404);
    // The demo's generated groups exist but hold no stored events.
    assert.deepEqual(
      ((await control(`logs/${encodeURIComponent('/aws/lambda/checkout-handler')}`)).json as unknown as StoredEvents)
        .events,
      [],
    );
  });
});
