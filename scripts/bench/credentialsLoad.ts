// Load on the loopback credential endpoint (budget: ≥ 5,000 fetches/s on one core,
// p99 under 2 ms). The endpoint runs in its own process (credentialsServerProcess.ts);
// this process is the clients: N loops, each with one request in flight at a time on a
// keep-alive connection, sending the real bearer token. The endpoint's own CPU time is
// read before and after, so fetches per CPU-second of the endpoint is known even when
// the client, not the endpoint, is what limits the rate.
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FloodCommand, type FloodMessage } from './credentialsFlood';
import { type ParentMessage, type ServerMessage } from './credentialsServerProcess';

export interface LoadRun {
  clients: number;
  fetches: number;
  wallMs: number;
  /** Milliseconds per fetch: sent (when paced and behind schedule: due) → body read. */
  latenciesMs: number[];
  /** CPU time the endpoint process spent during the run (user + system). */
  serverCpuMs: number;
  /** The paced runs' offered rate, fetches/s. */
  offeredPerSecond?: number;
}

interface ServerHandle {
  uri: URL;
  token: string;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

function nextMessage<M extends { kind: string }, K extends M['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<M, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: M): void => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<M, { kind: K }>);
    };
    const onExit = (code: number | null): void =>
      reject(new Error(`The bench credential endpoint exited (${code}) before answering '${kind}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startServerProcess(withAudit: boolean): Promise<ServerHandle> {
  const child = fork(join(__dirname, 'credentialsServerProcess.ts'), withAudit ? ['--audit'] : [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage<ServerMessage, 'ready'>(child, 'ready');
  const send = (message: ParentMessage): boolean => child.send(message);
  return {
    uri: new URL(ready.uri),
    token: ready.token,
    async cpuMs() {
      const answer = nextMessage<ServerMessage, 'cpu'>(child, 'cpu');
      send({ kind: 'cpu' });
      const { userMicros, systemMicros } = await answer;
      return (userMicros + systemMicros) / 1000;
    },
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ kind: 'stop' });
      await Promise.race([exited, sleep(5_000).then(() => void child.kill('SIGKILL'))]);
    },
  };
}

/** One GET; resolves with the status and the body once it is fully read. */
function fetchOnce(agent: Agent, uri: URL, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, hostname: uri.hostname, port: uri.port, path: uri.pathname, headers: { Authorization: token } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface LoadPlan {
  clients: number;
  durationMs: number;
  /** Total fetches per second offered, spread evenly over the clients; absent: as fast as answered. */
  ratePerSecond?: number;
}

async function clientLoop(
  agent: Agent,
  server: ServerHandle,
  plan: LoadPlan,
  index: number,
  end: number,
  latencies: number[],
): Promise<void> {
  const interval = plan.ratePerSecond ? (1000 * plan.clients) / plan.ratePerSecond : 0;
  let due = performance.now() + (interval * index) / plan.clients;
  while (performance.now() < end) {
    let start = performance.now();
    if (interval > 0 && due > start) {
      await sleep(due - start);
      // A timer firing late is this process's delay, not the endpoint's: time from the send.
      start = performance.now();
    } else if (interval > 0) {
      // Behind schedule because earlier answers were slow: the wait since due is the endpoint's.
      start = due;
    }
    const { status } = await fetchOnce(agent, server.uri, server.token);
    if (status !== 200) throw new Error(`The credential endpoint answered HTTP ${status} under load`);
    latencies.push(performance.now() - start);
    due += interval;
  }
}

async function runLoad(server: ServerHandle, plan: LoadPlan): Promise<LoadRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.clients, maxFreeSockets: plan.clients });
  try {
    // Warm-up: open every connection and let both processes' JIT settle before timing.
    await Promise.all(
      Array.from({ length: plan.clients }, (_, i) =>
        clientLoop(agent, server, { ...plan, durationMs: 500 }, i, performance.now() + 500, []),
      ),
    );
    const latenciesMs: number[] = [];
    const cpuBefore = await server.cpuMs();
    const start = performance.now();
    const end = start + plan.durationMs;
    await Promise.all(
      Array.from({ length: plan.clients }, (_, i) => clientLoop(agent, server, plan, i, end, latenciesMs)),
    );
    const wallMs = performance.now() - start;
    const serverCpuMs = (await server.cpuMs()) - cpuBefore;
    return {
      clients: plan.clients,
      fetches: latenciesMs.length,
      wallMs,
      latenciesMs,
      serverCpuMs,
      ...(plan.ratePerSecond ? { offeredPerSecond: plan.ratePerSecond } : {}),
    };
  } finally {
    agent.destroy();
  }
}

/** Bad requests (no token, wrong token, a web page's) offered at a steady rate from another process. */
async function startFlood(
  uri: URL,
  ratePerSecond: number,
): Promise<{ stop(): Promise<Extract<FloodMessage, { kind: 'done' }>> }> {
  const child = fork(join(__dirname, 'credentialsFlood.ts'), [uri.port, uri.pathname, String(ratePerSecond)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await nextMessage<FloodMessage, 'ready'>(child, 'ready');
  return {
    async stop() {
      const done = nextMessage<FloodMessage, 'done'>(child, 'done');
      child.send({ kind: 'stop' } satisfies FloodCommand);
      return done;
    },
  };
}

export interface FloodedRun extends LoadRun {
  /** Bad requests offered and answered per second while the run's valid fetches were timed. */
  badOfferedPerSecond: number;
  badAnsweredPerSecond: number;
}

export interface CredentialEndpointBench {
  /** As many fetches as 50 keep-alive clients get answered. */
  concurrent: LoadRun;
  /** The same 50 clients offering 5,000 fetches/s between them. */
  paced: LoadRun;
  single: LoadRun;
  /** 1 client with the valid token while 10,000 bad requests a second arrive. */
  flooded: FloodedRun;
  /** 50 clients again, with the extension's per-fetch audit record written to a JSONL file. */
  audited: LoadRun;
}

async function checkServed(server: ServerHandle): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  const { status, body } = await fetchOnce(agent, server.uri, server.token);
  const parsed = JSON.parse(body) as { AccessKeyId?: string; Token?: string };
  if (status !== 200 || !parsed.AccessKeyId?.startsWith('ASIA') || !parsed.Token)
    throw new Error(`The bench credential endpoint does not serve its session: HTTP ${status}`);
}

async function runFlooded(server: ServerHandle, durationMs: number, badPerSecond: number): Promise<FloodedRun> {
  const flood = await startFlood(server.uri, badPerSecond);
  const run = await runLoad(server, { clients: 1, durationMs });
  const { sent, answered, seconds } = await flood.stop();
  return { ...run, badOfferedPerSecond: sent / seconds, badAnsweredPerSecond: answered / seconds };
}

export async function measureCredentialEndpoint(
  options: { clients: number; durationMs: number; pacedRate: number; badRate: number } = {
    clients: 50,
    durationMs: 3_000,
    pacedRate: 5_000,
    badRate: 10_000,
  },
): Promise<CredentialEndpointBench> {
  const server = await startServerProcess(false);
  let runs: Omit<CredentialEndpointBench, 'audited'>;
  try {
    await checkServed(server);
    const concurrent = await runLoad(server, { clients: options.clients, durationMs: options.durationMs });
    const paced = await runLoad(server, {
      clients: options.clients,
      durationMs: options.durationMs,
      ratePerSecond: options.pacedRate,
    });
    const single = await runLoad(server, { clients: 1, durationMs: Math.min(2_000, options.durationMs) });
    const flooded = await runFlooded(server, options.durationMs, options.badRate);
    runs = { concurrent, paced, single, flooded };
  } finally {
    await server.stop();
  }
  const auditing = await startServerProcess(true);
  try {
    return { ...runs, audited: await runLoad(auditing, { clients: options.clients, durationMs: options.durationMs }) };
  } finally {
    await auditing.stop();
  }
}
