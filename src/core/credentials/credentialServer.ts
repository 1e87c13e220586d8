// The loopback credential endpoint. Terminals and debuggees point the AWS
// container credential provider at it, so the secret never sits in their environment and
// revoke or expiry takes effect on the next fetch. Loopback only, one bearer token per
// session, constant-time comparison, browser requests refused.
// The hot path does one map lookup, one SHA-256 and writes a body built at add() time.
//
// Nothing a bad request does can keep the valid token from being answered. There is no
// failure limiter: a token is 256 random bits, so guessing it is hopeless at any rate, and
// a limiter that refuses the valid token during a block only hands a denial of service to
// any local process or web page; one that keeps answering it cannot stop guessing either.
// Bad requests are counted per minute instead (onRefused), for the audit trail.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { InfraWatchError } from '../errors';
import { silentLog, systemClock, type Clock, type Log } from '../ports';
import { type Session } from '../session';
import { ConnectionCap } from './connectionCap';
import { getContainerCredentialsBody } from './containerCredentials';
import { RefusalTally, type RefusalReason, type RefusalSummary } from './refusalTally';
import { createBearerToken, getTokenDigest, isTokenMatch } from './tokens';

export { type RefusalReason, type RefusalSummary } from './refusalTally';

/** Refusals answered over HTTP. */
export type FetchFailure = Exclude<RefusalReason, 'no-request' | 'evicted'>;

/** Why a session stopped being served: said to the next client that asks with its token. */
export type EndReason = 'revoked' | 'expired';

export interface CredentialServerOptions {
  clock?: Clock;
  log?: Log;
  /**
   * Every fetch as it happens, served or refused (sessionId '' when no session was named):
   * for counters and tests. Audit only served ones here; refusals reach the audit trail
   * through onRefused, so a flood of bad requests cannot flood it.
   */
  onFetch?(sessionId: string, ok: boolean, reason?: FetchFailure): void;
  /**
   * Refused requests and unanswered connections, counted per minute and reason: called once
   * a minute at most (when the minute is over, or at close), never once per request.
   */
  onRefused?(summary: RefusalSummary): void;
  /** Open connections at most; at the cap a new one closes an old one. Default 256. */
  maxConnections?: number;
  /** Header, request and idle timeouts. Default 5 s: a real client sends at once. */
  timeoutMs?: number;
}

export interface CredentialEndpoint {
  /** The value for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  uri: string;
  /** The value for AWS_CONTAINER_AUTHORIZATION_TOKEN. Secret. */
  token: string;
}

export interface CredentialServer {
  /** Base address: http://127.0.0.1:<port>/credentials/ */
  readonly url: string;
  readonly port: number;
  /** Serves a session at a new token; replaces whatever served the same service and level. */
  add(session: Session): CredentialEndpoint;
  /** Serves renewed credentials at the same address and token, so open terminals keep working. */
  renew(session: Session): CredentialEndpoint;
  /** Stops serving a session at once; false when it was not served. */
  remove(sessionId: string, reason?: EndReason): boolean;
  has(sessionId: string): boolean;
  close(): Promise<void>;
}

/** What is left of a session no longer served: its token's digest and why it ended. */
interface Ended {
  digest: Buffer;
  reason: EndReason;
}

interface Entry {
  sessionId: string;
  digest: Buffer;
  body: Buffer;
  expiration: number;
  endpoint: CredentialEndpoint;
}

const pathPrefix = '/credentials/';

function errorBody(code: string, message: string): Buffer {
  return Buffer.from(JSON.stringify({ Code: code, Message: message }), 'utf8');
}

