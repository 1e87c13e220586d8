import * as assert from 'node:assert/strict';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-providers';
import * as vscode from 'vscode';
import { SessionStore } from '../../src/core/credentials/sessions';
import { systemClock } from '../../src/core/ports';
import type { Session } from '../../src/core/session';
import { getApi, waitFor } from './helpers';
import { control, getEndpointUrl } from './localAwsControl';
import {
  auditSince,
  fetchCredentials,
  findSession,
  grantRdsRead,
  lastAuditSeq,
  mfa,
  rdsRead,
  rdsReadAnswers,
  requestAccess,
  requestTitle,
  signInAs,
  useSessionHarness,
  withPolicy,
} from './sessionKit';

const reason = 'orders-db CPU at 95%, checking slow queries';

/** "30 minutes" → 1800, "1 hour 30 minutes" → 5400. */
function labelSeconds(label: string): number {
  const hours = /(\d+) hour/.exec(label)?.[1] ?? '0';
  const minutes = /(\d+) minute/.exec(label)?.[1] ?? '0';
  return Number(hours) * 3600 + Number(minutes) * 60;
}

/** The endpoint serves exactly the session's credentials, in the container-credentials format. */
async function assertServesExactly(endpoint: { uri: string; token: string }, session: Session): Promise<void> {
  const served = await fetchCredentials(endpoint.uri, endpoint.token);
  assert.equal(served.status, 200);
  assert.equal(served.body.AccessKeyId, session.credentials.accessKeyId);
  // Compared without assert.equal, whose failure message would print the secrets.
  assert.ok(
    served.body.SecretAccessKey === session.credentials.secretAccessKey,
    'the secret access key is the session’s',
  );
  assert.ok(served.body.Token === session.credentials.sessionToken, 'the session token is the session’s');
  assert.equal(Date.parse(String(served.body.Expiration)), Math.floor(session.credentials.expiration / 1000) * 1000);
}

/** STS GetCallerIdentity signed with what the SDK's HTTP credential provider fetches from the endpoint. */
async function getCallerArnVia(endpoint: { uri: string; token: string }): Promise<string> {
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: getEndpointUrl(),
    maxAttempts: 1,
    credentials: fromHttp({
      awsContainerCredentialsFullUri: endpoint.uri,
      awsContainerAuthorizationToken: endpoint.token,
    }),
  });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  } finally {
    sts.destroy();
  }
}

