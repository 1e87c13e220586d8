// Renew as a person meets it: from the status-bar menu, the expiry warning, the "session
// expired → Request Again" notification and the long-command warning. Each keeps the last
// answers (service, level, duration, reason) and asks only for the MFA code, and open
// terminals keep their address and token across it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Session } from '../../src/core/session';
import { FakeQuickInput, type ScriptEntry } from './fakeQuickInput';
import { getApi, waitFor } from './helpers';
import { control } from './localAwsControl';
import {
  auditSince,
  fetchCredentials,
  findSession,
  grantRdsRead,
  lastAuditSeq,
  mfa,
  requestTitle,
  signInAs,
  useSessionHarness,
  watchIssued,
  withPolicy,
  withUserSettings,
} from './sessionKit';

const reason = 'orders-db CPU at 95%, checking slow queries';

/** Runs a command with the quick inputs answered from `script`. */
async function runScripted(script: ScriptEntry[], command: string, ...args: unknown[]): Promise<FakeQuickInput> {
  watchIssued(await getApi());
  const fake = FakeQuickInput.install(script);
  try {
    await vscode.commands.executeCommand(command, ...args);
  } finally {
    fake.dispose();
  }
  return fake;
}

/** What each step was: "pick <placeholder>" or "mfa i/n" or "text i/n". */
function describeSteps(fake: FakeQuickInput): string[] {
  return fake.steps.map((s) =>
    s.kind !== 'inputBox' ? `pick ${s.placeholder ?? ''}` : `${s.password ? 'mfa' : 'text'} ${s.step}/${s.totalSteps}`,
  );
}

async function waitForRenewal(first: Session): Promise<Session> {
  const api = await getApi();
  return waitFor('the renewed session', () => {
    const s = findSession(api, 'rds', 'read');
    return s && s.id !== first.id ? s : undefined;
  });
}

/** The renewed session has the first one's answers, new credentials, and the same address and token. */
async function assertRenewedInPlace(
  first: Session,
  renewed: Session,
  endpoint: { uri: string; token: string },
): Promise<void> {
  const api = await getApi();
  assert.notEqual(renewed.credentials.accessKeyId, first.credentials.accessKeyId);
  assert.equal(renewed.reason, first.reason, 'the reason is kept');
  const after = api.sessions.getEndpoint(renewed);
  assert.ok(after, 'the renewed session is served');
  assert.equal(after.uri, endpoint.uri, 'open terminals keep their address');
  assert.ok(after.token === endpoint.token, 'open terminals keep their token');
  const served = await fetchCredentials(endpoint.uri, endpoint.token);
  assert.equal(served.body.AccessKeyId, renewed.credentials.accessKeyId, 'the old address serves the new credentials');
}

