// The local AWS endpoint (localaws/README.md): one node:http server, one port, every service.
// Requests are routed by the SigV4 credential scope's service name; STS and CloudTrail
// (the AssumeRole events STS served, cloudtrail/handler.ts) are built in,
// CloudWatch, CloudWatch Logs, RDS, Lambda, EC2 and S3 come from services.ts, and tests
// may plug in more (or replace them) with `services` / registerService. Responses carry a
// Date header from the endpoint clock, so SDK clients correct their clock skew against it
// as they would against AWS.
// IAM Identity Center's OIDC and portal APIs and the device-approval page (sso/handler.ts) are
// unsigned and chosen by path. The control API (server/control.ts) lives under /_localaws/ on the same port. Nothing here
// logs a secret: errors name request ids and messages, never keys or tokens.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMovableClock, type MovableClock } from './clock';
import { OutageSwitch } from './outage';
import type { S3Store } from '../s3/store';
import { createCloudTrailHandler } from '../cloudtrail/handler';
import { handleControl } from './control';
import { dispatch, type DispatchTarget } from './dispatch';
import { createDemoIdentities, demoAccountId, demoRegion, seedDemoState, type DemoIdentity } from '../iam/identities';
import type { WorldRegistry } from '../demo/registry';
import { defaultServices } from './services';
import { createEmptyState, type LocalAwsState, type RoleDefinition } from './state';
import { replaceRoles, type RoleSource } from '../iam/roleSource';
import { handleSso, isSsoRequest, type SsoTarget } from '../sso/handler';
import { createSsoStore, type SsoStore } from '../sso/store';
import { createStsHandler } from '../sts/handler';
import type { ServiceHandler, ServiceResponse } from './types';

export interface StartLocalAwsOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Epoch ms the endpoint clock starts at (default: now). */
  startTime?: number;
  /** Extra or replacement handlers, by SigV4 service name (`monitoring`, `logs`, …). */
  services?: Record<string, ServiceHandler>;
  /**
   * Authorize `<prefix>:<Operation>` before each handler runs (default true), for
   * handlers that do not call ctx.authorize themselves (the built-in ones do).
   */
  autoAuthorize?: boolean;
  /** Where internal failures are reported (default: stderr). Never receives secrets. */
  onError?: (message: string) => void;
  /**
   * The JIT roles: 'demo' (default, hand-written in iam/identities.ts), 'kit' (what the IAM kit
   * generates from demo/policy.json) or the roles of a CloudFormation template (iam/templateRoles.ts).
   */
  roles?: RoleSource;
}

export interface LocalAws {
  url: string;
  port: number;
  clock: MovableClock;
  identities: DemoIdentity[];
  accountId: string;
  region: string;
  state: LocalAwsState;
  /** The demo data behind CloudWatch and Logs (one world per account and region). */
  demoWorlds: WorldRegistry;
  /** The buckets and objects S3 serves (the demo policy bucket among them). */
  s3: S3Store;
  /** Services switched "down" (also POST /_localaws/outage). */
  outages: OutageSwitch;
  /** IAM Identity Center: OIDC clients, device authorizations, tokens and portal sessions. */
  sso: SsoStore;
  registerService(name: string, handler: ServiceHandler): void;
  /** Replaces every role with those of `source` (also POST /_localaws/roles); returns them. */
  loadRoles(source: RoleSource): RoleDefinition[];
  close(): Promise<void>;
}

const maxBodyBytes = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(res: ServerResponse, response: ServiceResponse, now: number): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  res.writeHead(response.status, {
    ...response.headers,
    date: new Date(now).toUTCString(),
    'content-length': body.length,
  });
  res.end(body);
}

async function route(
  target: DispatchTarget & { control: Parameters<typeof handleControl>[0]; sso: SsoTarget },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  const method = req.method ?? 'GET';
  const headers = headerRecord(req);
  const response = rawPath.startsWith('/_localaws/')
    ? handleControl(target.control, method, rawPath.slice('/_localaws/'.length), body, query)
    : isSsoRequest(rawPath, headers)
      ? handleSso(target.sso, { method, rawPath, query, headers, body }, target.now())
      : await dispatch(target, { method, rawPath, query, headers, body });
  send(res, response, target.now());
}

export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAws> {
  const clock = createMovableClock(options.startTime);
  const identities = createDemoIdentities(clock.now());
  const state = createEmptyState(demoAccountId, demoRegion);
  seedDemoState(state, identities);
  const loadRoles = (source: RoleSource) => replaceRoles(state, identities, source);
  if (options.roles !== undefined) loadRoles(options.roles);
  const defaults = defaultServices(clock.now());
  const cloudtrail = createCloudTrailHandler(state);
  const services = new Map<string, ServiceHandler>([
    ['sts', createStsHandler(state)],
    ['cloudtrail', cloudtrail],
    ...Object.entries(defaults.handlers),
    ...Object.entries(options.services ?? {}),
  ]);
  const onError = options.onError ?? ((message: string) => process.stderr.write(`[localaws] ${message}\n`));
  const selfAuthorizing = new WeakSet<ServiceHandler>([...Object.values(defaults.handlers), cloudtrail]);
  const outages = new OutageSwitch();
  const sso = createSsoStore();
  const target = {
    state,
    now: () => clock.now(),
    services,
    selfAuthorizing,
    autoAuthorize: options.autoAuthorize ?? true,
    outages,
    onError,
    control: { clock, state, identities, outages, worlds: defaults.worlds, loadRoles, sso },
    sso: { store: sso, state, identities },
  };
  const server = createServer((req, res) => {
    route(target, req, res).catch((error: unknown) => {
      onError(`connection failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    clock,
    identities,
    accountId: demoAccountId,
    region: demoRegion,
    state,
    demoWorlds: defaults.worlds,
    s3: defaults.s3,
    outages,
    sso,
    registerService: (name, handler) => void services.set(name, handler),
    loadRoles,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
