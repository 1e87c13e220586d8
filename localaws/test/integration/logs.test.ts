// CloudWatch Logs on the local endpoint over HTTP, with the REAL clients: SDK v3
// (awsJson1_1) and Debian's AWS CLI 2.9; plus a JIT session whose policy scopes Logs to
// one log group, proving the handler authorizes on the log-group ARN.

import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DescribeAlarmsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { jitRoleArn } from '../../iam/identities';
import { startLocalAws, type LocalAws } from '../../server/server';
import {
  cloudWatchClient,
  credentialsOf,
  identity,
  runAwsCli,
  stsClient,
  totpCode,
  type TestCredentials,
} from '../../testing/clients';

const minute = 60_000;
const checkout = '/aws/lambda/checkout-handler';

describe('local AWS endpoint: CloudWatch Logs with SDK v3 and the AWS CLI', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let start: number;

  before(async () => {
    start = Date.now();
    // The endpoint's default CloudWatch and Logs handlers anchor the demo to its clock's start.
    aws = await startLocalAws({ startTime: start });
  });
  after(async () => aws.close());

  const logs = (credentials: TestCredentials = credentialsOf(aws, 'employee')) =>
    new CloudWatchLogsClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts: 1 });

  it('SDK: DescribeLogGroups lists the demo groups by prefix', async () => {
    const out = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    assert.deepEqual(
      out.logGroups?.map((g) => g.logGroupName),
      ['/aws/lambda/checkout-handler', '/aws/lambda/image-resizer', '/aws/lambda/nightly-report'],
    );
    assert.equal(out.logGroups?.[0]?.arn, `arn:aws:logs:us-east-1:111122223333:log-group:${checkout}:*`);
  });

  it('SDK: FilterLogEvents finds the incident’s JSON errors, paginated', async () => {
    const events: { timestamp?: number; message?: string; eventId?: string }[] = [];
    const pages = paginateFilterLogEvents(
      { client: logs(), pageSize: 20 },
      {
        logGroupName: checkout,
        startTime: start - 3 * 3_600_000,
        endTime: start,
        filterPattern: '{ $.level = "ERROR" }',
      },
    );
    let count = 0;
    for await (const page of pages) {
      count += 1;
      events.push(...(page.events ?? []));
    }
    assert.ok(count >= 2, 'more than one page');
    assert.ok(events.length >= 30);
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length, 'no event twice');
    for (const e of events) {
      assert.ok(e.timestamp! >= start - 91 * minute && e.timestamp! < start - 54 * minute);
      assert.equal(JSON.parse(e.message!).level, 'ERROR');
    }
    const info = await logs().send(
      new FilterLogEventsCommand({
        logGroupName: checkout,
        startTime: start - 3 * 3_600_000,
        filterPattern: '?INFO ?WARN -ERROR',
      }),
    );
    assert.ok((info.events?.length ?? 0) > 0 && info.events!.every((e) => !e.message!.includes('ERROR')));
  });

  it('SDK: CreateLogGroup, CreateLogStream and PutLogEvents write what FilterLogEvents reads', async () => {
    const client = logs();
    await client.send(new CreateLogGroupCommand({ logGroupName: '/infrawatch/audit' }));
    await assert.rejects(
      client.send(new CreateLogGroupCommand({ logGroupName: '/infrawatch/audit' })),
      ResourceAlreadyExistsException,
    );
    await client.send(
      new CreateLogStreamCommand({ logGroupName: '/infrawatch/audit', logStreamName: 'erin.employee' }),
    );
    const now = aws.clock.now();
    const stream = { logGroupName: '/infrawatch/audit', logStreamName: 'erin.employee' };
    const put = await client.send(
      new PutLogEventsCommand({
        ...stream,
        logEvents: [
          { timestamp: now - 1000, message: '{"event":"access-requested","service":"rds"}' },
          { timestamp: now, message: '{"event":"access-granted","service":"rds"}' },
          { timestamp: now + 3 * 3_600_000, message: '{"event":"from the future","service":"rds"}' },
        ],
      }),
    );
    assert.deepEqual(put.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 2 });
    const old = await client.send(
      new PutLogEventsCommand({
        ...stream,
        logEvents: [{ timestamp: now - 15 * 86_400_000, message: '{"service":"rds"}' }],
      }),
    );
    assert.deepEqual(old.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    const out = await client.send(
      new FilterLogEventsCommand({ logGroupName: '/infrawatch/audit', filterPattern: '{ $.service = "rds" }' }),
    );
    assert.deepEqual(
      out.events?.map((e) => JSON.parse(e.message!).event),
      ['access-requested', 'access-granted'],
    );
    await assert.rejects(
      client.send(
        new PutLogEventsCommand({
          logGroupName: '/infrawatch/audit',
          logStreamName: 'nobody',
          logEvents: [{ timestamp: now, message: 'x' }],
        }),
      ),
      ResourceNotFoundException,
    );
  });

  it('a JIT session scoped to one log group may read it and nothing else', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['cloudwatch:ListMetrics'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['logs:FilterLogEvents'],
          Resource: `arn:aws:logs:us-east-1:111122223333:log-group:${checkout}:*`,
        },
      ],
    });
    const assumed = await stsClient(aws, credentialsOf(aws, 'employee')).send(
      new AssumeRoleCommand({
        RoleArn: jitRoleArn('InfraWatch-Employee'),
        RoleSessionName: 'erin-logs',
        DurationSeconds: 900,
        Policy: policy,
        SerialNumber: identity(aws, 'employee').mfaSerial,
        TokenCode: totpCode(aws, 'employee'),
      }),
    );
    const c = assumed.Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const ok = await logs(session).send(new FilterLogEventsCommand({ logGroupName: checkout, limit: 5 }));
    assert.equal(ok.events?.length, 5);
    await assert.rejects(
      logs(session).send(new FilterLogEventsCommand({ logGroupName: '/ecs/prod', limit: 5 })),
      (e: Error) => {
        assert.equal(e.name, 'AccessDeniedException');
        assert.match(e.message, /logs:FilterLogEvents/);
        return true;
      },
    );
    await assert.rejects(
      logs(session).send(new DescribeLogGroupsCommand({})),
      (e: Error) => e.name === 'AccessDeniedException',
    );
    assert.ok(
      (await cloudWatchClient(aws, session).send(new ListMetricsCommand({ Namespace: 'AWS/RDS' }))).Metrics!.length > 0,
    );
    await assert.rejects(
      cloudWatchClient(aws, session).send(new DescribeAlarmsCommand({})),
      (e: Error & { Code?: string }) => (e.Code ?? e.name) === 'AccessDenied',
    );
  });

  it('CLI: aws logs filter-log-events and describe-log-groups', async () => {
    const creds = credentialsOf(aws, 'employee');
    const filtered = await runAwsCli(aws, creds, [
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/aws/rds/instance/orders-db/postgresql',
      '--start-time',
      String(start - 3 * 3_600_000),
      '--filter-pattern',
      'FATAL',
      '--region',
      'us-east-1',
    ]);
    assert.equal(filtered.code, 0, filtered.stderr);
    const events = JSON.parse(filtered.stdout).events as { message: string; timestamp: number }[];
    assert.ok(events.length > 10 && events.every((e) => e.message.includes('FATAL:  remaining connection slots')));
    const groups = await runAwsCli(aws, creds, [
      'logs',
      'describe-log-groups',
      '--log-group-name-prefix',
      '/ec2/',
      '--region',
      'us-east-1',
    ]);
    assert.equal(groups.code, 0, groups.stderr);
    assert.equal(JSON.parse(groups.stdout).logGroups.length, 3);
  });
});
