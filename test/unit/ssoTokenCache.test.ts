import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromSso } from '@aws-sdk/token-providers';
import { getSSOTokenFilepath, getSSOTokenFromFile } from '@smithy/shared-ini-file-loader';
import {
  getCacheKey,
  getCachedRegistration,
  getTokenCachePath,
  readCachedToken,
  toCachedToken,
  toCacheTime,
  writeCachedToken,
} from '../../src/core/sso/tokenCache';

const startUrl = 'https://infrawatch-demo.awsapps.com/start';
const registration = {
  clientId: 'client-id-1',
  clientSecret: 'client-secret-abcdef',
  expiresAtSeconds: Math.floor(Date.UTC(2030, 0, 1) / 1000),
};

describe('sso: the shared token cache', () => {
  let home: string;
  const savedHome = process.env.HOME;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'iw-sso-'));
    process.env.HOME = home; // the SDK's getHomeDir() reads HOME on each call
  });
  afterEach(async () => {
    process.env.HOME = savedHome;
    await rm(home, { recursive: true, force: true });
  });

  it('names the file as the SDK does: sha1 of the session name, or of the start URL for legacy profiles', () => {
    assert.equal(getTokenCachePath(getCacheKey({ name: 'demo', startUrl }), home), getSSOTokenFilepath('demo'));
    assert.equal(getTokenCachePath(getCacheKey({ startUrl }), home), getSSOTokenFilepath(startUrl));
    // botocore's documented example: sha1("my-sso") names the cache file.
    assert.match(getTokenCachePath('my-sso', home), /\/\.aws\/sso\/cache\/[0-9a-f]{40}\.json$/);
  });

  it('writes the botocore / SDK v3 fields, owner-only, and reads them back', async () => {
    const now = Date.UTC(2026, 11, 6, 6, 0, 0, 123);
    const token = toCachedToken({
      startUrl,
      region: 'us-east-1',
      grant: { accessToken: 'access-token-123', expiresInSeconds: 3600, refreshToken: 'refresh-token-456' },
      registration,
      now,
    });
    assert.deepEqual(token, {
      startUrl,
      region: 'us-east-1',
      accessToken: 'access-token-123',
      expiresAt: '2026-12-06T07:00:00Z',
      clientId: 'client-id-1',
      clientSecret: 'client-secret-abcdef',
      registrationExpiresAt: '2030-01-01T00:00:00Z',
      refreshToken: 'refresh-token-456',
    });
    const path = getTokenCachePath('demo', home);
    await writeCachedToken(path, token);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readCachedToken(path), token);
    assert.deepEqual(await getSSOTokenFromFile('demo'), token);
  });

  it('a refresh answer without a refresh token keeps the old one', () => {
    const previous = toCachedToken({
      startUrl,
      region: 'us-east-1',
      grant: { accessToken: 'a1234567', expiresInSeconds: 60, refreshToken: 'r-old-1234' },
      registration,
      now: 0,
    });
    const next = toCachedToken({
      startUrl,
      region: 'us-east-1',
      grant: { accessToken: 'a2345678', expiresInSeconds: 60 },
      registration,
      now: 0,
      previous,
    });
    assert.equal(next.refreshToken, 'r-old-1234');
  });

  it('missing, unreadable or foreign files are no token; extra fields written by the CLI survive', async () => {
    const path = getTokenCachePath('demo', home);
    assert.equal(await readCachedToken(path), undefined);
    await writeCachedToken(path, { accessToken: 'x', expiresAt: 'soon' } as never);
    assert.equal(await readCachedToken(path), undefined);
    await writeFile(path, '{not json');
    assert.equal(await readCachedToken(path), undefined);
    await writeFile(
      path,
      JSON.stringify({
        startUrl,
        region: 'us-east-1',
        accessToken: 'abc',
        expiresAt: '2030-01-01T00:00:00Z',
        scopes: ['sso:account:access'],
      }),
    );
    assert.deepEqual((await readCachedToken(path))?.['scopes'], ['sso:account:access']);
  });

  it('a cached registration is reused only while it has not expired', () => {
    const token = toCachedToken({
      startUrl,
      region: 'us-east-1',
      grant: { accessToken: 'a1234567', expiresInSeconds: 60 },
      registration,
      now: 0,
    });
    assert.deepEqual(getCachedRegistration(token, Date.UTC(2029, 0, 1)), registration);
    assert.equal(getCachedRegistration(token, Date.UTC(2030, 0, 2)), undefined);
    assert.equal(toCacheTime(Date.UTC(2026, 0, 1, 0, 0, 0, 999)), '2026-01-01T00:00:00Z');
  });

  describe('what @aws-sdk/token-providers fromSso reads from it', () => {
    let server: Server;
    let seen: Record<string, unknown> | undefined;
    let url: string;
    before(async () => {
      // Stands in for the OIDC CreateToken endpoint, to see which cached fields the SDK refreshes with.
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen = { path: req.url, ...(JSON.parse(body) as object) };
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              accessToken: 'sdk-refreshed-token',
              expiresIn: 3600,
              refreshToken: 'sdk-new-refresh',
              tokenType: 'Bearer',
            }),
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => server.close());

    async function writeConfig(session: string): Promise<string> {
      const config = join(home, 'config');
      await writeFile(
        config,
        `[profile dev]\nsso_session = ${session}\nsso_account_id = 111122223333\nsso_role_name = Developer\n\n[sso-session ${session}]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\n`,
      );
      return config;
    }

    it('a valid token InfraWatch wrote is the SDK token of an sso_session profile', async () => {
      const configFilepath = await writeConfig('cache-valid');
      const token = toCachedToken({
        startUrl,
        region: 'us-east-1',
        grant: { accessToken: 'iw-access-token', expiresInSeconds: 3600, refreshToken: 'iw-refresh' },
        registration,
        now: Date.now(),
      });
      await writeCachedToken(getTokenCachePath('cache-valid', home), token);
      const sdk = await fromSso({ profile: 'dev', configFilepath, filepath: join(home, 'none') })();
      assert.equal(sdk.token, 'iw-access-token');
      assert.equal(sdk.expiration?.toISOString(), new Date(token.expiresAt).toISOString());
    });

    it('a token near expiry is refreshed by the SDK with the client and refresh token InfraWatch cached, and the file stays readable to InfraWatch', async () => {
      const configFilepath = await writeConfig('cache-refresh');
      const path = getTokenCachePath('cache-refresh', home);
      await writeCachedToken(
        path,
        toCachedToken({
          startUrl,
          region: 'us-east-1',
          grant: { accessToken: 'iw-old-token', expiresInSeconds: 60, refreshToken: 'iw-refresh-token' },
          registration,
          now: Date.now(),
        }),
      );
      const sdk = await fromSso({
        profile: 'dev',
        configFilepath,
        filepath: join(home, 'none'),
        clientConfig: { endpoint: url },
      })();
      assert.equal(sdk.token, 'sdk-refreshed-token');
      assert.deepEqual(
        {
          grantType: seen?.['grantType'],
          clientId: seen?.['clientId'],
          clientSecret: seen?.['clientSecret'],
          refreshToken: seen?.['refreshToken'],
        },
        {
          grantType: 'refresh_token',
          clientId: 'client-id-1',
          clientSecret: 'client-secret-abcdef',
          refreshToken: 'iw-refresh-token',
        },
      );
      const after = await readCachedToken(path);
      assert.equal(after?.accessToken, 'sdk-refreshed-token');
      assert.equal(after?.refreshToken, 'sdk-new-refresh');
      assert.ok(JSON.parse(await readFile(path, 'utf8')));
    });
  });
});
