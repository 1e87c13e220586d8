// Every AssumeRole error src/core/sts/errors.ts maps, as the real SDK v3 client
// deserialises it from AWS's XML
// error shape (a fake HTTP handler answers; no network), mapped to code, next action and a
// message that says what happened and what to do.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { HttpResponse } from '@smithy/protocol-http';
import { InfraWatchError, describeCauses } from '../../src/core/errors';
import { mapStsError, type StsErrorContext } from '../../src/core/sts/errors';
import { StsError } from '../../src/core/sts/stsError';

const roleArn = 'arn:aws:iam::111122223333:role/InfraWatch-Employee';
const context: StsErrorContext = {
  roleArn,
  what: 'RDS read',
  durationSeconds: 7200,
  mfaProvided: true,
  region: 'eu-south-2',
  account: '111122223333',
  scrub: ['493817'],
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The SDK error for an AWS STS error response with this code, message and status. */
async function stsFailure(code: string, message: string, status = 400): Promise<unknown> {
  const body = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>req-123</RequestId></ErrorResponse>`;
  const handle = async () => ({
    response: new HttpResponse({
      statusCode: status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-123' },
      body: Readable.from([Buffer.from(body)]),
    }),
  });
  const sts = new STSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: { handle },
  });
  try {
    await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'erin@1' }));
  } catch (error) {
    return error;
  }
  throw new Error('the fake handler should have failed the call');
}

async function mapped(code: string, message: string, status = 400): Promise<StsError> {
  return mapStsError(await stsFailure(code, message, status), context);
}

function expectMapping(error: StsError, code: string, nextAction: string, pattern: RegExp): void {
  assert.ok(error instanceof InfraWatchError, 'an InfraWatchError for the funnel');
  assert.equal(error.code, code);
  assert.equal(error.nextAction, nextAction);
  assert.match(error.message, pattern);
}

describe('STS error mapping', () => {
  it('maps a rejected MFA code to MfaRejected so the flow asks again', async () => {
    const e = await mapped(
      'AccessDenied',
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
      403,
    );
    expectMapping(
      e,
      'MfaRejected',
      'reenterMfa',
      /rejected the MFA code: it is wrong, expired, or was already used.*Enter the current code/,
    );
    assert.equal(e.awsCode, 'AccessDenied');
    assert.equal(e.requestId, 'req-123');
  });

  it('tells a wrong MFA device apart from a wrong code', async () => {
    const e = await mapped(
      'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
      403,
    );
    expectMapping(e, 'AccessDenied', 'fixMfaSerial', /device ARN is wrong or not assigned to you/);
    const both = await mapped(
      'AccessDenied',
      'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
      403,
    );
    expectMapping(both, 'MfaRejected', 'reenterMfa', /both the MFA device and a code/);
  });

  it('explains a trust-policy refusal and who fixes it', async () => {
    const e = await mapped(
      'AccessDenied',
      `User: arn:aws:iam::111122223333:user/uma is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
    expectMapping(
      e,
      'AccessDenied',
      'contactAdmin',
      /refused to let you assume arn:aws:iam::111122223333:role\/InfraWatch-Employee: your IAM permissions \(sts:AssumeRole\) or the role's trust policy/,
    );
    assert.doesNotMatch(e.message, /require MFA/, 'MFA was sent, so no MFA hint');
    const noMfa = mapStsError(
      await stsFailure(
        'AccessDenied',
        `User: x is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      ),
      { ...context, mfaProvided: false },
    );
    assert.match(noMfa.message, /If the role requires MFA, the access policy must require MFA/);
  });

  it('names the missing sts:SetSourceIdentity and sts:TagSession permissions', async () => {
    const source = await mapped(
      'AccessDenied',
      `User: x is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn}`,
      403,
    );
    expectMapping(source, 'AccessDenied', 'contactAdmin', /trust policy must allow sts:SetSourceIdentity/);
    const tags = await mapped(
      'AccessDenied',
      `User: x is not authorized to perform: sts:TagSession on resource: ${roleArn}`,
      403,
    );
    expectMapping(tags, 'AccessDenied', 'contactAdmin', /trust policy must allow sts:TagSession/);
  });

  it('maps each ValidationError variant to its fix', async () => {
    expectMapping(
      await mapped(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      ),
      'Validation',
      'chooseShorter',
      /its maximum session duration \(MaxSessionDuration\) is lower.*ask an AWS admin to raise the role's MaxSessionDuration to at least 2 hours/,
    );
    expectMapping(
      await mapped(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      ),
      'Validation',
      'chooseShorter',
      /role chaining.*Choose 1 hour or less/,
    );
    expectMapping(
      await mapped(
        'ValidationError',
        "1 validation error detected: Value '99' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ),
      'Validation',
      'chooseShorter',
      /15 minutes to 12 hours/,
    );
    expectMapping(
      await mapped(
        'ValidationError',
        "1 validation error detected: Value '{…}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
      ),
      'Validation',
      'fixPolicy',
      /fewer resource patterns/,
    );
    expectMapping(
      await mapped('ValidationError', 'Request ARN is invalid'),
      'Validation',
      'fixPolicy',
      /fix the role's ARN for this account in the access policy/,
    );
    expectMapping(
      await mapped(
        'ValidationError',
        "Invalid SourceIdentity: 'aws:x'. The prefix 'aws:' is reserved for AWS internal use.",
      ),
      'Validation',
      'contactAdmin',
      /source identity/,
    );
    expectMapping(
      await mapped('ValidationError', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
      'Validation',
      'editRequest',
      /session tags/,
    );
    expectMapping(
      await mapped(
        'ValidationError',
        "1 validation error detected: Value 'x' at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9",
      ),
      'Validation',
      'fixMfaSerial',
      /MFA device ARN/,
    );
  });

  it('never repeats the MFA code AWS echoes in a ValidationError, in the message or the logged cause', async () => {
    const e = await mapped(
      'ValidationError',
      "1 validation error detected: Value '49381' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6",
    );
    expectMapping(e, 'MfaRejected', 'reenterMfa', /enter exactly 6 digits/);
    assert.doesNotMatch(describeCauses(e), /49381/);
    const other = await mapped('ValidationError', 'Something new mentioning 493817 and the weather');
    assert.doesNotMatch(other.message, /493817/, 'values in context.scrub are removed');
    assert.match(other.message, /rejected the request as invalid: Something new mentioning ‹redacted›/);
    assert.doesNotMatch(describeCauses(other), /493817/);
  });

  it('maps MalformedPolicyDocument and PackedPolicyTooLarge to policy fixes', async () => {
    expectMapping(
      await mapped('MalformedPolicyDocument', 'This policy contains invalid Json'),
      'PolicyInvalid',
      'fixPolicy',
      /malformed: This policy contains invalid Json\. Check the grant's resource patterns/,
    );
    expectMapping(
      await mapped(
        'PackedPolicyTooLarge',
        'Packed policy consumes 112% of allotted space, please use smaller policy for this session.',
      ),
      'Validation',
      'fixPolicy',
      /112%.*fewer or broader resource patterns, or use a shorter ticket id/,
    );
  });

  it('maps RegionDisabledException with the region and account', async () => {
    const e = await mapped(
      'RegionDisabledException',
      'STS is not activated in this region for account:111122223333.',
      403,
    );
    expectMapping(
      e,
      'RegionDisabled',
      'contactAdmin',
      /not activated in region eu-south-2 for account 111122223333: an AWS admin can activate it/,
    );
  });

  it('sends expired or unknown base credentials back to sign-in', async () => {
    expectMapping(
      await mapped('ExpiredToken', 'The security token included in the request is expired', 403),
      'Expired',
      'refreshCredentials',
      /credentials have expired: sign in again/,
    );
    expectMapping(
      await mapped('ExpiredTokenException', 'Token expired', 400),
      'Expired',
      'refreshCredentials',
      /sign in again/,
    );
    expectMapping(
      await mapped('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
      'InvalidToken',
      'refreshCredentials',
      /does not recognise your access key/,
    );
  });

  it('tells clock skew ("Signature expired") apart from a wrong secret', async () => {
    const skew = await mapped(
      'SignatureDoesNotMatch',
      'Signature expired: 20261124T051342Z is now earlier than 20261124T055842Z (20261124T061342Z - 15 min.)',
      403,
    );
    expectMapping(skew, 'SignatureMismatch', 'fixClock', /clock is off by more than 15 minutes.*Set the clock/);
    const secret = await mapped(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      403,
    );
    expectMapping(secret, 'SignatureMismatch', 'refreshCredentials', /secret access key.*does not match/);
    expectMapping(
      await mapped('RequestExpired', 'Request has expired.', 400),
      'SignatureMismatch',
      'fixClock',
      /clock/,
    );
  });

  it('maps throttling and AWS internal failures to retry', async () => {
    expectMapping(await mapped('Throttling', 'Rate exceeded'), 'Throttled', 'retry', /throttling.*try again/);
    expectMapping(await mapped('InternalFailure', 'oops', 500), 'Unknown', 'retry', /internal failure/);
  });

  it('maps network failures to Network with retry', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    expectMapping(
      mapStsError(refused, context),
      'Network',
      'retry',
      /Cannot reach AWS STS: connect ECONNREFUSED 127\.0\.0\.1:4566\. Check the network/,
    );
    const timeout = Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });
    expectMapping(mapStsError(timeout, context), 'Network', 'retry', /Cannot reach AWS STS/);
  });

  it('keeps an unknown error visible and passes our own errors through', async () => {
    const e = await mapped('SomethingNew', 'A brand new failure');
    expectMapping(e, 'Unknown', 'none', /AWS STS failed for RDS read: SomethingNew: A brand new failure/);
    const ours = new StsError('Validation', 'already mapped', 'editRequest');
    assert.equal(mapStsError(ours, context), ours);
    const plain = mapStsError(new InfraWatchError('Cancelled', 'Cancelled'), context);
    assert.equal(plain.code, 'Cancelled');
    assert.equal(plain.nextAction, 'none');
    assert.equal(mapStsError(new InfraWatchError('Network', 'offline'), context).nextAction, 'retry');
  });
});
