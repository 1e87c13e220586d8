// The EC2 handler called directly: DescribeInstances' reservationSet shape, filters and
// paging; RebootInstances authorized per instance ARN before existence is checked,
// DryRun, and EC2's own error codes.

import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { fakeContext } from '../../testing/cloudwatchKit';
import { createEc2Handler, type Ec2Handler } from '../../ec2/handler';
import { AwsError, type ServiceRequest, type ServiceResponse } from '../../server/types';

const start = Date.UTC(2026, 10, 2, 9, 0, 0);
const web1 = 'i-0a1b2c3d4e5f60001';
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'item' });

function ec2Request(params: Record<string, string>): ServiceRequest {
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
  return {
    service: 'ec2',
    region: 'us-east-1',
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(body),
    requestId: 'req-1',
  };
}

function throwsAws(fn: () => unknown, code: string, status?: number, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.code, code, e.message);
    if (status !== undefined) assert.equal(e.status, status);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('local EC2 handler', () => {
  let ec2: Ec2Handler;
  beforeEach(() => {
    ec2 = createEc2Handler(start);
  });
  const call = (params: Record<string, string>, deny?: RegExp, at = start) => {
    const ctx = fakeContext(at, deny);
    return { response: ec2.handler(ec2Request(params), ctx) as ServiceResponse, ctx };
  };
  /** Instance ids of a DescribeInstances answer, in order. */
  const ids = (response: ServiceResponse): string[] => {
    const body = xml.parse(String(response.body)).DescribeInstancesResponse;
    const reservations = body.reservationSet === '' ? [] : body.reservationSet.item;
    return reservations.flatMap((r: { instancesSet: { item: { instanceId: string }[] } }) =>
      r.instancesSet.item.map((i) => i.instanceId),
    );
  };

  it('describes every instance in EC2 XML (requestId, reservationSet, instancesSet) with ec2:DescribeInstances on *', () => {
    const { response, ctx } = call({ Action: 'DescribeInstances' });
    const body = xml.parse(String(response.body)).DescribeInstancesResponse;
    assert.equal(body.requestId, 'req-1');
    assert.equal(body.reservationSet.item.length, 3);
    const first = body.reservationSet.item[0].instancesSet.item[0];
    assert.deepEqual(first.instanceState, { code: '16', name: 'running' });
    assert.equal(first.launchTime, new Date(start - 38 * 86_400_000).toISOString());
    assert.equal(first.privateDnsName, 'ip-10-0-1-23.ec2.internal');
    assert.deepEqual(ctx.authorized, ['ec2:DescribeInstances *']);
    assert.deepEqual(ids(response), [web1, 'i-0a1b2c3d4e5f60002', 'i-0a1b2c3d4e5f60003']);
  });

  it('filters by tag, state, type (with wildcards) and id; refuses an unknown filter', () => {
    assert.deepEqual(
      ids(call({ Action: 'DescribeInstances', 'Filter.1.Name': 'tag:Name', 'Filter.1.Value.1': 'web-*' }).response),
      [web1, 'i-0a1b2c3d4e5f60002'],
    );
    assert.deepEqual(
      ids(
        call({
          Action: 'DescribeInstances',
          'Filter.1.Name': 'instance-type',
          'Filter.1.Value.1': 'c6i.*',
          'Filter.2.Name': 'instance-state-name',
          'Filter.2.Value.1': 'running',
        }).response,
      ),
      ['i-0a1b2c3d4e5f60003'],
    );
    assert.deepEqual(
      ids(call({ Action: 'DescribeInstances', 'Filter.1.Name': 'tag:missing', 'Filter.1.Value.1': '*' }).response),
      [],
    );
    assert.deepEqual(ids(call({ Action: 'DescribeInstances', 'InstanceId.1': 'i-0a1b2c3d4e5f60002' }).response), [
      'i-0a1b2c3d4e5f60002',
    ]);
    throwsAws(
      () => call({ Action: 'DescribeInstances', 'Filter.1.Name': 'colour', 'Filter.1.Value.1': 'x' }),
      'InvalidParameterValue',
      400,
      /The filter 'colour' is invalid/,
    );
  });

  it('pages with MaxResults/NextToken, and refuses MaxResults with ids or out of range', () => {
    const instances = ec2.instancesOf('111122223333', 'us-east-1');
    const template = instances.get(web1)!;
    for (let n = 4; n <= 7; n += 1) {
      const id = `i-0a1b2c3d4e5f6000${n}`;
      instances.set(id, { ...template, instanceId: id, reservationId: `r-0f6e5d4c3b2a1000${n}`, reboots: [] });
    }
    const first = call({ Action: 'DescribeInstances', MaxResults: '5' }).response;
    assert.equal(ids(first).length, 5);
    const token = /<nextToken>([^<]+)<\/nextToken>/.exec(String(first.body))?.[1];
    assert.ok(token);
    const second = call({ Action: 'DescribeInstances', MaxResults: '5', NextToken: token }).response;
    assert.deepEqual(ids(second), ['i-0a1b2c3d4e5f60006', 'i-0a1b2c3d4e5f60007']);
    assert.doesNotMatch(String(second.body), /nextToken/);
    throwsAws(() => call({ Action: 'DescribeInstances', MaxResults: '4' }), 'InvalidParameterValue');
    throwsAws(
      () => call({ Action: 'DescribeInstances', MaxResults: '5', 'InstanceId.1': web1 }),
      'InvalidParameterCombination',
    );
  });

  it('names missing and malformed ids the way EC2 does', () => {
    throwsAws(
      () => call({ Action: 'DescribeInstances', 'InstanceId.1': 'i-00000000' }),
      'InvalidInstanceID.NotFound',
      400,
      /^The instance ID 'i-00000000' does not exist$/,
    );
    throwsAws(
      () => call({ Action: 'DescribeInstances', 'InstanceId.1': 'i-00000000', 'InstanceId.2': 'i-11111111' }),
      'InvalidInstanceID.NotFound',
      400,
      /^The instance IDs 'i-00000000, i-11111111' do not exist$/,
    );
    throwsAws(
      () => call({ Action: 'DescribeInstances', 'InstanceId.1': 'web-1' }),
      'InvalidInstanceID.Malformed',
      400,
      /Invalid id: "web-1"/,
    );
  });

  it('reboots: authorizes each instance ARN first, records the reboot, answers <return>true</return>', () => {
    const { response, ctx } = call(
      { Action: 'RebootInstances', 'InstanceId.1': web1, 'InstanceId.2': 'i-0a1b2c3d4e5f60003' },
      undefined,
      start + 5000,
    );
    assert.match(
      String(response.body),
      /<RebootInstancesResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>req-1<\/requestId><return>true<\/return>/,
    );
    assert.deepEqual(ctx.authorized, [
      `ec2:RebootInstances arn:aws:ec2:us-east-1:111122223333:instance/${web1}`,
      'ec2:RebootInstances arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60003',
    ]);
    const instances = ec2.instancesOf('111122223333', 'us-east-1');
    assert.deepEqual(instances.get(web1)?.reboots, [start + 5000]);
    assert.deepEqual(instances.get('i-0a1b2c3d4e5f60002')?.reboots, []);
    throwsAws(
      () => call({ Action: 'RebootInstances', 'InstanceId.1': 'i-00000000' }, /RebootInstances/),
      'AccessDenied',
    );
    throwsAws(() => call({ Action: 'RebootInstances', 'InstanceId.1': 'i-00000000' }), 'InvalidInstanceID.NotFound');
    throwsAws(() => call({ Action: 'RebootInstances' }), 'MissingParameter');
  });

  it('DryRun: DryRunOperation (412) when allowed, the denial when not, and no reboot either way', () => {
    throwsAws(() => call({ Action: 'RebootInstances', 'InstanceId.1': web1, DryRun: 'true' }), 'DryRunOperation', 412);
    throwsAws(
      () => call({ Action: 'RebootInstances', 'InstanceId.1': web1, DryRun: 'true' }, /RebootInstances/),
      'AccessDenied',
    );
    throwsAws(() => call({ Action: 'DescribeInstances', DryRun: 'true' }), 'DryRunOperation', 412);
    assert.deepEqual(ec2.instancesOf('111122223333', 'us-east-1').get(web1)?.reboots, []);
  });

  it('refuses other actions and API versions', () => {
    throwsAws(() => call({ Action: 'TerminateInstances', 'InstanceId.1': web1 }), 'InvalidAction');
    throwsAws(() => call({ Action: 'DescribeInstances', Version: '2014-01-01' }), 'InvalidAction');
  });
});
