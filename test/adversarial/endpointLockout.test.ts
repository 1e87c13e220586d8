// Issue 9, Why 6: nobody can lock the user out of the credential endpoint. A cross-origin
// page in a real Chromium, a flood of token-less and wrong-token requests, and 600
// slowloris sockets must all leave the valid token answered; refusals reach the audit
// trail as counts per minute, never one record per request.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, type Browser } from '../../scripts/lib/browser';
import {
  startCredentialServer,
  type CredentialServer,
  type RefusalSummary,
} from '../../src/core/credentials/credentialServer';
import { FakeClock, makeSession } from '../unit/credentialsFixtures';

interface Reply {
  status: number;
  body: string;
}

function get(uri: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(uri, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A page on another origin (another port) that fires `count` no-cors fetches at `target`. */
async function startHostilePage(target: string, count: number): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><title>loading</title><script>
    const target = ${JSON.stringify(target)};
    const all = [];
    for (let i = 0; i < ${count}; i += 1) all.push(fetch(target + '?n=' + i, { mode: 'no-cors', cache: 'no-store' }).catch(() => undefined));
    for (const url of [target.replace('127.0.0.1', 'localhost'), target + '/../../other']) all.push(fetch(url, { mode: 'no-cors' }).catch(() => undefined));
    Promise.all(all).then(() => { document.title = 'done'; });
  </script>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

function totalOf(summaries: RefusalSummary[], reason?: string): number {
  return summaries.reduce(
    (sum, s) =>
      sum +
      Object.entries(s.counts)
        .filter(([r]) => reason === undefined || r === reason)
        .reduce((n, [, c]) => n + (c ?? 0), 0),
    0,
  );
}

describe('adversarial: nobody can lock the user out of the credential endpoint (issue 9, Why 6)', () => {
  let clock: FakeClock;
  let server: CredentialServer;
  let summaries: RefusalSummary[];

  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    summaries = [];
    server = await startCredentialServer({ clock, onRefused: (summary) => summaries.push(summary) });
  });
  afterEach(async () => server.close());

  describe('a cross-origin page in Chromium', () => {
    let browser: Browser | undefined;
    let hostile: Server | undefined;
    after(async () => {
      await browser?.close();
      hostile?.close();
    });

    it('firing 20 no-cors fetches is refused as a browser and leaves the valid token answered', async () => {
      const { uri, token } = server.add(makeSession({ expiration: clock.now() + 30 * 60_000 }));
      const page = await startHostilePage(uri, 20);
      hostile = page.server;
      browser = await launchBrowser();
      await browser.page.goto(page.url);
      await browser.page.waitForFunction('document.title === "done"', undefined, { timeout: 30_000 });
      const reply = await get(uri, { Authorization: token });
      assert.equal(
        reply.status,
        200,
        `after a web page's fetches the valid token got HTTP ${reply.status}: ${reply.body}`,
      );
      await server.close();
      assert.ok(
        totalOf(summaries, 'browser') >= 20,
        `the page's requests are refused as a browser's: ${JSON.stringify(summaries)}`,
      );
    });
  });

  it('token-less and wrong-token requests, any number of them, never block the valid token', async () => {
    const { uri, token } = server.add(makeSession({ expiration: clock.now() + 30 * 60_000 }));
    for (let i = 0; i < 15; i += 1) await get(uri);
    for (let i = 0; i < 15; i += 1) await get(uri, { Authorization: `guess${i}` });
    const reply = await get(uri, { Authorization: token });
    assert.equal(reply.status, 200, `after 30 bad requests the valid token got HTTP ${reply.status}: ${reply.body}`);
    // The bad ones keep their own answers: a wrong token is never told anything else.
    assert.equal((await get(uri)).status, 401);
    assert.equal((await get(uri, { Authorization: 'guess' })).status, 403);
  });

  it('requests carrying browser headers (Origin, Sec-Fetch-Site/Dest) get 403 even with the valid token', async () => {
    const { uri, token } = server.add(makeSession({ expiration: clock.now() + 30 * 60_000 }));
    const browserHeaders: Record<string, string>[] = [
      { Origin: 'http://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Dest': 'empty', 'Sec-Fetch-Mode': 'no-cors' },
    ];
    for (const header of browserHeaders) {
      const reply = await get(uri, { Authorization: token, ...header });
      assert.equal(reply.status, 403, `${Object.keys(header)[0]}: HTTP ${reply.status}`);
      assert.match(reply.body, /browser/);
    }
    assert.equal((await get(uri, { Authorization: token })).status, 200);
    // Node's own fetch sends "Sec-Fetch-Mode: cors" and nothing else of the set: a Node tool, not a page.
    assert.equal((await get(uri, { Authorization: token, 'Sec-Fetch-Mode': 'cors' })).status, 200);
  });

  it('600 slow sockets: the valid token is still served, at most 256 are held, and the slow ones are closed within seconds', async () => {
    const { uri, token } = server.add(makeSession({ expiration: clock.now() + 30 * 60_000 }));
    const opened = Date.now();
    const sockets: Socket[] = [];
    const closedAt: number[] = [];
    const connected: Promise<void>[] = [];
    let trickle = 0;
    for (let i = 0; i < 600; i += 1) {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      // Past the listen backlog the kernel answers SYNs late (a retransmit a second on).
      connected.push(new Promise((resolve) => socket.once('connect', resolve).once('close', resolve)));
      socket.once('close', () => closedAt.push(Date.now() - opened));
      socket.write(`GET /credentials/rds-read HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
      sockets.push(socket);
    }
    // A header line a second: never idle, never finished.
    const timer = setInterval(() => {
      trickle += 1;
      for (const socket of sockets) if (!socket.destroyed) socket.write(`X-Slow-${trickle}: 1\r\n`);
    }, 1_000);
    try {
      await Promise.all(connected);
      await sleep(300);
      const held = sockets.filter((s) => !s.destroyed && !s.closed).length;
      const reply = await get(uri, { Authorization: token });
      assert.equal(reply.status, 200, `with 600 slow sockets the valid token got HTTP ${reply.status}`);
      assert.ok(held <= 256, `the endpoint holds ${held} connections at once; the cap is 256`);
      const deadline = Date.now() + 12_000;
      while (closedAt.length < sockets.length && Date.now() < deadline) await sleep(200);
      assert.equal(
        closedAt.length,
        sockets.length,
        `${sockets.length - closedAt.length} of 600 slow sockets still open ${((Date.now() - opened) / 1000).toFixed(0)} s after they opened`,
      );
      assert.ok(Math.max(...closedAt) <= 10_000, `the last slow socket was closed after ${Math.max(...closedAt)} ms`);
      await server.close();
      assert.equal(
        totalOf(summaries, 'evicted') + totalOf(summaries, 'no-request'),
        600,
        `every slow socket is counted, once: ${JSON.stringify(summaries)}`,
      );
    } finally {
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    }
  });

  it('refusals reach onRefused as counts per minute per reason, never one record per request', async () => {
    const { uri, token } = server.add(makeSession({ expiration: clock.now() + 30 * 60_000 }));
    for (let i = 0; i < 10; i += 1) await get(uri);
    for (let i = 0; i < 10; i += 1) await get(uri, { Authorization: 'wrong' });
    for (let i = 0; i < 5; i += 1) await get(`${server.url}nothing-here`, { Authorization: 'wrong' });
    for (let i = 0; i < 5; i += 1) await get(uri, { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal((await get(uri, { Authorization: token })).status, 200);
    assert.equal(
      summaries.length,
      0,
      `nothing is reported before the minute ends, let alone per request: ${JSON.stringify(summaries)}`,
    );
    // The next minute's first refusal closes the last minute's count.
    const firstMinute = new Date(Math.floor(clock.now() / 60_000) * 60_000).toISOString();
    clock.advance(60_000);
    await get(uri);
    assert.equal(summaries.length, 1, `one summary for the minute: ${JSON.stringify(summaries)}`);
    assert.deepEqual(summaries[0], {
      minute: firstMinute,
      counts: { 'no-token': 10, 'bad-token': 10, 'unknown-session': 5, browser: 5 },
    });
    await server.close();
    assert.equal(summaries.length, 2, 'closing reports what the current minute counted');
    assert.deepEqual(summaries[1]?.counts, { 'no-token': 1 });
  });
});
