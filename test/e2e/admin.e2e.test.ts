// The admin's story: an Admin requests access (so the trail has something of this run),
// opens the admin panel from the palette, reads the permission matrix, simulates another
// principal, finds that request in the audit trail and exports it through the save dialog
// to a file a SIEM could take, with no secret in it. Then an employee goes around
// InfraWatch (AssumeRole with her base keys, straight at the endpoint) and the admin finds
// that session under "Sessions outside InfraWatch", flagged, while the Admin's own is matched.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Frame, Locator, Page } from 'playwright-core';
import { waitFor } from '../../scripts/lib/processes';
import { type E2eSession, useE2eSession } from './harness';
import { saveReadmeScreenshot } from './screenshots';
import { quickInput, requestRdsRead, statusItem, totp } from './requestAccessKit';

const erinArn = 'arn:aws:iam::111122223333:user/erin.employee';

/** The inner frame of the admin panel's page (other webviews may be open too). */
async function adminFrame(page: Page): Promise<Frame> {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        const kind = await frame
          .locator('body')
          .getAttribute('data-panel', { timeout: 1_000 })
          .catch(() => undefined);
        if (kind === 'admin') return frame;
      }
      return undefined;
    },
    { what: "the admin panel's page", timeoutMs: 30_000, intervalMs: 200 },
  );
}

interface AuditRowText {
  event: string;
  outcome: string;
  why: string;
  requestId: string;
  text: string;
}

function readAuditRows(frame: Frame): Promise<AuditRowText[]> {
  return frame.locator('.audit-table tbody tr.audit-row').evaluateAll((rows) =>
    rows.map((row) => ({
      event: row.children[1]?.textContent ?? '',
      outcome: row.querySelector('.outcome')?.textContent ?? '',
      why: row.querySelector('.why')?.textContent ?? '',
      requestId: row.getAttribute('data-request-id') ?? '',
      text: row.textContent ?? '',
    })),
  );
}

/** Polls the shown audit page (once the panel is idle) until `done` accepts its rows. */
async function waitForAudit(
  frame: Frame,
  what: string,
  done: (rows: AuditRowText[]) => boolean,
): Promise<AuditRowText[]> {
  let last: { rows: AuditRowText[]; status: string; sources: string } = { rows: [], status: '', sources: '' };
  return waitFor(
    async () => {
      const busy = await frame.locator('#app').getAttribute('aria-busy', { timeout: 1_000 });
      last = {
        rows: await readAuditRows(frame),
        status:
          (await frame
            .locator('p.status')
            .textContent()
            .catch(() => '')) ?? '',
        sources:
          (await frame
            .locator('.audit-sources')
            .textContent()
            .catch(() => '')) ?? '',
      };
      return busy === 'false' && done(last.rows) ? last.rows : undefined;
    },
    {
      what,
      timeoutMs: 30_000,
      intervalMs: 250,
      detail: () =>
        `status "${last.status}", sources "${last.sources}", rows ${JSON.stringify(last.rows.map((r) => `${r.event} ${r.outcome} ${r.why}`))}`,
    },
  );
}

/** Picks `value` in one of the panel's filter selects (a vscode-single-select). */
async function chooseFilter(frame: Frame, select: string, value: string): Promise<void> {
  const element = frame.locator(select);
  await element.click();
  await element.getByRole('option', { name: value, exact: true }).click({ timeout: 10_000 });
}

async function requestAsAdmin(s: E2eSession, reason: string): Promise<void> {
  const admin = s.aws.identities.find((i) => i.name === 'admin')!;
  await s.runCommand('Request Access');
  await requestRdsRead(s.page, reason, admin.totpSeed);
  await s.page
    .locator(statusItem)
    .filter({ hasText: /RDS read (29|30):\d\d/ })
    .waitFor({ timeout: 20_000 });
  // The "access granted" toast would cover the audit trail in the screenshots.
  const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'RDS read access granted' });
  await toast.waitFor({ timeout: 10_000 });
  await toast.hover();
  await toast.locator('a.action-label.codicon-notifications-clear').click();
  await toast.waitFor({ state: 'hidden', timeout: 5_000 });
}

/** The simple file dialog (a quick input holding the path): accepts the offered path. */
async function acceptSaveDialog(page: Page, extension: string): Promise<string> {
  const input = page.locator(`${quickInput} .quick-input-box input`);
  await input.waitFor({ timeout: 15_000 });
  const offered = await waitFor(
    async () => {
      const value = await input.inputValue();
      return value.endsWith(`.${extension}`) ? value : undefined;
    },
    { what: `the save dialog offering a .${extension} file`, timeoutMs: 10_000, intervalMs: 100 },
  );
  await input.press('Enter');
  await page.locator(quickInput).waitFor({ state: 'hidden', timeout: 10_000 });
  return offered;
}