const refusals: Record<FetchFailure, { status: number; body: Buffer }> = {
  'unknown-session': {
    status: 404,
    body: errorBody(
      'NotFound',
      'No InfraWatch session is served here: it was revoked or has expired. Request access again.',
    ),
  },
  revoked: {
    status: 403,
    body: errorBody(
      'AccessDenied',
      'This InfraWatch session was revoked. Run "InfraWatch: Request Access" in the editor to get access again.',
    ),
  },
  // Clients from before late 2023 (Debian 12's AWS CLI 2.9, Go SDK v2 1.17, Ruby SDK 3.168)
  // ignore AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE and send nothing: say how to fix it.
  'no-token': {
    status: 401,
    body: errorBody(
      'AccessDenied',
      'This AWS client sent no InfraWatch token: it cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (clients released before late 2023). Update it, or set "infrawatch.endpointToken" to "variable".',
    ),
  },
  'bad-token': {
    status: 403,
    body: errorBody('AccessDenied', 'The authorization token does not match this InfraWatch session.'),
  },
  expired: {
    status: 403,
    body: errorBody(
      'ExpiredToken',
      'This InfraWatch session has expired. Run "InfraWatch: Request Access" (or Renew) in the editor to get access again.',
    ),
  },
  browser: {
    status: 403,
    body: errorBody(
      'AccessDenied',
      'Requests from a web browser are refused: this endpoint serves AWS clients on this machine only.',
    ),
  },
  'bad-request': { status: 400, body: errorBody('BadRequest', 'Only GET from this machine is served.') },
};

/** Path segment for one service and level: at most one session each (getSessionKey). */
function getSlug(session: Session): string {
  return `${session.service}-${session.level}`;
}

function reply(res: ServerResponse, status: number, body: Buffer, extra?: Record<string, string>): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
}

class LoopbackCredentialServer implements CredentialServer {
  url = '';
  port = 0;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly tally: RefusalTally;
  private readonly connections: ConnectionCap;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly slugsById = new Map<string, string>();
  /** One per address at most (replaced when the address is served again): bounded. */
  private readonly ended = new Map<string, Ended>();
  private readonly server: Server;
  private hosts: readonly string[] = [];

  constructor(private readonly options: CredentialServerOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLog;
    this.tally = new RefusalTally(this.clock);
    this.connections = new ConnectionCap(options.maxConnections ?? 256, (evicted) =>
      this.count(evicted ? 'evicted' : 'no-request'),
    );
    // Node's defaults let a socket sit 60 s on unfinished headers (checked every 30 s) and
    // forever when idle; an AWS client sends its request at once, so seconds are plenty.
    const timeoutMs = options.timeoutMs ?? 5_000;
    this.server = createServer(
      {
        keepAliveTimeout: timeoutMs,
        headersTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        connectionsCheckingInterval: Math.min(1_000, timeoutMs),
      },
      (req, res) => this.handle(req, res),
    );
    this.server.timeout = timeoutMs;
    this.server.on('connection', (socket: Socket) => this.connections.admit(socket));
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (error) =>
        reject(
          new InfraWatchError('Network', `Starting the credential endpoint failed: ${error.message}`, { cause: error }),
        ),
      );
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.hosts = [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    this.url = `http://127.0.0.1:${this.port}${pathPrefix}`;
    this.log.info(`Credential endpoint listening on ${this.url}`);
  }

  add(session: Session): CredentialEndpoint {
    return this.serve(session, { uri: `${this.url}${getSlug(session)}`, token: createBearerToken() });
  }

  renew(session: Session): CredentialEndpoint {
    const current = this.entries.get(getSlug(session));
    return current === undefined ? this.add(session) : this.serve(session, current.endpoint);
  }

  remove(sessionId: string, reason: EndReason = 'revoked'): boolean {
    const slug = this.slugsById.get(sessionId);
    const entry = slug === undefined ? undefined : this.entries.get(slug);
    if (slug === undefined || entry === undefined) return false;
    this.drop(slug, entry, reason);
    return true;
  }

  has(sessionId: string): boolean {
    return this.slugsById.has(sessionId);
  }

  close(): Promise<void> {
    this.entries.clear();
    this.slugsById.clear();
    this.ended.clear();
    return new Promise<void>((resolve) => {
      this.server.close(() => {
        // After every socket closed, so their counts are in the last summary.
        clearTimeout(this.flushTimer);
        this.report(this.tally.take());
        resolve();
      });
      this.server.closeAllConnections();
    });
  }

  private serve(session: Session, endpoint: CredentialEndpoint): CredentialEndpoint {
    const slug = getSlug(session);
    const previous = this.entries.get(slug);
    if (previous !== undefined) this.slugsById.delete(previous.sessionId);
    const digest = getTokenDigest(endpoint.token);
    const body = getContainerCredentialsBody(session);
    this.entries.set(slug, {
      sessionId: session.id,
      digest,
      body,
      expiration: session.credentials.expiration,
      endpoint,
    });
    this.slugsById.set(session.id, slug);
    this.ended.delete(slug);
    return endpoint;
  }

