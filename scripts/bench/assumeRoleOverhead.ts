// "MFA entry → usable credentials" as the extension does it once the user presses Enter
// on the MFA code (SessionService.request): requestSession (pre-flight, session policy,
// AssumeRole, the session built), the secrets registered with the log and audit guards,
// the session stored (persisted as JSON to a SecretStore) and served by the loopback
// credential endpoint. The STS round trip is timed separately by an SDK middleware
// around the HTTP handler, so what is left is our own overhead.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ServiceInputTypes, type ServiceOutputTypes, type STSClient } from '@aws-sdk/client-sts';
import { type DeserializeMiddleware } from '@smithy/types';
import { type CallerIdentity } from '../../src/core/arn';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { SecretGuard } from '../../src/core/audit/secretGuard';
import { createAwsClients } from '../../src/core/awsClients';
import { type CredentialServer, startCredentialServer } from '../../src/core/credentials/credentialServer';
import { SessionStore } from '../../src/core/credentials/sessions';
import { fetchIdentity } from '../../src/core/identity';
import { type AccessResolution, resolveAccess } from '../../src/core/policy/assign';
import { parsePolicy } from '../../src/core/policy/parse';
import { type EffectiveGrant } from '../../src/core/policy/roles';
import { silentLog, systemClock, type SecretStore } from '../../src/core/ports';
import { Redactor } from '../../src/core/redact';
import { getRequestAuditFields } from '../../src/core/sts/auditedRequest';
import { requestSession, type SessionRequest } from '../../src/core/sts/broker';
import { getAssumedRoleMaxSessionSeconds } from '../../src/core/sts/duration';
import { newRequestId } from '../../src/core/sts/naming';
import { demoPolicyPath } from '../lib/paths';
import { type MfaCodePool } from './assumeRoleCodes';
import { type LocalAwsProcess } from './localAwsProcess';

/** The demo's user story: RDS read (MFA and a reason required), 30 minutes. */
const benchService = 'rds';
const benchLevel = 'read';
const benchDurationSeconds = 1800;

export interface Requester {
  name: string;
  region: string;
  sts: STSClient;
  caller: CallerIdentity;
  access: AccessResolution & { roleArn: string };
  grant: EffectiveGrant;
  /** Milliseconds spent in the HTTP handler since the last call. */
  takeRoundTripMs(): number;
  dispose(): void;
}

/**
 * Times every HTTP exchange of the client: placed right inside the deserializer, so it
 * covers sending the signed request and receiving the response head (the body, ~1.5 KB,
 * is read by the deserializer and so is counted as ours, the conservative side).
 */
function addRoundTripTimer(sts: STSClient): () => number {
  let spent = 0;
  const timer: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    const start = performance.now();
    try {
      return await next(args);
    } finally {
      spent += performance.now() - start;
    }
  };
  sts.middlewareStack.addRelativeTo(timer, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'benchRoundTripTimer',
    override: true,
  });
  return () => {
    const taken = spent;
    spent = 0;
    return taken;
  };
}

/** One demo identity signed in as the extension would be: its clients, identity and grant. */
export async function prepareRequester(aws: LocalAwsProcess, name: string): Promise<Requester> {
  const identity = aws.identities.find((i) => i.name === name);
  if (!identity) throw new Error(`The local endpoint has no demo identity '${name}'`);
  const { accessKeyId, secretAccessKey, sessionToken } = identity;
  const clients = createAwsClients({
    region: aws.region,
    endpoint: aws.url,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
  });
  const found = await fetchIdentity(clients.sts);
  if (found.kind !== 'ok') throw new Error(`GetCallerIdentity for ${name} failed: ${found.error.message}`);
  const parsed = parsePolicy(readFileSync(demoPolicyPath, 'utf8'));
  if (!parsed.ok) throw new Error(`The demo policy ${demoPolicyPath} does not parse`);
  const access = resolveAccess(parsed.policy, found.identity);
  const grant = access?.grants.find((g) => g.service === benchService && g.level === benchLevel);
  if (!access?.roleArn || !grant)
    throw new Error(`The demo policy gives ${name} no ${benchService} ${benchLevel} grant with a role ARN`);
  return {
    name,
    region: aws.region,
    sts: clients.sts,
    caller: found.identity,
    access: { ...access, roleArn: access.roleArn },
    grant,
    takeRoundTripMs: addRoundTripTimer(clients.sts),
    dispose: () => clients.dispose(),
  };
}

