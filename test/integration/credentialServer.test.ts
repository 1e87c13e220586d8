// The loopback credential endpoint over real HTTP.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  startCredentialServer,
  type CredentialServer,
  type FetchFailure,
  type RefusalSummary,
} from '../../src/core/credentials/credentialServer';
import { CapturingLog, FakeClock, getSecrets, makeSession } from '../unit/credentialsFixtures';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(uri: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(uri, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('credential endpoint over HTTP', () => {
  let clock: FakeClock;
  let log: CapturingLog;
  let server: CredentialServer;
  let fetches: { sessionId: string; ok: boolean; reason?: FetchFailure }[];

  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    log = new CapturingLog();
    fetches = [];
    server = await startCredentialServer({
      clock,
      log,
      onFetch: (sessionId, ok, reason) => fetches.push({ sessionId, ok, reason }),
    });
  });
  afterEach(async () => server.close());

  it('listens on 127.0.0.1 at a random port and serves the container-credentials JSON', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/credentials\/$/);
    const session = makeSession({ expiration: clock.now() + 30 * 60_000 });
    const { uri, token } = server.add(session);
    assert.ok(uri.startsWith(server.url));
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const reply = await get(uri, { Authorization: token });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.equal(reply.headers['cache-control'], 'no-store');
    assert.deepEqual(JSON.parse(reply.body), {
      AccessKeyId: session.credentials.accessKeyId,
      SecretAccessKey: session.credentials.secretAccessKey,
      Token: session.credentials.sessionToken,
      Expiration: new Date(Math.floor(session.credentials.expiration / 1000) * 1000)
        .toISOString()
        .replace('.000Z', 'Z'),
      RoleArn: session.roleArn,
    });
    assert.deepEqual(fetches, [{ sessionId: session.id, ok: true, reason: undefined }]);
  });

  it("refuses a wrong, missing or other session's token, and never answers with a secret", async () => {
    const a = makeSession({ service: 'rds', expiration: clock.now() + 60_000 });
    const b = makeSession({ service: 'ec2', expiration: clock.now() + 60_000 });
    const endpointA = server.add(a);
    const endpointB = server.add(b);
    const replies = [
      await get(endpointA.uri, { Authorization: endpointB.token }),
      await get(endpointA.uri, { Authorization: `${endpointA.token}x` }),
      await get(endpointA.uri, { Authorization: `Bearer ${endpointA.token}` }),
      await get(endpointA.uri),
    ];
    assert.deepEqual(
      replies.map((r) => r.status),
      [403, 403, 403, 401],
    );
    for (const reply of replies) {
      assert.equal((JSON.parse(reply.body) as { Code: string }).Code, 'AccessDenied');
      for (const secret of [...getSecrets(a), ...getSecrets(b)]) assert.ok(!reply.body.includes(secret));
    }
    // No Authorization at all: a client too old for AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; say how to fix it.
    assert.match(replies[3]!.body, /sent no InfraWatch token.*infrawatch\.endpointToken/);
    assert.deepEqual(
      fetches.map((f) => [f.sessionId, f.ok, f.reason]),
      [...Array(3).fill([a.id, false, 'bad-token']), [a.id, false, 'no-token']],
    );
  });

  it('serves nothing after removal (revoke) or expiry, and tells the token holder which', async () => {
    const session = makeSession({ expiration: clock.now() + 60_000 });
    const { uri, token } = server.add(session);
    assert.equal((await get(uri, { Authorization: token })).status, 200);
    clock.advance(60_000);
    const expired = await get(uri, { Authorization: token });
    assert.equal(expired.status, 403);
    assert.equal((JSON.parse(expired.body) as { Code: string }).Code, 'ExpiredToken');
    assert.equal(server.has(session.id), false, 'an expired session is dropped at once');
    const again = await get(uri, { Authorization: token });
    assert.equal(again.status, 403, 'the holder of the token keeps learning that it expired');
    assert.match(again.body, /session has expired/);

    const next = makeSession({ service: 'lambda', expiration: clock.now() + 60_000 });
    const live = server.add(next);
    assert.equal(server.remove(next.id, 'revoked'), true);
    const revoked = await get(live.uri, { Authorization: live.token });
    assert.equal(revoked.status, 403);
    assert.match(revoked.body, /session was revoked/);
    // Anyone without the token learns nothing about it.
    const stranger = await get(live.uri, { Authorization: 'guess' });
    assert.equal(stranger.status, 404);
    assert.match(stranger.body, /revoked or has expired/);
    // Serving the address again forgets the ended session.
    server.add(makeSession({ service: 'lambda', expiration: clock.now() + 60_000 }));
    assert.equal((await get(live.uri, { Authorization: live.token })).status, 403);
    assert.deepEqual(
      fetches.map((f) => f.reason),
      [undefined, 'expired', 'expired', 'revoked', 'unknown-session', 'bad-token'],
    );
  });

  it('renew keeps the address and token but serves the new credentials; add for the same key issues a new token', async () => {
    const first = makeSession({ expiration: clock.now() + 60_000 });
    const endpoint = server.add(first);
    const renewed = makeSession({ expiration: clock.now() + 120_000 });
    assert.deepEqual(server.renew(renewed), endpoint);
    const body = JSON.parse((await get(endpoint.uri, { Authorization: endpoint.token })).body) as {
      AccessKeyId: string;
    };
    assert.equal(body.AccessKeyId, renewed.credentials.accessKeyId);
    assert.equal(server.has(first.id), false);
    assert.equal(server.has(renewed.id), true);
    const replacement = server.add(makeSession({ expiration: clock.now() + 120_000 }));
    assert.equal(replacement.uri, endpoint.uri);
    assert.notEqual(replacement.token, endpoint.token);
    assert.equal((await get(endpoint.uri, { Authorization: endpoint.token })).status, 403);
  });

  it('failed token attempts never block the valid token: there is no lockout to trigger', async () => {
    const session = makeSession({ expiration: clock.now() + 10 * 60_000 });
    const { uri, token } = server.add(session);
    for (let i = 0; i < 50; i += 1) assert.equal((await get(uri, { Authorization: `guess${i}` })).status, 403);
    for (let i = 0; i < 50; i += 1) assert.equal((await get(uri)).status, 401);
    const reply = await get(uri, { Authorization: token });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['retry-after'], undefined);
    assert.equal(fetches.filter((f) => !f.ok).length, 100, 'each refusal is still seen by the per-request listener');
  });

  it('counts refusals per minute and reason, and says so in the log once a minute', async () => {
    const summaries: RefusalSummary[] = [];
    await server.close();
    server = await startCredentialServer({ clock, log, onRefused: (summary) => summaries.push(summary) });
    const { uri } = server.add(makeSession({ expiration: clock.now() + 10 * 60_000 }));
    for (let i = 0; i < 3; i += 1) await get(uri, { Authorization: 'wrong' });
    await get(uri, { 'Sec-Fetch-Site': 'same-site' });
    await get(uri, {}, 'POST');
    assert.equal(summaries.length, 0);
    clock.advance(60_000);
    await get(uri);
    assert.deepEqual(
      summaries.map((s) => s.counts),
      [{ 'bad-token': 3, browser: 1, 'bad-request': 1 }],
    );
    assert.ok(
      log.lines.some(
        (line) =>
          line.startsWith('warn') &&
          line.includes('bad-token 3, browser 1, bad-request 1') &&
          line.includes('A web page tried to reach it'),
      ),
    );
    await server.close();
    assert.deepEqual(
      summaries.map((s) => s.counts),
      [{ 'bad-token': 3, browser: 1, 'bad-request': 1 }, { 'no-token': 1 }],
    );
    server = await startCredentialServer({ clock });
  });

  it('answers only GET for its own host name (no DNS rebinding)', async () => {
    const { uri, token } = server.add(makeSession({ expiration: clock.now() + 60_000 }));
    assert.equal((await get(uri, { Authorization: token }, 'POST')).status, 400);
    assert.equal((await get(uri, { Authorization: token, Host: `evil.example:${server.port}` })).status, 400);
    assert.equal((await get(uri.replace('127.0.0.1', 'localhost'), { Authorization: token })).status, 200);
    assert.equal((await get(`http://127.0.0.1:${server.port}/other`, { Authorization: token })).status, 400);
  });

  it('logs no secret and no token', async () => {
    const session = makeSession({ expiration: clock.now() + 60_000 });
    const { uri, token } = server.add(session);
    await get(uri, { Authorization: token });
    for (let i = 0; i < 12; i += 1) await get(uri, { Authorization: 'x' });
    const text = log.lines.join('\n');
    for (const secret of [...getSecrets(session), token]) assert.ok(!text.includes(secret));
  });

  it('stops listening on close', async () => {
    const { uri, token } = server.add(makeSession({ expiration: clock.now() + 60_000 }));
    await server.close();
    await assert.rejects(get(uri, { Authorization: token }), /ECONNREFUSED/);
    server = await startCredentialServer({ clock });
  });
});