describe('admin panel (e2e)', function () {
  /** The Admin's own request went through InfraWatch in this run (the first test). */
  let adminRequested = false;

  const session = useE2eSession({ label: 'admin', profile: 'demo-admin' });

  it("shows the matrix, simulates a principal, finds this run's request in the trail and exports it", async function () {
    this.timeout(240_000);
    const s = session();
    const { page } = s;
    const marker = `e2e-${randomUUID().slice(0, 8)}`;
    await s.openInfraWatch();
    await s.waitForTree('the Admin services', (rows) => rows.some((r) => r.label === 'RDS'));
    await requestAsAdmin(s, `admin panel check ${marker}`);
    adminRequested = true;

    await s.runCommand('Open Admin Panel');
    const frame = await adminFrame(page);
    await checkMatrix(frame);
    await simulateErin(frame);
    await frame.locator('.simulation').scrollIntoViewIfNeeded();
    await s.screenshot('admin-panel');
    await saveReadmeScreenshot(s, 'admin');

    const granted = await findGrant(frame, marker);
    await frame.locator('.audit-table').scrollIntoViewIfNeeded();
    await s.screenshot('admin-audit');

    await frame.locator('.export-jsonl').click();
    const offered = await acceptSaveDialog(page, 'jsonl');
    const status = frame.locator('p.status', { hasText: /Exported \d+ records as JSONL to / });
    await status.waitFor({ timeout: 15_000 });
    const path = (await status.textContent())!.replace(/^.* to /, '').trim();
    assert.ok(offered.endsWith(path.split('/').pop()!), `saved where the dialog offered: ${offered} vs ${path}`);
    assert.ok(path.startsWith(s.workspace), `the default is in the workspace: ${path}`);
    checkExport(path, marker, granted.requestId, s.aws.identities.find((i) => i.name === 'admin')!.secretAccessKey);
  });

  it('finds a session an employee made around InfraWatch in this run, flagged with who, role and tags', async function () {
    this.timeout(180_000);
    const s = session();
    const sessionName = await bypassAsErin(s);
    await s.runCommand('Find Sessions Made Outside InfraWatch');
    const pick = s.page.locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: 'Last hour' });
    await pick.first().click({ timeout: 15_000 });
    const frame = await adminFrame(s.page);
    const section = frame.locator('section.outside-section');
    const row = section.locator(`tr.outside-row[data-session-name="${sessionName}"]`);
    let seen = '';
    await waitFor(
      async () => {
        seen = `status "${await frame.locator('.outside-status').textContent()}", summary "${await frame.locator('.outside-summary').textContent()}"`;
        return (await section.getAttribute('aria-busy', { timeout: 1_000 })) === 'false' && (await row.count()) === 1
          ? true
          : undefined;
      },
      {
        what: `the bypass ${sessionName} among the sessions outside InfraWatch`,
        timeoutMs: 60_000,
        intervalMs: 250,
        detail: () => seen,
      },
    );
    const erin = s.aws.identities.find((i) => i.name === 'employee')!;
    assert.equal(await row.getAttribute('data-reason'), 'unknown-request-id');
    assert.equal((await row.locator('.caller').textContent())?.trim(), erin.arn);
    assert.match(
      (await row.locator('.role').textContent()) ?? '',
      /Employee.*arn:aws:iam::111122223333:role\/InfraWatch-Employee/,
    );
    assert.match(
      (await row.locator('.tags').textContent()) ?? '',
      new RegExp(`infrawatch:request-id=${sessionName.split('@')[1]}.*infrawatch:service=ec2`),
    );
    assert.equal((await row.locator('.source-identity').textContent())?.trim(), 'erin.employee');
    assert.match((await row.locator('.why').textContent()) ?? '', /not in the audit trail/);
    // What InfraWatch itself made is matched, not flagged.
    const flaggedNames = await section
      .locator('tr.outside-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session-name') ?? ''));
    assert.ok(
      !flaggedNames.some((n) => n.startsWith('ada.admin@')),
      `the Admin's own sessions are not flagged: ${flaggedNames.join(', ')}`,
    );
    if (adminRequested)
      assert.ok(Number(await section.getAttribute('data-matched')) >= 1, "the Admin's request of this run is matched");
    await row.scrollIntoViewIfNeeded();
    await s.screenshot('admin-outside-sessions');
  });
});

/**
 * Erin goes around InfraWatch: AssumeRole with her base keys straight at the endpoint, with
 * her MFA and InfraWatch-looking tags (the kind of call the IAM kit cannot refuse, as the
 * values are ones InfraWatch could have sent), under a request id no audit record has.
 */
