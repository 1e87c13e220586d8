import * as assert from 'node:assert/strict';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { catalog } from '../../src/core/catalog';
import { InfraWatchError } from '../../src/core/errors';
import { fetchLogEvents, getLogGroupName } from '../../src/core/logs/fetchLogs';

const client = new CloudWatchLogsClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
});
// Mocked per suite: two live mocks of one client class (another test file) interfere.
let logs: ReturnType<typeof mockClient>;

describe('logs fetch', () => {
  before(() => {
    logs = mockClient(CloudWatchLogsClient);
  });
  after(() => logs.restore());
  afterEach(() => logs.reset());

  it('sends the filter, window, token and a bounded limit, and maps the events', async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [{ eventId: 'a', timestamp: 5, logStreamName: 'st', message: 'hello', ingestionTime: 6 }],
      nextToken: 'next',
    });
    const page = await fetchLogEvents(client, {
      logGroupName: 'g',
      filterPattern: ' ERROR ',
      startTime: 1.7,
      endTime: 9,
      nextToken: 'tok',
      limit: 50_000,
    });
    assert.deepEqual(page, { events: [{ id: 'a', timestamp: 5, stream: 'st', message: 'hello' }], nextToken: 'next' });
    assert.deepEqual(logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input, {
      logGroupName: 'g',
      filterPattern: 'ERROR',
      startTime: 1,
      endTime: 9,
      nextToken: 'tok',
      limit: 10_000,
    });
  });

  it('leaves out an empty filter pattern', async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const page = await fetchLogEvents(client, { logGroupName: 'g', filterPattern: '  ' });
    assert.deepEqual(page, { events: [] });
    assert.equal('filterPattern' in (logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input ?? {}), false);
  });

  it('names the log group in errors', async () => {
    logs
      .on(FilterLogEventsCommand)
      .rejects(
        Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' }),
      );
    await assert.rejects(
      fetchLogEvents(client, { logGroupName: '/aws/lambda/x' }),
      (e: unknown) => e instanceof InfraWatchError && e.message.includes('/aws/lambda/x'),
    );
  });

  it('derives the log group from the catalog pattern and the primary dimension', () => {
    assert.equal(
      getLogGroupName(catalog.lambda, {
        id: 'f',
        label: 'f',
        dimensions: [{ Name: 'FunctionName', Value: 'checkout-handler' }],
      }),
      '/aws/lambda/checkout-handler',
    );
    assert.equal(
      getLogGroupName(catalog.rds, {
        id: 'o',
        label: 'o',
        dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }],
      }),
      '/aws/rds/instance/orders-db/postgresql',
    );
    assert.equal(
      getLogGroupName(catalog.ecs, {
        id: 'p/w',
        label: 'p / w',
        dimensions: [
          { Name: 'ClusterName', Value: 'prod' },
          { Name: 'ServiceName', Value: 'web' },
        ],
      }),
      '/ecs/prod',
    );
    assert.equal(
      getLogGroupName(catalog.s3, { id: 'b', label: 'b', dimensions: [{ Name: 'BucketName', Value: 'b' }] }),
      undefined,
    );
  });
});