function toRequest(requester: Requester, mfaSerial: string, tokenCode: string): SessionRequest {
  const { access, grant, caller } = requester;
  return {
    caller,
    role: access.role,
    roleArn: access.roleArn,
    grant,
    account: caller.account,
    region: requester.region,
    durationSeconds: benchDurationSeconds,
    reason: 'bench: MFA entry to usable credentials',
    tokenCode,
    mfaSerial,
    roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(access.grants.filter((g) => g.fromRole === grant.fromRole)),
  };
}

function memorySecrets(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key),
    store: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}

export interface RequestSample {
  /** Enter → credentials served, including the STS round trip. */
  totalMs: number;
  roundTripMs: number;
  overheadMs: number;
  /** The fsync'ed "access.requested" audit append the extension awaits before AssumeRole. */
  auditMs: number;
}

interface Host {
  guard: SecretGuard;
  redactor: Redactor;
  server: CredentialServer;
  store: SessionStore;
  audit: JsonlAuditLog;
}

function registerSecrets(host: Host, secrets: readonly string[]): void {
  for (const secret of secrets) {
    host.guard.add(secret);
    host.redactor.add(secret);
  }
}

/** One request, timed like the extension's path from Enter to a served session; then revoked. */
async function timeOneRequest(
  host: Host,
  requester: Requester,
  request: SessionRequest,
  check: boolean,
): Promise<RequestSample> {
  const auditStart = performance.now();
  await host.audit.append({
    ...getRequestAuditFields(request, newRequestId()),
    event: 'access.requested',
    outcome: 'success',
  });
  const auditMs = performance.now() - auditStart;
  requester.takeRoundTripMs();
  const start = performance.now();
  const session = await requestSession({ sts: requester.sts, clock: systemClock, log: silentLog }, request);
  registerSecrets(host, [session.credentials.secretAccessKey, session.credentials.sessionToken]);
  await host.store.add(session);
  const endpoint = host.server.add(session);
  registerSecrets(host, [endpoint.token]);
  const totalMs = performance.now() - start;
  const roundTripMs = requester.takeRoundTripMs();
  if (!host.server.has(session.id)) throw new Error('The credential endpoint does not serve the new session');
  if (check) await assertServed(endpoint);
  await host.store.revoke(session.id);
  return { totalMs, roundTripMs, overheadMs: totalMs - roundTripMs, auditMs };
}

/** `warmup` unrecorded requests, then `samples` recorded ones; one MFA code each. */
export async function measureOurRequests(
  requesters: ReadonlyMap<string, Requester>,
  pool: MfaCodePool,
  counts: { warmup: number; samples: number },
): Promise<RequestSample[]> {
  const guard = new SecretGuard();
  const server = await startCredentialServer({ clock: systemClock, log: silentLog });
  const store = new SessionStore({
    secrets: memorySecrets(),
    clock: systemClock,
    log: silentLog,
    withdraw: (session, reason) => void (reason !== 'replaced' && server.remove(session.id)),
  });
  const auditDir = await mkdtemp(join(tmpdir(), 'infrawatch-bench-audit-'));
  const host: Host = {
    guard,
    redactor: new Redactor(),
    server,
    store,
    audit: await JsonlAuditLog.open({ dir: auditDir, clock: systemClock, log: silentLog, guard }),
  };
  const results: RequestSample[] = [];
  try {
    for (let i = 0; i < counts.warmup + counts.samples; i += 1) {
      const { identity, code } = await pool.next();
      const requester = requesters.get(identity.name);
      if (!requester) throw new Error(`No requester prepared for ${identity.name}`);
      const sample = await timeOneRequest(host, requester, toRequest(requester, identity.mfaSerial, code), i === 0);
      if (i >= counts.warmup) results.push(sample);
    }
    return results;
  } finally {
    store.dispose();
    await server.close();
    await host.audit.close();
    await rm(auditDir, { recursive: true, force: true });
  }
}

/** Proof that "usable" is true: the endpoint hands out the credentials AWS issued. */
async function assertServed(endpoint: { uri: string; token: string }): Promise<void> {
  const response = await fetch(endpoint.uri, { headers: { Authorization: endpoint.token } });
  const body = (await response.json()) as { AccessKeyId?: string };
  if (response.status !== 200 || !body.AccessKeyId?.startsWith('ASIA'))
    throw new Error(`The credential endpoint did not serve the new session: HTTP ${response.status}`);
}
