// CloudTrail on the local endpoint, driven by the real SDK v3 client: the AssumeRole calls
// STS served come back from LookupEvents in CloudTrail's shapes (botocore's cloudtrail
// 2013-11-01 model), paged, time-bounded, validated and throttled at two lookups per
// second per account and Region, as
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html says.

import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { lookupAssumeRoleEvents } from '../../src/core/admin/reconcileFetch';
import { jitRoleArn } from '../../localaws/iam/identities';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import {
  credentialsOf,
  identity,
  runAwsCli,
  stsClient,
  totpCode,
  type TestCredentials,
} from '../../localaws/testing/clients';

const byEventName = [{ AttributeKey: 'EventName' as const, AttributeValue: 'AssumeRole' }];

function cloudTrail(aws: LocalAws, credentials: TestCredentials, maxAttempts = 1): CloudTrailClient {
  return new CloudTrailClient({ endpoint: aws.url, region: aws.region, credentials, maxAttempts });
}

/** One AssumeRole as `name`, with MFA (the demo roles require it) and InfraWatch-like tags. */
async function assume(aws: LocalAws, name: string, requestId: string, extra: { tags?: boolean } = {}) {
  const who = identity(aws, name);
  aws.clock.advance(31_000); // a fresh TOTP step: each code works once
  return stsClient(aws, credentialsOf(aws, name)).send(
    new AssumeRoleCommand({
      RoleArn: jitRoleArn('InfraWatch-Employee'),
      RoleSessionName: `${who.userName}@${requestId}`,
      DurationSeconds: 900,
      SerialNumber: who.mfaSerial,
      TokenCode: totpCode(aws, name),
      SourceIdentity: who.userName,
      ...(extra.tags === false
        ? {}
        : {
            Tags: [
              { Key: 'infrawatch:request-id', Value: requestId },
              { Key: 'infrawatch:service', Value: 'rds' },
              { Key: 'infrawatch:level', Value: 'read' },
            ],
          }),
    }),
  );
}

