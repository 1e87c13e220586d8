// Every STS failure the local endpoint can produce, through the real Request Access flow:
// the user sees what happened and what to do, the audit trail gets access.failed, and no
// session is left behind.
import * as assert from 'node:assert/strict';
import { getApi } from './helpers';
import { type ScriptEntry } from './fakeQuickInput';
import { control } from './localAwsControl';
import {
  type AuditLine,
  auditSince,
  findSession,
  lastAuditSeq,
  rdsRead,
  rdsReadAnswers,
  requestAccess,
  signInAs,
  useSessionHarness,
  withPolicy,
} from './sessionKit';

// AWS refuses these two after checking the MFA code: the code must be on a clock the SDK does
// not correct and retry against (localAwsControl.ts, nextMfaCode). The others are refused
// before the code is looked at.
const refused = { refused: true };

describe('STS errors in Request Access', function () {
  this.timeout(90_000);
  const harness = useSessionHarness();

  /** Asks for RDS read; returns the one error shown and the access.failed record. */
  async function requestFailing(
    script: ScriptEntry[] = rdsReadAnswers('employee'),
  ): Promise<{ message: string; failed: AuditLine }> {
    const api = await getApi();
    const seq = lastAuditSeq(api);
    const fake = await requestAccess(script, rdsRead);
    fake.assertScriptDone();
    assert.ok(!findSession(api, 'rds', 'read'), 'no session is granted');
    const errors = harness.messages().errors();
    assert.equal(errors.length, 1, `one error shown: ${JSON.stringify(harness.messages().shown)}`);
    assert.ok(errors[0]!.actions.includes('Show Log'));
    const failed = auditSince(api, seq).filter((r) => r.event === 'access.failed');
    assert.equal(failed.length, 1, 'access.failed is audited once');
    assert.equal(failed[0]!.outcome, 'failure');
    assert.equal(failed[0]!.service, 'rds');
    return { message: errors[0]!.message, failed: failed[0]! };
  }

  beforeEach(async () => {
    harness.cleanup(await signInAs('demo-employee'));
  });

  it('throttling: wait and try again', async () => {
    await control('throttle', { service: 'sts', enabled: true });
    const { message, failed } = await requestFailing();
    assert.match(message, /throttling requests to STS/);
    assert.match(message, /wait a few seconds and try again/);
    assert.equal(failed.detail?.code, 'Throttled');
  });

  it('a region where STS is disabled: who can activate it, or which setting to change', async () => {
    await control('regions', { region: 'us-east-1', disabled: true });
    const { message, failed } = await requestFailing();
    assert.match(message, /STS is not activated in region us-east-1 for account 111122223333/);
    assert.match(message, /an AWS admin can activate it/);
    assert.equal(failed.detail?.code, 'RegionDisabled');
  });

  it('a role whose trust policy does not name you: ask an admin', async () => {
    harness.cleanup(
      await withPolicy((p) => {
        p.roles.Employee!.roleArns['111122223333'] = 'arn:aws:iam::111122223333:role/InfraWatch-Manager';
      }),
    );
    const { message, failed } = await requestFailing(rdsReadAnswers('employee', undefined, refused));
    assert.match(message, /refused to let you assume arn:aws:iam::111122223333:role\/InfraWatch-Manager/);
    assert.match(message, /trust policy/);
    assert.match(message, /Ask an AWS admin/);
    assert.equal(failed.detail?.code, 'AccessDenied');
  });

  it('longer than the role’s MaxSessionDuration: choose shorter or raise it', async () => {
    harness.cleanup(
      await withPolicy((p) => {
        p.roles.Employee!.grants.find((g) => g.service === 'rds')!.maxMinutes = 120;
      }),
    );
    const { message, failed } = await requestFailing(rdsReadAnswers('employee', '2 hours', refused));
    assert.match(message, /InfraWatch-Employee allows shorter sessions than 2 hours/);
    assert.match(message, /MaxSessionDuration/);
    assert.match(message, /Choose a shorter duration/);
    assert.equal(failed.detail?.code, 'Validation');
  });

  // The SDK corrects its own clock skew and retries, so AssumeRole succeeds; the
  // Expiration it returns gives the wrong clock away.
  for (const [hours, how] of [
    [2, 'behind'],
    [-2, 'ahead of'],
  ] as const) {
    it(`this computer’s clock 2 hours ${how} AWS’s: set the clock`, async () => {
      await control('clock/set', { ms: Date.now() + hours * 3600_000 });
      const { message, failed } = await requestFailing();
      assert.match(message, new RegExp(`clock is about 2 hours ${how} AWS's`));
      assert.match(message, /Set the clock to the correct time/);
      assert.equal(failed.detail?.code, 'SignatureMismatch');
    });
  }

  it('expired base credentials (an Identity Center session): sign in again', async () => {
    harness.cleanup(await signInAs('demo-sso'));
    // The demo SSO session lasts 30 days on the endpoint's clock.
    await control('clock/set', { ms: Date.now() + 31 * 24 * 3600_000 });
    const { message, failed } = await requestFailing(rdsReadAnswers('sso'));
    assert.match(message, /Your AWS credentials have expired/);
    assert.match(message, /aws sso login/);
    assert.equal(failed.detail?.code, 'Expired');
  });

  it('STS unavailable: try again in a moment', async () => {
    await control('outage', { service: 'sts', enabled: true, status: 503 });
    const { message, failed } = await requestFailing();
    assert.match(message, /AWS STS had an internal failure/);
    assert.match(message, /Try again in a moment/);
    assert.equal(failed.detail?.code, 'Unknown');
  });
});