  private drop(slug: string, entry: Entry, reason: EndReason): void {
    this.entries.delete(slug);
    this.slugsById.delete(entry.sessionId);
    this.ended.set(slug, { digest: entry.digest, reason });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.connections.answered(req.socket);
    const { headers } = req;
    // A web page can reach 127.0.0.1 (fetch with mode 'no-cors', <img>, a form): browsers
    // mark such requests with Origin or Sec-Fetch-* headers (Fetch Metadata,
    // https://www.w3.org/TR/fetch-metadata/; Chromium 76+, Firefox 90+, Safari 16.4+),
    // while the AWS SDKs' and CLI's container credential providers never send them.
    // Sec-Fetch-Mode alone is not a browser: Node's own fetch (undici) sends "cors".
    if (
      headers.origin !== undefined ||
      headers['sec-fetch-site'] !== undefined ||
      headers['sec-fetch-dest'] !== undefined
    ) {
      return this.refuse(res, '', 'browser');
    }
    const url = req.url ?? '';
    // The Host check defeats DNS rebinding: a web page cannot make its host 127.0.0.1:<port>.
    if (req.method !== 'GET' || !this.hosts.includes(headers.host ?? '') || !url.startsWith(pathPrefix)) {
      return this.refuse(res, '', 'bad-request');
    }
    const query = url.indexOf('?');
    const slug = url.slice(pathPrefix.length, query === -1 ? undefined : query);
    const entry = this.entries.get(slug);
    if (entry === undefined) return this.refuseEnded(req, res, slug);
    if (!isTokenMatch(headers.authorization, entry.digest))
      return this.refuse(res, entry.sessionId, headers.authorization === undefined ? 'no-token' : 'bad-token');
    if (this.clock.now() >= entry.expiration) {
      this.drop(slug, entry, 'expired');
      return this.refuse(res, entry.sessionId, 'expired');
    }
    reply(res, 200, entry.body);
    this.notify(entry.sessionId, true);
  }

  /** A client still holding an ended session's token learns why it ended; anyone else learns nothing. */
  private refuseEnded(req: IncomingMessage, res: ServerResponse, slug: string): void {
    const ended = this.ended.get(slug);
    const known = ended !== undefined && isTokenMatch(req.headers.authorization, ended.digest);
    this.refuse(res, '', known ? ended.reason : 'unknown-session');
  }

  private refuse(res: ServerResponse, sessionId: string, reason: FetchFailure): void {
    const { status, body } = refusals[reason];
    reply(res, status, body);
    this.count(reason);
    this.notify(sessionId, false, reason);
  }

  private count(reason: RefusalReason): void {
    const ended = this.tally.add(reason);
    if (ended) this.report(ended);
    if (this.flushTimer === undefined) {
      // Reports the minute even if no later refusal comes to close it.
      const delay = Math.max(0, (this.tally.getMinuteEnd() ?? 0) - this.clock.now()) + 100;
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.report(this.tally.takeEnded());
      }, delay).unref();
    }
  }

  private report(summary: RefusalSummary | undefined): void {
    if (summary === undefined) return;
    const counts = Object.entries(summary.counts)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    const browser = summary.counts.browser ? ' A web page tried to reach it.' : '';
    this.log[browser ? 'warn' : 'info'](
      `Credential endpoint: refused in the minute from ${summary.minute}: ${counts}.${browser}`,
    );
    try {
      this.options.onRefused?.(summary);
    } catch (error) {
      this.log.error(
        `Credential endpoint: the refusal listener failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private notify(sessionId: string, ok: boolean, reason?: FetchFailure): void {
    try {
      this.options.onFetch?.(sessionId, ok, reason);
    } catch (error) {
      this.log.error(
        `Credential endpoint: the fetch listener failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Starts the endpoint on 127.0.0.1 at a random free port. */
export async function startCredentialServer(options: CredentialServerOptions = {}): Promise<CredentialServer> {
  const server = new LoopbackCredentialServer(options);
  await server.listen();
  return server;
}