describe('local AWS endpoint: CloudTrail LookupEvents with SDK v3', function () {
  this.timeout(60_000);
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => aws.close());

  it('records a served AssumeRole as CloudTrail would, and never its secret or token', async () => {
    const issued = await assume(aws, 'employee', 'abc1234567');
    const erin = identity(aws, 'employee');
    const out = await cloudTrail(aws, credentialsOf(aws, 'admin')).send(
      new LookupEventsCommand({ LookupAttributes: byEventName }),
    );
    assert.equal(out.Events?.length, 1);
    const [event] = out.Events!;
    assert.equal(event!.EventName, 'AssumeRole');
    assert.equal(event!.EventSource, 'sts.amazonaws.com');
    assert.equal(event!.Username, 'erin.employee');
    assert.equal(event!.AccessKeyId, erin.accessKeyId);
    assert.equal(event!.ReadOnly, 'true');
    assert.ok(
      event!.EventTime instanceof Date && Math.abs(event!.EventTime.getTime() - aws.clock.now()) < 5_000,
      'EventTime in epoch seconds, parsed by the SDK',
    );
    assert.deepEqual(
      event!.Resources?.find((r) => r.ResourceType === 'AWS::IAM::Role'),
      { ResourceType: 'AWS::IAM::Role', ResourceName: jitRoleArn('InfraWatch-Employee') },
    );
    const record = JSON.parse(event!.CloudTrailEvent!) as {
      eventName: string;
      eventSource: string;
      eventID: string;
      awsRegion: string;
      userIdentity: { principalId: string };
      requestParameters: unknown;
      responseElements: {
        credentials: { accessKeyId: string };
        assumedRoleUser: { arn: string };
        sourceIdentity: string;
      };
    };
    assert.equal(record.eventName, 'AssumeRole');
    assert.equal(record.eventSource, 'sts.amazonaws.com');
    assert.equal(record.eventID, event!.EventId);
    assert.equal(record.awsRegion, 'us-east-1');
    assert.deepEqual(record.userIdentity, {
      type: 'IAMUser',
      principalId: record.userIdentity.principalId,
      arn: erin.arn,
      accountId: '111122223333',
      accessKeyId: erin.accessKeyId,
      userName: 'erin.employee',
    });
    assert.deepEqual(record.requestParameters, {
      roleArn: jitRoleArn('InfraWatch-Employee'),
      roleSessionName: 'erin.employee@abc1234567',
      durationSeconds: 900,
      tags: [
        { key: 'infrawatch:request-id', value: 'abc1234567' },
        { key: 'infrawatch:service', value: 'rds' },
        { key: 'infrawatch:level', value: 'read' },
      ],
      sourceIdentity: 'erin.employee',
      serialNumber: erin.mfaSerial,
    });
    assert.equal(record.responseElements.credentials.accessKeyId, issued.Credentials!.AccessKeyId);
    assert.equal(record.responseElements.assumedRoleUser.arn, issued.AssumedRoleUser!.Arn);
    assert.equal(record.responseElements.sourceIdentity, 'erin.employee');
    const text = event!.CloudTrailEvent!;
    assert.ok(!text.includes(issued.Credentials!.SecretAccessKey!), 'no secret access key');
    assert.ok(!text.includes(issued.Credentials!.SessionToken!), 'no session token');
    assert.ok(!text.includes(erin.secretAccessKey), "no caller's secret");
  });

  it('does not record a refused AssumeRole (no MFA) and answers other event names with nothing', async () => {
    await assert.rejects(
      stsClient(aws, credentialsOf(aws, 'employee')).send(
        new AssumeRoleCommand({ RoleArn: jitRoleArn('InfraWatch-Employee'), RoleSessionName: 'no-mfa' }),
      ),
      /AccessDenied/,
    );
    const client = cloudTrail(aws, credentialsOf(aws, 'admin'));
    assert.deepEqual((await client.send(new LookupEventsCommand({ LookupAttributes: byEventName }))).Events, []);
    await assume(aws, 'employee', 'abc1234568');
    aws.clock.advance(1_000);
    const other = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }],
      }),
    );
    assert.deepEqual(other.Events, []);
  });

  it('pages newest first with MaxResults and NextToken, and refuses a token with other parameters', async () => {
    for (let i = 0; i < 5; i += 1) await assume(aws, 'employee', `page00000${i}`);
    const client = cloudTrail(aws, credentialsOf(aws, 'admin'));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      aws.clock.advance(1_000); // stay under the lookup rate
      const out = await client.send(
        new LookupEventsCommand({ LookupAttributes: byEventName, MaxResults: 2, NextToken: token }),
      );
      assert.ok((out.Events?.length ?? 0) <= 2);
      names.push(
        ...(out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.roleSessionName as string),
      );
      token = out.NextToken;
      pages += 1;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(
      names,
      [4, 3, 2, 1, 0].map((i) => `erin.employee@page00000${i}`),
    );
    const first = await client.send(new LookupEventsCommand({ LookupAttributes: byEventName, MaxResults: 2 }));
    aws.clock.advance(1_000);
    await assert.rejects(client.send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken })), {
      name: 'InvalidNextTokenException',
    });
    await assert.rejects(client.send(new LookupEventsCommand({ NextToken: 'not-a-token' })), {
      name: 'InvalidNextTokenException',
    });
  });

  it('bounds by StartTime and EndTime and validates its input', async () => {
    await assume(aws, 'employee', 'early00001');
    const middle = new Date(aws.clock.now() + 1_000);
    await assume(aws, 'employee', 'late000001');
    const client = cloudTrail(aws, credentialsOf(aws, 'admin'));
    const sessionNames = async (input: LookupEventsCommandInput) => {
      aws.clock.advance(1_000);
      const out = await client.send(new LookupEventsCommand({ LookupAttributes: byEventName, ...input }));
      return (out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.roleSessionName as string);
    };
    assert.deepEqual(await sessionNames({ StartTime: middle }), ['erin.employee@late000001']);
    assert.deepEqual(await sessionNames({ EndTime: middle }), ['erin.employee@early00001']);
    const invalid: [LookupEventsCommandInput, string][] = [
      [{ StartTime: new Date(middle.getTime() + 1), EndTime: middle }, 'InvalidTimeRangeException'],
      [{ MaxResults: 51 }, 'InvalidMaxResultsException'],
      [{ MaxResults: 0 }, 'InvalidMaxResultsException'],
      [
        { LookupAttributes: [...byEventName, { AttributeKey: 'Username', AttributeValue: 'erin.employee' }] },
        'InvalidLookupAttributesException',
      ],
      [
        { LookupAttributes: [{ AttributeKey: 'Colour' as never, AttributeValue: 'x' }] },
        'InvalidLookupAttributesException',
      ],
      [{ EventCategory: 'data' as never }, 'InvalidEventCategoryException'],
    ];
    for (const [input, name] of invalid) {
      aws.clock.advance(1_000);
      await assert.rejects(client.send(new LookupEventsCommand(input)), { name }, JSON.stringify(input));
    }
  });

  it('throttles a third lookup within one second per account and Region, and not after the second', async () => {
    const client = cloudTrail(aws, credentialsOf(aws, 'admin'));
    aws.clock.advance(2_000);
    await client.send(new LookupEventsCommand({}));
    await client.send(new LookupEventsCommand({}));
    await assert.rejects(client.send(new LookupEventsCommand({})), { name: 'ThrottlingException' });
    const elsewhere = new CloudTrailClient({
      endpoint: aws.url,
      region: 'eu-west-1',
      credentials: credentialsOf(aws, 'admin'),
      maxAttempts: 1,
    });
    await elsewhere.send(new LookupEventsCommand({}));
    aws.clock.advance(1_000);
    await client.send(new LookupEventsCommand({}));
  });

  it('refuses cloudtrail:LookupEvents to an identity whose policy does not allow it', async () => {
    await assert.rejects(cloudTrail(aws, credentialsOf(aws, 'employee')).send(new LookupEventsCommand({})), {
      name: 'AccessDeniedException',
    });
  });

  it("InfraWatch's reader pages through everything under the throttle, retrying what it is refused", async () => {
    for (let i = 0; i < 7; i += 1) await assume(aws, 'employee', `read00000${i}`, { tags: i % 2 === 0 });
    const until = new Date(aws.clock.now() + 1_000);
    const since = new Date(until.getTime() - 3_600_000);
    const counted = () => {
      const client = cloudTrail(aws, credentialsOf(aws, 'admin'), 6);
      const stats = { attempts: 0 };
      // Inside the retry middleware (finalizeRequest, priority high): one count per attempt.
      client.middlewareStack.add(
        (next) => async (args) => {
          stats.attempts += 1;
          return next(args);
        },
        { step: 'finalizeRequest', name: 'countAttempts' },
      );
      return { client, stats };
    };
    const alone = counted();
    const started = Date.now();
    const read = await lookupAssumeRoleEvents(alone.client, { from: since, to: until, pageSize: 2 });
    assert.equal(read.events.length, 7);
    assert.equal(read.pages, 4);
    assert.equal(read.truncated, false);
    assert.deepEqual(
      read.events.map((e) => e.sessionName),
      [6, 5, 4, 3, 2, 1, 0].map((i) => `erin.employee@read00000${i}`),
    );
    assert.deepEqual(
      read.events.map((e) => e.tags.length),
      [3, 0, 3, 0, 3, 0, 3],
    );
    assert.equal(alone.stats.attempts, 4, 'paced: never throttled on its own');
    assert.ok(Date.now() - started >= 1_500, `four pages at two a second: ${Date.now() - started} ms`);

    // Two readers at once (two admins, say) ask four times a second: some lookups are
    // throttled, retried with backoff, and both still read every page.
    const [a, b] = [counted(), counted()];
    const both = await Promise.all(
      [a, b].map((r) => lookupAssumeRoleEvents(r.client, { from: since, to: until, pageSize: 2 })),
    );
    for (const result of both)
      assert.deepEqual(
        result.events.map((e) => e.sessionName),
        read.events.map((e) => e.sessionName),
      );
    assert.ok(
      a.stats.attempts + b.stats.attempts > 8,
      `throttled and retried: ${a.stats.attempts} + ${b.stats.attempts} attempts for 8 pages`,
    );
  });

  it('answers the AWS CLI (botocore target prefix, its own paging)', async function () {
    await assume(aws, 'employee', 'cli0000001');
    aws.clock.advance(1_000);
    const result = await runAwsCli(aws, credentialsOf(aws, 'admin'), [
      'cloudtrail',
      'lookup-events',
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=AssumeRole',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { Events: { Username: string; CloudTrailEvent: string }[] };
    assert.equal(out.Events.length, 1);
    assert.equal(out.Events[0]!.Username, 'erin.employee');
    assert.equal(
      JSON.parse(out.Events[0]!.CloudTrailEvent).requestParameters.roleSessionName,
      'erin.employee@cli0000001',
    );
  });
});
