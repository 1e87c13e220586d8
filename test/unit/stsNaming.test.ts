import * as assert from 'node:assert/strict';
import { findMfaSerial } from '../../src/core/sts/broker';
import {
  getCallerName,
  newRequestId,
  requestIdTagPattern,
  sanitizeSessionName,
  sanitizeSourceIdentity,
} from '../../src/core/sts/naming';
import { checkRoleSessionName, checkSourceIdentity } from '../../src/core/sts/rules';

describe('STS naming', () => {
  it('names the caller from a user, role session, federated user or root ARN', () => {
    assert.equal(getCallerName('arn:aws:iam::111122223333:user/erin.employee'), 'erin.employee');
    assert.equal(getCallerName('arn:aws:iam::111122223333:user/division/team/erin'), 'erin');
    assert.equal(
      getCallerName('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123/sam@example.com'),
      'sam@example.com',
    );
    assert.equal(getCallerName('arn:aws:sts::111122223333:federated-user/bob'), 'bob');
    assert.equal(getCallerName('arn:aws:iam::111122223333:root'), 'root');
  });

  it('makes request ids of 10 lowercase hex characters that differ', () => {
    const ids = new Set(Array.from({ length: 50 }, newRequestId));
    // The IAM kit's trust policy checks the request id tag with this StringLike pattern.
    for (const id of ids) assert.equal(id.length, requestIdTagPattern.length, id);
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, /^[0-9a-f]{10}$/);
  });

  it('builds <user>@<id> session names within AWS rules', () => {
    assert.equal(sanitizeSessionName('erin.employee', '3f9a2c1b0d'), 'erin.employee@3f9a2c1b0d');
    assert.equal(sanitizeSessionName('José Núñez', 'abc'), 'Jose-Nunez@abc');
    assert.equal(sanitizeSessionName('a/b\\c d', 'id1'), 'a-b-c-d@id1');
  });

  it('shortens the user part, never the request id, to stay within 64', () => {
    const name = sanitizeSessionName('u'.repeat(100), '0123456789');
    assert.equal(name.length, 64);
    assert.ok(name.endsWith('@0123456789'));
    assert.equal(checkRoleSessionName(name), undefined);
  });

  it('never produces fewer than 2 characters or invalid ones, whatever the input', () => {
    for (const [user, id] of [
      ['', ''],
      ['x', ''],
      ['', 'a'],
      ['###', '$$$'],
      ['🙂', '1'],
      ['a'.repeat(300), 'b'.repeat(300)],
    ] as const) {
      const name = sanitizeSessionName(user, id);
      assert.equal(checkRoleSessionName(name), undefined, `${JSON.stringify([user, id])} → ${name}`);
    }
  });

  it('makes a valid SourceIdentity from any user name', () => {
    assert.equal(sanitizeSourceIdentity('erin.employee'), 'erin.employee');
    assert.equal(sanitizeSourceIdentity('aws:admin'), 'aws-admin');
    assert.equal(sanitizeSourceIdentity('e'), 'e_');
    assert.equal(sanitizeSourceIdentity('   '), 'infrawatch-user');
    assert.equal(sanitizeSourceIdentity('s'.repeat(80)).length, 64);
    for (const user of ['aws:x', 'AWS:y', '', '🙂', 'sam@example.com', 'ü'.repeat(100)]) {
      assert.equal(checkSourceIdentity(sanitizeSourceIdentity(user)), undefined, user);
    }
  });

  it('finds the MFA device by AWS default naming', () => {
    const caller = (arn: string) => ({ arn, account: '111122223333', userId: 'X' });
    assert.equal(
      findMfaSerial(caller('arn:aws:iam::111122223333:user/erin.employee')),
      'arn:aws:iam::111122223333:mfa/erin.employee',
    );
    assert.equal(
      findMfaSerial(caller('arn:aws:iam::111122223333:user/ops/erin')),
      'arn:aws:iam::111122223333:mfa/erin',
    );
    assert.equal(findMfaSerial(caller('arn:aws-cn:iam::111122223333:user/li')), 'arn:aws-cn:iam::111122223333:mfa/li');
    // A role session has no MFA device of its own (AssumeRole's SerialNumber is the calling user's).
    assert.equal(findMfaSerial(caller('arn:aws:sts::111122223333:assumed-role/SSO_Dev/sam.sso')), undefined);
    assert.equal(findMfaSerial(caller('arn:aws:iam::111122223333:role/R')), undefined);
    assert.equal(findMfaSerial(caller('not an arn')), undefined);
  });
});