describe('renew with the last answers', function () {
  this.timeout(120_000);
  const harness = useSessionHarness();

  beforeEach(async () => {
    harness.cleanup(await signInAs('demo-employee'));
  });

  it('Renew from the status-bar menu asks only for the MFA code, not "already active"', async () => {
    const api = await getApi();
    const first = await grantRdsRead('employee', '1 hour');
    const endpoint = api.sessions.getEndpoint(first)!;
    const seq = lastAuditSeq(api);
    const fake = await runScripted([{ pick: 'Renew' }, mfa('employee')], 'infrawatch.showSessions');
    fake.assertScriptDone();
    const steps = describeSteps(fake);
    assert.deepEqual(steps.slice(1), ['mfa 1/1'], steps.join(' → '));
    assert.ok(!fake.steps.some((s) => /already active/.test(s.placeholder ?? '')), 'no "already active" question');
    const renewed = await waitForRenewal(first);
    assert.equal(renewed.durationSeconds, 3600, 'the duration is kept');
    await assertRenewedInPlace(first, renewed, endpoint);
    assert.ok(auditSince(api, seq).some((r) => r.event === 'session.renewed' && r.requestId === renewed.id));
  });

  it('the warning’s Renew (infrawatch.renewSession) asks only for the MFA code, capped to what the policy still allows', async () => {
    const api = await getApi();
    const first = await grantRdsRead('employee', '1 hour');
    const endpoint = api.sessions.getEndpoint(first)!;
    harness.cleanup(
      await withPolicy((p) => {
        p.roles.Employee!.grants.find((g) => g.service === 'rds')!.maxMinutes = 45;
      }),
    );
    const fake = await runScripted([mfa('employee')], 'infrawatch.renewSession', first.id);
    fake.assertScriptDone();
    assert.deepEqual(describeSteps(fake), ['mfa 1/1']);
    assert.equal(fake.stepsTitled(requestTitle).length, 1);
    const renewed = await waitForRenewal(first);
    assert.equal(renewed.durationSeconds, 45 * 60, 'one hour, capped to the 45 minutes the policy now allows');
    await assertRenewedInPlace(first, renewed, endpoint);
  });

  it('asks nothing at all when the grant needs no MFA', async () => {
    const first = await grantRdsRead('employee', '30 minutes');
    harness.cleanup(
      await withPolicy((p) => {
        (p.roles.Employee!.grants.find((g) => g.service === 'rds') as { mfa?: boolean }).mfa = false;
      }),
    );
    const fake = await runScripted([], 'infrawatch.renewSession', first.id);
    fake.assertScriptDone();
    assert.deepEqual(describeSteps(fake), [], 'no question');
    // The demo role's trust policy still asks for MFA (its other grants do), so AWS refuses:
    // the request was sent without asking anything.
    const refused = await waitFor('AWS’s answer', () => harness.messages().errors()[0]);
    assert.match(refused.message, /Renewing the session failed|MFA/i, refused.message);
  });

  it('"session expired → Request Again" asks only for the MFA code, then offers Open Terminal', async () => {
    const api = await getApi();
    // STS sets Expiration by its own clock: 894 s behind, a 15-minute session ends 6 s after
    // AssumeRole (that clock keeps running), whenever the request flow gets there. A real wait.
    await control('clock/set', { ms: Date.now() - 894_000 });
    const first = await grantRdsRead('employee', '15 minutes');
    harness.messages().respond = (m) => (/RDS read session expired/.test(m.message) ? 'Request Again' : undefined);
    watchIssued(api);
    const fake = FakeQuickInput.install([mfa('employee')]);
    try {
      await waitFor(
        'the session to expire',
        () => harness.messages().shown.find((m) => /RDS read session expired/.test(m.message)),
        40_000,
      );
      const again = await waitForRenewal(first);
      assert.equal(again.durationSeconds, 900, 'the duration is kept');
      assert.equal(again.reason, reason, 'the reason is kept');
      const offer = await waitFor('the offer of a terminal', () =>
        harness.messages().shown.find((m) => /RDS read access granted/.test(m.message)),
      );
      assert.deepEqual(offer.actions, ['Open Terminal']);
    } finally {
      fake.dispose();
    }
    fake.assertScriptDone();
    assert.deepEqual(describeSteps(fake), ['mfa 1/1']);
  });

  for (const endpointToken of ['variable', 'file'] as const) {
    it(`renew in place reaches terminals and debug launches started before it (token ${endpointToken})`, async () => {
      const api = await getApi();
      harness.cleanup(await withUserSettings({ endpointToken }));
      const first = await grantRdsRead('employee', '30 minutes');
      // What a terminal and a debuggee started now get, and keep for their whole life.
      const before = [
        await api.sessions.getEnvironment(first, 'collection'),
        await api.sessions.getEnvironment(first, 'process'),
      ];
      const fake = await runScripted([mfa('employee')], 'infrawatch.renewSession', first.id);
      fake.assertScriptDone();
      const renewed = await waitForRenewal(first);
      for (const [index, env] of before.entries()) {
        const uri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI!;
        const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
        const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : env.AWS_CONTAINER_AUTHORIZATION_TOKEN!;
        assert.equal(Boolean(tokenFile), endpointToken === 'file', `${index}: the token is where the setting says`);
        const served = await fetchCredentials(uri, token);
        assert.equal(
          served.status,
          200,
          `${index === 0 ? 'terminal' : 'debug launch'}: ${JSON.stringify(served.body).slice(0, 200)}`,
        );
        assert.equal(
          served.body.AccessKeyId,
          renewed.credentials.accessKeyId,
          'the same address and token serve the renewed credentials',
        );
        assert.equal(
          Date.parse(String(served.body.Expiration)),
          Math.floor(renewed.credentials.expiration / 1000) * 1000,
        );
      }
    });
  }

  it('warns once, with Renew, when a command starts in a session terminal with less than infrawatch.renewWarningMinutes left', async function () {
    // A 30-minute session is under a 60-minute threshold from the start.
    harness.cleanup(await withUserSettings({ renewWarningMinutes: 60 }));
    const first = await grantRdsRead('employee', '30 minutes');
    await vscode.commands.executeCommand('infrawatch.openTerminal', first.id);
    const terminal = await waitFor('the session terminal', () =>
      vscode.window.terminals.find((t) => t.name === 'AWS RDS read'),
    );
    harness.cleanup(() => terminal.dispose());
    const integration = await waitFor(
      'shell integration in the terminal',
      () => terminal.shellIntegration,
      30_000,
    ).catch(() => undefined);
    if (!integration) this.skip(); // no bash with shell integration here: the e2e test covers it
    const warnings = () => harness.messages().shown.filter((m) => /RDS read ends in/.test(m.message));

    // The warning's Renew asks only for the MFA code.
    harness.messages().respond = (m) => (/RDS read ends in/.test(m.message) ? 'Renew' : undefined);
    const fake = FakeQuickInput.install([mfa('employee')]);
    let renewed: Session;
    try {
      integration.executeCommand('echo first');
      renewed = await waitForRenewal(first);
    } finally {
      fake.dispose();
    }
    fake.assertScriptDone();
    assert.deepEqual(describeSteps(fake), ['mfa 1/1']);
    const shown = warnings()[0]!;
    const match = /^RDS read ends in (\d+):(\d\d) — renew before a long command\?$/.exec(shown.message);
    assert.ok(match, shown.message);
    // The time the first session had left when the command started (AWS's clock may be ahead: MFA codes move it).
    const shownMs = (Number(match[1]) * 60 + Number(match[2])) * 1000;
    const leftNow = first.credentials.expiration - Date.now();
    assert.ok(
      shownMs > leftNow - 2000 && shownMs - leftNow < 60_000,
      `${shown.message}: ${Math.round(leftNow / 1000)} s left now`,
    );
    assert.deepEqual(shown.actions, ['Renew']);
    assert.equal(renewed.durationSeconds, 1800);

    // The renewed session (still under 60 minutes) is a new crossing: one warning, then none.
    harness.messages().respond = () => undefined;
    integration.executeCommand('echo second');
    await waitFor('the warning for the renewed session', () => warnings()[1]);
    integration.executeCommand('echo third');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(warnings().length, 2, 'at most once per session');
  });
});
