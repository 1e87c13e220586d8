import * as assert from 'node:assert/strict';
import { getDisplayName, getUserName, isRoleSession, parseArn } from '../../src/core/arn';
import { getStablePrincipal } from '../../src/core/starterPolicy';

describe('arn', () => {
  it('parses user and assumed-role ARNs', () => {
    assert.deepEqual(parseArn('arn:aws:iam::111122223333:user/dev/erin'), {
      partition: 'aws',
      service: 'iam',
      region: '',
      account: '111122223333',
      resource: 'user/dev/erin',
    });
    assert.equal(parseArn('arn:aws:sts::111122223333:assumed-role/R/s')?.service, 'sts');
    assert.equal(parseArn('not an arn'), undefined);
    assert.equal(parseArn('arn:aws:iam:111122223333:user/x'), undefined);
  });

  it('finds the IAM user name only for users', () => {
    assert.equal(getUserName('arn:aws:iam::111122223333:user/dev/erin'), 'erin');
    assert.equal(getUserName('arn:aws:sts::111122223333:assumed-role/R/erin'), undefined);
    assert.equal(getUserName('arn:aws:iam::111122223333:role/R'), undefined);
  });

  it('recognises role sessions (whose chained sessions AWS caps at one hour)', () => {
    assert.equal(isRoleSession('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_1/sam'), true);
    assert.equal(isRoleSession('arn:aws:iam::111122223333:user/sam'), false);
  });

  it('names people plainly', () => {
    assert.equal(getDisplayName('arn:aws:iam::111122223333:user/dev/erin'), 'erin');
    assert.equal(getDisplayName('arn:aws:sts::111122223333:assumed-role/Dev/sam'), 'sam (Dev)');
  });

  it('assigns any session of a role, not one session name', () => {
    assert.equal(
      getStablePrincipal('arn:aws:sts::111122223333:assumed-role/Dev/sam'),
      'arn:aws:sts::111122223333:assumed-role/Dev/*',
    );
    assert.equal(getStablePrincipal('arn:aws:iam::111122223333:user/erin'), 'arn:aws:iam::111122223333:user/erin');
  });
});