async function bypassAsErin(s: E2eSession): Promise<string> {
  const erin = s.aws.identities.find((i) => i.name === 'employee')!;
  const requestId = randomUUID().replace(/-/g, '').slice(0, 10);
  const sessionName = `erin.employee@${requestId}`;
  const sts = new STSClient({
    endpoint: s.aws.url,
    region: 'us-east-1',
    credentials: { accessKeyId: erin.accessKeyId, secretAccessKey: erin.secretAccessKey },
    maxAttempts: 1,
  });
  try {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee',
        RoleSessionName: sessionName,
        DurationSeconds: 900,
        SerialNumber: erin.mfaSerial,
        TokenCode: totp(erin.totpSeed),
        SourceIdentity: 'erin.employee',
        Tags: [
          { Key: 'infrawatch:request-id', Value: requestId },
          { Key: 'infrawatch:service', Value: 'ec2' },
          { Key: 'infrawatch:level', Value: 'read' },
        ],
      }),
    );
    assert.ok(out.Credentials?.AccessKeyId, 'AWS (the endpoint) issued the session');
  } finally {
    sts.destroy();
  }
  return sessionName;
}

async function checkMatrix(frame: Frame): Promise<void> {
  const matrix = frame.locator('section[aria-labelledby="matrix-heading"]');
  await matrix.locator('tbody tr').first().waitFor({ timeout: 30_000 });
  for (const role of ['Employee', 'Manager', 'Admin']) {
    assert.ok((await matrix.locator(`tbody tr[data-role="${role}"]`).count()) > 0, `the matrix has rows for ${role}`);
  }
  // Manager's RDS read comes from Employee; Admin's ECS read from Manager.
  const inherited = matrix.locator('tbody tr.inherited[data-role="Manager"][data-service="rds"][data-level="read"]');
  assert.match((await inherited.textContent()) ?? '', /inherited from Employee/);
  assert.match(
    (await matrix.locator('tbody tr[data-role="Admin"][data-service="ecs"][data-level="read"]').textContent()) ?? '',
    /inherited from Manager/,
  );
  assert.match(
    (await matrix.locator('tbody tr[data-role="Admin"][data-service="s3"][data-level="admin"]').textContent()) ?? '',
    /own grant/,
  );
  // The demo policy sets "mfa" for Employee's rds read but not for its ec2 read (on by default).
  // The policy says nothing of MFA for EC2 read: the default, per identity kind, and said to be the default.
  assert.match(
    (await matrix.locator('tbody tr[data-role="Employee"][data-service="ec2"][data-level="read"]').textContent()) ?? '',
    /TOTP \(IAM users\) \/ Identity Center sign-in \/ SAML sign-in \(default\)/,
  );
  assert.doesNotMatch(
    (await matrix.locator('tbody tr[data-role="Employee"][data-service="rds"][data-level="read"]').textContent()) ?? '',
    /\(default\)/,
  );
}

async function simulateErin(frame: Frame): Promise<void> {
  const input: Locator = frame.locator('.arn-input input');
  await input.fill(erinArn);
  await input.press('Enter');
  const result = frame.locator('.simulation');
  await result.locator('.sim-role-name', { hasText: 'Employee' }).waitFor({ timeout: 15_000 });
  const services = await result
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-service')} ${r.getAttribute('data-level')}`));
  assert.deepEqual(services.sort(), ['ec2 read', 'lambda read', 'rds read', 'sqs read']);
  assert.match(
    (await result.locator('.sim-explanation').textContent()) ?? '',
    /matches by its exact ARN: role Employee/,
  );
}

async function findGrant(frame: Frame, marker: string): Promise<AuditRowText> {
  const text = frame.locator('.filter-text input');
  await text.fill(marker);
  await text.press('Enter');
  await waitForAudit(
    frame,
    `the requested and granted records of "${marker}"`,
    (rows) => rows.some((r) => r.event === 'access.granted') && rows.some((r) => r.event === 'access.requested'),
  );
  await chooseFilter(frame, '.filter-service', 'rds');
  await chooseFilter(frame, '.filter-event', 'access.granted');
  const rows = await waitForAudit(frame, 'only the grant', (r) => r.length === 1 && r[0]!.event === 'access.granted');
  const granted = rows[0]!;
  assert.equal(granted.outcome, 'success');
  assert.match(granted.why, new RegExp(marker));
  assert.match(granted.requestId, /^[0-9a-f]+$/, `the grant carries its request id: ${granted.requestId}`);
  assert.match(granted.text, /ada\.admin/);
  return granted;
}

function checkExport(path: string, marker: string, requestId: string, secretAccessKey: string): void {
  assert.ok(existsSync(path), `the export exists: ${path}`);
  const text = readFileSync(path, 'utf8');
  const records = text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(records.length, 1, `the export holds what the filter shows: ${text}`);
  const [record] = records;
  assert.equal(record!.event, 'access.granted');
  assert.equal(record!.requestId, requestId);
  assert.equal(record!.service, 'rds');
  assert.match(String(record!.reason), new RegExp(marker));
  assert.match(String(record!.hash), /^[0-9a-f]{64}$/);
  assert.ok(!text.includes(secretAccessKey), 'the export holds no secret access key');
  assert.doesNotMatch(text, /secretAccessKey|sessionToken|SessionToken/i);
}
