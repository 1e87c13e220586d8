// `aws login` profiles (login_session): the SDK's chain reads them; InfraWatch turns the SDK's
// refusal of a missing or ended sign-in into what to run, without the cache file's path.
import * as assert from 'node:assert/strict';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { fetchIdentity } from '../../src/core/identity';
import { getLoginSession, isLoginSessionError, toLoginSessionError } from '../../src/core/loginSession';

/** Stands in for the SDK's error class (same name; the text is what tells the cases apart). */
class CredentialsProviderError extends Error {
  override readonly name = 'CredentialsProviderError';
}

// The SDK's own messages (@aws-sdk/credential-provider-login, LoginCredentialsFetcher).
const sdkMessages = [
  'Failed to load a token for session arn:aws:iam::111122223333:user/erin, please re-authenticate using aws login',
  'Failed to load token from /home/erin/.aws/login/cache/3f1c.json: Error: ENOENT: no such file or directory',
  'Failed to refresh token: AccessDeniedException. Please re-authenticate using aws login',
];

describe('aws login (login_session) profiles', () => {
  it('reads the login_session of a profile section', () => {
    assert.equal(
      getLoginSession({ login_session: 'arn:aws:iam::111122223333:user/erin', region: 'us-east-1' }),
      'arn:aws:iam::111122223333:user/erin',
    );
    assert.equal(getLoginSession({ sso_session: 'corp' }), undefined);
    assert.equal(getLoginSession(undefined), undefined);
  });

  it("recognises the SDK's refusals of an aws login token, and nothing else", () => {
    for (const message of sdkMessages)
      assert.equal(isLoginSessionError(new CredentialsProviderError(message)), true, message);
    assert.equal(
      isLoginSessionError(new CredentialsProviderError('Could not load credentials from any providers')),
      false,
    );
    assert.equal(isLoginSessionError(new Error('The SSO session associated with this profile has expired')), false);
  });

  it('says to run aws login for the profile, without the path of the cache file', () => {
    const error = toLoginSessionError('dev');
    assert.equal(error.code, 'NoCredentials');
    assert.match(error.message, /run `aws login --profile dev` in a terminal/);
    assert.doesNotMatch(error.message, /home|cache/);
    assert.match(toLoginSessionError().message, /run `aws login`/);
  });

  it('fetchIdentity reports an ended aws login as "no credentials" with that advice', async () => {
    const sts = new STSClient({ region: 'us-east-1' });
    const mock = mockClient(sts);
    try {
      mock.on(GetCallerIdentityCommand).rejects(new CredentialsProviderError(sdkMessages[1]!));
      const result = await fetchIdentity(sts, { profile: 'dev' });
      assert.equal(result.kind, 'noCredentials');
      assert.match(result.error.message, /aws login --profile dev/);
      assert.doesNotMatch(result.error.message, /\/home\//);
    } finally {
      mock.restore();
    }
  });
});
