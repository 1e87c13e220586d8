// "InfraWatch: Sign In with IAM Identity Center" inside the editor against the local
// endpoint: the device flow (approved through the endpoint's control route, as the browser
// would), account and permission set, the identity the sidebar then shows, the shared
// cache, and a sign-in that ends: a warning with Sign In Again, and the sidebar's
// "no credentials" state with a plain message (the welcome view), never a stack trace.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CapturedMessages, FakeQuickInput } from './fakeQuickInput';
import { getApi, waitFor, withSettings } from './helpers';
import { control } from './localAwsControl';
import { settle } from './sessionKit';

const command = 'infrawatch.signInWithIdentityCenter';
const sessionName = 'infrawatch-demo';
const script = [{ pick: `sso-session ${sessionName}` }, { pick: 'InfraWatch Demo' }, { pick: 'Developer' }];

describe('Sign In with IAM Identity Center', function () {
  this.timeout(90_000);
  const savedHome = process.env.HOME;
  let home: string;
  let messages: CapturedMessages;
  let fake: FakeQuickInput | undefined;

  before(() => {
    // The extension host's HOME, read by the SDK's getHomeDir() on each call: the cache goes here.
    home = mkdtempSync(join(tmpdir(), 'iw-inhost-home-'));
    process.env.HOME = home;
  });
  beforeEach(() => {
    messages = new CapturedMessages();
    messages.respond = (m) => {
      const code = /your code is ([A-Z0-9]{4}-[A-Z0-9]{4})\./.exec(m.message)?.[1];
      if (code) void control('sso/approve', { userCode: code });
      return m.message.startsWith('Add the profile') ? 'Not Now' : undefined;
    };
  });
  afterEach(() => {
    fake?.dispose();
    fake = undefined;
    messages.dispose();
  });
  after(async () => {
    // Choosing a profile signs the identity out: the rest of the suite runs on the profile again.
    const restore = await withSettings({ profile: 'demo-manager' });
    await restore();
    await settle();
    process.env.HOME = savedHome;
    rmSync(home, { recursive: true, force: true });
  });

  const cachePath = (): string =>
    join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(sessionName).digest('hex')}.json`);

  it('signs in through the device flow and the sidebar becomes the Developer permission set', async () => {
    const api = await getApi();
    fake = FakeQuickInput.install(script);
    await vscode.commands.executeCommand(command);
    fake.assertScriptDone();
    assert.deepEqual(messages.errors(), []);
    const state = await waitFor(
      'the signed-in identity',
      async () => {
        const s = await api.whenSettled();
        return s.kind === 'ready' && /AWSReservedSSO_Developer_/.test(s.identity.arn) ? s : undefined;
      },
      30_000,
    );
    assert.equal(state.access.role, 'Employee');
    const cached = JSON.parse(readFileSync(cachePath(), 'utf8')) as Record<string, string>;
    assert.ok(cached.accessToken && cached.refreshToken && cached.clientSecret, 'the token is in the shared cache');
    assert.ok(
      messages.shown.some((m) => m.actions.includes('Open Sign-In Page')),
      'the code came with a button to open the page',
    );
  });

  it("an ending sign-in warns with Sign In Again; an ended one leaves the welcome view's state with a plain message", async () => {
    const api = await getApi();
    // A cached sign-in that cannot be refreshed and ends in a few seconds: reused without the device flow.
    const cached = JSON.parse(readFileSync(cachePath(), 'utf8')) as Record<string, string>;
    delete cached.refreshToken;
    cached.expiresAt = new Date(Date.now() + 6_000).toISOString();
    writeFileSync(cachePath(), JSON.stringify(cached));
    fake = FakeQuickInput.install(script);
    await vscode.commands.executeCommand(command);
    fake.assertScriptDone();
    assert.ok(
      !messages.shown.some((m) => m.actions.includes('Open Sign-In Page')),
      'a valid cached token needs no device flow',
    );
    assert.ok(
      messages.shown.some(
        (m) =>
          m.severity === 'warning' && /sign-in ends in 1 minute/.test(m.message) && m.actions.includes('Sign In Again'),
      ),
    );

    const state = await waitFor(
      'the ended sign-in',
      async () => {
        const s = await api.whenSettled();
        return s.kind === 'noCredentials' ? s : undefined;
      },
      30_000,
    );
    assert.match(state.error.message, /IAM Identity Center sign-in has expired: sign in again/);
    assert.doesNotMatch(state.error.message, /\n\s+at /, 'no stack trace');
    assert.ok(messages.shown.some((m) => /sign-in has ended/.test(m.message) && m.actions.includes('Sign In Again')));
    assert.deepEqual(messages.errors(), []);
  });
});
