import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import {
  jsonError,
  parseQueryBody,
  queryError,
  queryResponse,
  readMemberList,
  xmlEscape,
  xmlNamespaces,
} from '../../server/protocol';
import { AwsError } from '../../server/types';

describe('localaws protocol: awsQuery', () => {
  it('parses a form body (body wins over the URL query)', () => {
    const params = parseQueryBody(
      Buffer.from('Action=AssumeRole&Policy=%7B%22a%22%3A1%7D&Version=2011-06-15'),
      new URLSearchParams('Action=Other&X=1'),
    );
    assert.deepEqual(params, { Action: 'AssumeRole', X: '1', Policy: '{"a":1}', Version: '2011-06-15' });
  });

  it('reads flattened member lists in index order (10 after 9)', () => {
    const params: Record<string, string> = {};
    for (let i = 1; i <= 10; i += 1) {
      params[`Tags.member.${i}.Key`] = `k${i}`;
      params[`Tags.member.${i}.Value`] = `v${i}`;
    }
    const tags = readMemberList(params, 'Tags');
    assert.equal(tags.length, 10);
    assert.deepEqual(tags[9], { Key: 'k10', Value: 'v10' });
  });

  it('wraps a result as <Action>Response / <Action>Result with the service namespace', () => {
    const response = queryResponse('ListMetrics', '<Metrics/>', 'req-1', xmlNamespaces.monitoring);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(response.body as string);
    assert.equal(xml.ListMetricsResponse['@_xmlns'], 'http://monitoring.amazonaws.com/doc/2010-08-01/');
    assert.equal(xml.ListMetricsResponse.ResponseMetadata.RequestId, 'req-1');
    assert.equal(response.headers['content-type'], 'text/xml');
  });

  it('renders errors as ErrorResponse/Error/{Type,Code,Message} + RequestId, escaped', () => {
    const response = queryError(new AwsError('ValidationError', 'Value <x> & "y"'), 'req-2');
    assert.equal(response.status, 400);
    const xml = new XMLParser().parse(response.body as string);
    assert.deepEqual(xml.ErrorResponse.Error, { Type: 'Sender', Code: 'ValidationError', Message: 'Value <x> & "y"' });
    assert.equal(xml.ErrorResponse.RequestId, 'req-2');
    assert.equal(xmlEscape('<a&b>'), '&lt;a&amp;b&gt;');
  });
});

describe('localaws protocol: JSON', () => {
  it('renders __type + message, with x-amzn-query-error only when query-compatible', () => {
    const err = new AwsError('ResourceNotFoundException', 'no such group');
    const plain = jsonError(err, 'r3', { version: '1.1' });
    assert.deepEqual(JSON.parse(plain.body as string), {
      __type: 'ResourceNotFoundException',
      message: 'no such group',
    });
    assert.equal(plain.headers['content-type'], 'application/x-amz-json-1.1');
    assert.equal(plain.headers['x-amzn-requestid'], 'r3');
    assert.equal(plain.headers['x-amzn-query-error'], undefined);
    const compat = jsonError(new AwsError('InvalidParameterValue', 'bad'), 'r4', { queryCompatible: true });
    assert.equal(compat.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
    assert.equal(compat.headers['content-type'], 'application/x-amz-json-1.0');
  });
});