describe('just-in-time sessions', function () {
  this.timeout(90_000);
  const harness = useSessionHarness();

  beforeEach(async () => {
    harness.cleanup(await signInAs('demo-employee'));
  });

  it('grants RDS read through the five-step flow, served only with its token, as the assumed role', async () => {
    const api = await getApi();
    const fake = await requestAccess([
      { pick: 'RDS' },
      { pick: 'read' },
      { pick: '30 minutes' },
      { type: reason },
      mfa('employee'),
    ]);
    fake.assertScriptDone();
    const steps = fake.stepsTitled(requestTitle);
    assert.deepEqual(
      steps.map((s) => `${s.step}/${s.totalSteps}`),
      ['1/5', '2/5', '3/5', '4/5', '5/5'],
      fake.describe(),
    );
    assert.deepEqual(
      steps.map((s) => s.canGoBack),
      [false, true, true, true, true],
    );
    assert.ok(
      steps[0]!.items.some((l) => l.endsWith('RDS')),
      steps[0]!.items.join(', '),
    );
    assert.equal(steps[2]!.active, '30 minutes', 'the grant’s default duration is offered first');
    assert.equal(steps[4]!.password, true, 'the MFA code is masked');

    const session = await waitFor('the session', () => findSession(api, 'rds', 'read'));
    assert.equal(session.durationSeconds, 1800);
    assert.equal(session.reason, reason);
    const endpoint = api.sessions.getEndpoint(session);
    assert.ok(endpoint, 'the session is served');
    assert.match(endpoint.uri, /^http:\/\/127\.0\.0\.1:\d+\//);

    await assertServesExactly(endpoint, session);
    const wrong = await fetchCredentials(endpoint.uri, '0'.repeat(endpoint.token.length));
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.AccessKeyId, undefined);
    const arn = await getCallerArnVia(endpoint);
    assert.match(arn, /^arn:aws:sts::111122223333:assumed-role\/InfraWatch-Employee\/[^/]*erin\.employee/);
    assert.equal(arn, session.assumedRoleArn);
    const granted = auditSince(api, 0).filter((r) => r.event === 'access.granted' && r.requestId === session.id);
    assert.equal(granted.length, 1, 'access.granted is audited');
    assert.equal(granted[0]!.accessKeyId, session.credentials.accessKeyId);
  });

  it('validates each answer in place, goes Back with the answers kept, and cancels cleanly', async () => {
    const api = await getApi();
    const fake = await requestAccess(
      [{ pick: '1 hour' }, { type: '   ' }, { type: reason }, { type: '12345' }, 'back', 'back', 'cancel'],
      rdsRead,
    );
    fake.assertScriptDone();
    const steps = fake.stepsTitled(requestTitle);
    assert.deepEqual(
      steps.map((s) => `${s.kind} ${s.step}/${s.totalSteps}`),
      ['quickPick 1/3', 'inputBox 2/3', 'inputBox 3/3', 'inputBox 2/3', 'quickPick 1/3'],
      fake.describe(),
    );
    assert.match(steps[1]!.refused[0] ?? '', /Say in a few words why/);
    assert.equal(steps[2]!.refused.length, 1, 'a 5-digit code is refused before it is sent');
    assert.equal(steps[3]!.value, reason, 'Back keeps the reason');
    assert.equal(steps[4]!.active, '1 hour', 'Back keeps the duration');
    assert.ok(!findSession(api, 'rds', 'read'), 'no RDS read session');
    assert.deepEqual(harness.messages().errors(), [], 'cancelling is not an error');
  });

  it('asks only for the MFA code again, with AWS’s reason, when the code is rejected', async () => {
    const api = await getApi();
    const seq = lastAuditSeq(api);
    const fake = await requestAccess(
      [...rdsReadAnswers('employee').slice(0, 2), { type: '000000' }, mfa('employee')],
      rdsRead,
    );
    fake.assertScriptDone();
    const steps = fake.stepsTitled(requestTitle);
    assert.deepEqual(
      steps.map((s) =>
        s.kind === 'quickPick'
          ? `pick ${s.step}/${s.totalSteps}`
          : `${s.password ? 'mfa' : 'text'} ${s.step}/${s.totalSteps}`,
      ),
      ['pick 1/3', 'text 2/3', 'mfa 3/3', 'mfa 3/3'],
      fake.describe(),
    );
    assert.equal(steps[2]!.validationMessage, undefined);
    assert.match(steps[3]!.validationMessage ?? '', /rejected the MFA code/);
    assert.match(steps[3]!.validationMessage ?? '', /Enter the current code/);
    assert.ok(findSession(api, 'rds', 'read'), 'the second code was granted');
    const records = auditSince(api, seq);
    const failed = records.filter((r) => r.event === 'access.failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.detail?.code, 'MfaRejected');
    assert.ok(records.some((r) => r.event === 'access.granted'));
  });

  it('offers nothing above 1 hour to a role session, and says it is role chaining', async () => {
    harness.cleanup(
      await withPolicy((p) => {
        p.roles.Employee!.grants.find((g) => g.service === 'rds')!.maxMinutes = 240;
      }),
    );
    // Control: an IAM user may ask for the policy's 4 hours.
    const user = await requestAccess(['cancel'], rdsRead);
    const userLabels = user.stepsTitled(requestTitle)[0]!.items;
    assert.ok(userLabels.includes('4 hours'), userLabels.join(', '));

    harness.cleanup(await signInAs('demo-sso'));
    const fake = await requestAccess(['cancel'], rdsRead);
    const duration = fake.stepsTitled(requestTitle)[0]!;
    assert.ok(duration.items.length > 0);
    assert.ok(
      duration.items.every((label) => labelSeconds(label) <= 3600),
      duration.items.join(', '),
    );
    assert.ok(duration.items.includes('1 hour'));
    assert.match(duration.placeholder ?? '', /At most 1 hour/);
    assert.match(duration.placeholder ?? '', /role chaining/);
  });

  it('asks an Identity Center session no MFA code (the policy meets its MFA by the sign-in), and an IAM user one', async () => {
    const api = await getApi();
    harness.cleanup(await signInAs('demo-sso'));
    const fake = await requestAccess(rdsReadAnswers('sso'), rdsRead);
    fake.assertScriptDone();
    const steps = fake.stepsTitled(requestTitle);
    assert.ok(!steps.some((s) => s.password), `no MFA step: ${fake.describe()}`);
    const session = await waitFor('the Identity Center RDS read session', () => findSession(api, 'rds', 'read'));
    assert.match(session.requestedBy, /assumed-role\/AWSReservedSSO_Developer_[^/]+\/sam\.sso$/);
  });

  it('renews in place: same address and token, new credentials', async () => {
    const api = await getApi();
    const first = await grantRdsRead();
    const before = api.sessions.getEndpoint(first);
    assert.ok(before);
    const seq = lastAuditSeq(api);
    const fake = await requestAccess(
      [{ pick: 'Renew with Other Answers' }, ...rdsReadAnswers('employee', '1 hour')],
      rdsRead,
    );
    fake.assertScriptDone();
    const offer = fake.steps[0]!;
    assert.equal(offer.kind, 'showQuickPick');
    assert.match(offer.placeholder ?? '', /RDS read is already active \(\d+:\d\d left\)/);
    const renewed = await waitFor('the renewed session', () => {
      const s = findSession(api, 'rds', 'read');
      return s && s.id !== first.id ? s : undefined;
    });
    assert.notEqual(renewed.credentials.accessKeyId, first.credentials.accessKeyId);
    assert.equal(renewed.durationSeconds, 3600);
    const after = api.sessions.getEndpoint(renewed);
    assert.ok(after, 'the renewed session is served');
    assert.equal(after.uri, before.uri, 'open terminals keep their address');
    assert.ok(after.token === before.token, 'open terminals keep their token');
    const served = await fetchCredentials(before.uri, before.token);
    assert.equal(served.status, 200);
    assert.equal(served.body.AccessKeyId, renewed.credentials.accessKeyId);
    assert.equal(api.sessions.list().length, 1, 'one session per service and level');
    assert.ok(auditSince(api, seq).some((r) => r.event === 'session.renewed' && r.requestId === renewed.id));
  });

  it('revoke stops serving the session at once', async () => {
    const api = await getApi();
    const session = await grantRdsRead();
    const endpoint = api.sessions.getEndpoint(session);
    assert.ok(endpoint);
    assert.equal((await fetchCredentials(endpoint.uri, endpoint.token)).status, 200);
    const seq = lastAuditSeq(api);
    // Dismissing the confirmation keeps the session; confirming it revokes.
    await vscode.commands.executeCommand('infrawatch.revokeSession', session.id);
    const asked = harness.messages().shown.find((m) => m.message === 'Revoke RDS read?');
    assert.deepEqual(asked?.actions, ['Revoke'], 'a modal confirmation with a Revoke button');
    assert.ok(findSession(api, 'rds', 'read'), 'dismissed: still active');
    harness.messages().respond = (m) => (m.message === 'Revoke RDS read?' ? 'Revoke' : undefined);
    await vscode.commands.executeCommand('infrawatch.revokeSession', session.id);
    assert.ok(!findSession(api, 'rds', 'read'), 'no RDS read session');
    assert.equal(api.sessions.getEndpoint(session), undefined);
    const refused = await fetchCredentials(endpoint.uri, endpoint.token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.AccessKeyId, undefined);
    assert.match(String(refused.body.Message), /session was revoked/);
    assert.ok(auditSince(api, seq).some((r) => r.event === 'session.revoked' && r.requestId === session.id));
    const collection = api.sessions.deps.context.environmentVariableCollection;
    await waitFor('the terminal environment to be cleared', () =>
      collection.get('AWS_CONTAINER_CREDENTIALS_FULL_URI') === undefined ? true : undefined,
    );
  });

  it('new terminals get the endpoint and the region, and no secret-named or empty AWS variable', async () => {
    const api = await getApi();
    await grantRdsRead();
    const collection = api.sessions.deps.context.environmentVariableCollection;
    await waitFor('the terminal environment', () =>
      collection.get('AWS_CONTAINER_CREDENTIALS_FULL_URI') ? true : undefined,
    );
    const names: string[] = [];
    collection.forEach((name, mutator) => {
      names.push(name);
      assert.notEqual(mutator.value, '', `${name} is set empty`);
    });
    // The host inherits AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE with named profiles
    // only: nothing there outranks the session, so nothing is set aside.
    assert.deepEqual(names.sort(), [
      'AWS_CONTAINER_AUTHORIZATION_TOKEN',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_DEFAULT_REGION',
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
    ]);
  });

  it('withdraws the session when AWS’s expiration passes', async () => {
    const api = await getApi();
    // STS sets Expiration by its own clock: 894 s behind, a 15-minute session ends 6 s after
    // AssumeRole (that clock keeps running), whenever the request flow gets there. A real wait.
    await control('clock/set', { ms: Date.now() - 894_000 });
    const session = await grantRdsRead('employee', '15 minutes');
    const endpoint = api.sessions.getEndpoint(session);
    assert.ok(endpoint);
    const left = session.credentials.expiration - Date.now();
    assert.ok(left > 0 && left < 20_000, `expires in ${left} ms`);
    assert.equal((await fetchCredentials(endpoint.uri, endpoint.token)).status, 200);
    const seq = lastAuditSeq(api);
    await waitFor('the session to expire', () => (findSession(api, 'rds', 'read') ? undefined : true), 40_000);
    assert.ok(Date.now() >= session.credentials.expiration, 'not withdrawn early');
    const refused = await fetchCredentials(endpoint.uri, endpoint.token);
    assert.notEqual(refused.status, 200);
    assert.equal(refused.body.AccessKeyId, undefined);
    const expired = await waitFor('session.expired in the audit file', () =>
      auditSince(api, seq).find((r) => r.event === 'session.expired' && r.requestId === session.id),
    );
    assert.equal(expired.accessKeyId, session.credentials.accessKeyId);
    await waitFor('the user to be told', () =>
      harness.messages().shown.find((m) => /RDS read session expired/.test(m.message)),
    );
    const collection = api.sessions.deps.context.environmentVariableCollection;
    assert.equal(collection.get('AWS_CONTAINER_CREDENTIALS_FULL_URI'), undefined, 'new terminals no longer get it');
  });

  it('restores an unexpired session from SecretStorage after a reload', async () => {
    const api = await getApi();
    const session = await grantRdsRead();
    const secrets = api.sessions.deps.context.secrets;
    const reloaded = new SessionStore({
      secrets: {
        get: (k) => Promise.resolve(secrets.get(k)),
        store: (k, v) => Promise.resolve(secrets.store(k, v)),
        delete: (k) => Promise.resolve(secrets.delete(k)),
      },
      clock: systemClock,
    });
    try {
      const restored = await reloaded.restore();
      assert.equal(restored.length, 1);
      assert.equal(restored[0]!.id, session.id);
      const { credentials } = restored[0]!;
      assert.equal(credentials.accessKeyId, session.credentials.accessKeyId);
      assert.equal(credentials.expiration, session.credentials.expiration);
      assert.ok(
        credentials.secretAccessKey === session.credentials.secretAccessKey &&
          credentials.sessionToken === session.credentials.sessionToken,
        'the secrets come back as they were',
      );
    } finally {
      reloaded.dispose();
    }
    await api.sessions.revoke(session);
    const afterRevoke = new SessionStore({
      secrets: {
        get: (k) => Promise.resolve(secrets.get(k)),
        store: () => Promise.resolve(),
        delete: () => Promise.resolve(),
      },
      clock: systemClock,
    });
    try {
      assert.deepEqual(await afterRevoke.restore(), [], 'a revoked session does not come back');
    } finally {
      afterRevoke.dispose();
    }
  });
});
