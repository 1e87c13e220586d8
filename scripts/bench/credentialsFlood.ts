// Bad requests at a steady rate against the credential endpoint, from a process of its own
// (forked by credentialsLoad.ts) so the flood's client work shares no event loop with the
// fetches being timed. Each request is written raw and pipelined on a few keep-alive
// connections, a third each without a token, with a wrong token, and as a web page's
// (Sec-Fetch-* headers), so that generating 10,000 a second costs this process little.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export type FloodMessage = { kind: 'ready' } | { kind: 'done'; sent: number; answered: number; seconds: number };
export type FloodCommand = { kind: 'stop' };

const [port, path, rateText] = process.argv.slice(2);
const rate = Number(rateText);
const connections = 10;
const tickMs = 5;

function getRequests(): string[] {
  const head = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n`;
  return [
    `${head}\r\n`,
    `${head}Authorization: ${'x'.repeat(43)}\r\n\r\n`,
    `${head}Sec-Fetch-Mode: no-cors\r\nSec-Fetch-Site: same-site\r\n\r\n`,
  ];
}

async function main(): Promise<void> {
  if (!process.send || !port || !path || !(rate > 0))
    throw new Error('usage: fork credentialsFlood.ts <port> <path> <requests per second>');
  const requests = getRequests();
  let answered = 0;
  const sockets: Socket[] = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
          // Each answer starts with its status line; a tail is kept so one split across chunks counts.
          let tail = '';
          socket.on('data', (chunk: Buffer) => {
            const text = tail + chunk.toString('latin1');
            answered += text.split('HTTP/1.1 ').length - 1;
            tail = text.slice(-8);
          });
        }),
    ),
  );
  const start = performance.now();
  let sent = 0;
  let next = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) * rate) / 1000) - sent;
    const batches: string[] = sockets.map(() => '');
    for (let i = 0; i < due; i += 1) batches[(next + i) % connections] += requests[(sent + i) % requests.length];
    next = (next + due) % connections;
    sent += Math.max(0, due);
    batches.forEach((batch, i) => batch && sockets[i]!.write(batch));
  }, tickMs);
  process.send({ kind: 'ready' } satisfies FloodMessage);
  process.on('message', (message: FloodCommand) => {
    if (message.kind !== 'stop') return;
    clearInterval(timer);
    const seconds = (performance.now() - start) / 1000;
    // Answers still in flight get a moment to arrive before counting.
    setTimeout(() => {
      process.send!({ kind: 'done', sent, answered, seconds } satisfies FloodMessage, () => process.exit(0));
      sockets.forEach((s) => s.destroy());
    }, 200);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`The bench flood failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
