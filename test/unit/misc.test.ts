import * as assert from 'node:assert/strict';
import { InfraWatchError, describeCauses, fromAwsError } from '../../src/core/errors';
import { pickRegion } from '../../src/core/region';
import { getPosition } from '../../src/core/textPosition';

describe('errors', () => {
  it('maps AWS errors to codes, keeping the cause and request id', () => {
    const aws = Object.assign(new Error('The security token included in the request is invalid.'), {
      name: 'InvalidClientTokenId',
      $metadata: { requestId: 'req-1' },
    });
    const mapped = fromAwsError(aws, 'Identifying you');
    assert.equal(mapped.code, 'InvalidToken');
    assert.equal(mapped.message, 'Identifying you failed: The security token included in the request is invalid.');
    assert.equal(mapped.requestId, 'req-1');
    assert.equal(mapped.cause, aws);
    assert.match(describeCauses(mapped), /caused by InvalidClientTokenId: .* \(request id req-1\)/);
  });

  it('says when AWS cannot be reached', () => {
    const net = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const mapped = fromAwsError(net, 'Listing resources');
    assert.equal(mapped.code, 'Network');
    assert.match(mapped.message, /^Listing resources failed: cannot reach AWS/);
  });

  it('passes InfraWatch errors through unchanged', () => {
    const e = new InfraWatchError('NoRole', 'x');
    assert.equal(fromAwsError(e, 'y'), e);
  });
});

describe('region', () => {
  it('prefers the setting, then the policy, then the profile, then the environment', () => {
    assert.equal(pickRegion({ setting: 'eu-west-1', policy: 'us-east-2' }), 'eu-west-1');
    assert.equal(pickRegion({ setting: '', policy: 'us-east-2', profile: 'ap-south-1' }), 'us-east-2');
    assert.equal(pickRegion({ profile: 'ap-south-1', environment: 'eu-north-1' }), 'ap-south-1');
    assert.equal(pickRegion({}), 'us-east-1');
  });
});

describe('textPosition', () => {
  it('turns offsets into zero-based lines and characters', () => {
    assert.deepEqual(getPosition('ab\ncd\nef', 4), { line: 1, character: 1 });
    assert.deepEqual(getPosition('ab', 99), { line: 0, character: 2 });
  });
});
