// The client-compatibility suite: every AWS client users have, as a separate process, with
// exactly the environment an InfraWatch terminal gets and exactly the one a debug launch
// gets, in each delivery mode, from an editor with no AWS variables and from one with
// standing keys. Each scenario: the session's role is who the client is; a call outside
// the session's service is denied; a Renew reaches a process that was already running
// (SDKs) or the next command (CLIs); after Revoke and after expiry the client fails with
// the endpoint's own message. The results are printed as the README's matrix.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FetchFailure } from '../../src/core/credentials/credentialServer';
import { type EnvironmentTarget } from '../../src/core/credentials/environment';
import { type Session } from '../../src/core/session';
import { getClients, type Client, type ClientId, type Op, type OpResult } from './clients';
import { modes, getSettingsFor, startDelivery, type Delivery, type Mode } from './delivery';
import { printMatrix, type MatrixRow } from './matrix';
import { createCleanParent, createStandingParent, startWorld, type Parent, type World } from './world';

const minute = 60_000;
const revokedMessage = 'This InfraWatch session was revoked';
const expiredMessage = 'This InfraWatch session has expired';
const noTokenMessage = 'sent no InfraWatch token';
const secretNames = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/** The session as served, expiring in `ms`: SDKs refresh credentials this close to expiry. */
function servedUntil(session: Session, ms: number, id = session.id): Session {
  return { ...session, id, credentials: { ...session.credentials, expiration: Date.now() + ms } };
}

function describeResult(result: OpResult | undefined): string {
  return JSON.stringify(result);
}

function assertIdentity(result: OpResult | undefined, session: Session, when: string): void {
  assert.ok(result?.ok, `${when}: get-caller-identity failed: ${describeResult(result)}`);
  assert.equal(result.arn, session.assumedRoleArn, `${when}: the client is not the session's role`);
}

function assertAllowedAndDenied(results: OpResult[]): void {
  const allowed = results.find((r) => r.op === 'allowed');
  const denied = results.find((r) => r.op === 'denied');
  assert.ok(allowed?.ok, `rds describe-db-instances (in the session's scope) failed: ${describeResult(allowed)}`);
  assert.ok(
    denied && !denied.ok,
    `ec2 describe-instances (outside the session's service) was not refused: ${describeResult(denied)}`,
  );
  assert.match(denied.code ?? '', /AccessDenied|UnauthorizedOperation/, describeResult(denied));
}

/** The client fails, and the endpoint refused it for `reason` (with its message shown where the client shows it). */
async function assertRefused(
  s: Scenario,
  env: Record<string, string>,
  reason: FetchFailure,
  message: string,
  when: string,
): Promise<void> {
  const before = s.delivery.refusals.length;
  const [result] = await s.client.run(['identity'], env);
  assert.ok(result && !result.ok, `${when}: the client still got credentials: ${describeResult(result)}`);
  assert.ok(
    s.delivery.refusals.slice(before).includes(reason),
    `${when}: the endpoint did not refuse it as ${reason} (refusals: ${s.delivery.refusals.slice(before).join(', ') || 'none'}): ${result.error}`,
  );
  if (s.client.showsEndpointMessage) {
    assert.ok(
      result.error?.includes(message),
      `${when}: the client's error does not carry InfraWatch's message "${message}": ${result.error}`,
    );
  }
}

function refusedAs(client: Client, what: string): string {
  return client.showsEndpointMessage
    ? `fails: "${what}"`
    : `fails (the SDK shows only "Could not load credentials from any providers")`;
}

/** Runs identity, allowed, denied in one long-lived process if the client has one, else as commands. */
async function startWork(client: Client, env: Record<string, string>) {
  const process = client.start?.(env);
  const ask = async (ops: Op[]): Promise<OpResult[]> => {
    if (!process) return client.run(ops, env);
    const results: OpResult[] = [];
    for (const op of ops) results.push(await process.ask(op));
    return results;
  };
  return { ask, longLived: process !== undefined, stop: () => process?.stop() };
}

/**
 * SDKs refresh credentials close to their expiry, some in the background while the old
 * ones (still valid) sign the call at hand (SDK v3): every call must succeed, and within
 * a few calls the renewed credentials must be the ones in use.
 */
async function askUntilRenewed(
  work: Awaited<ReturnType<typeof startWork>>,
  renewed: Session,
): Promise<OpResult | undefined> {
  let last: OpResult | undefined;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    [last] = await work.ask(['identity']);
    assert.ok(last?.ok, `after Renew, call ${attempt + 1} failed: ${describeResult(last)}`);
    if (last.arn === renewed.assumedRoleArn) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return last;
}

interface Scenario {
  world: World;
  client: Client;
  parent: Parent;
  target: EnvironmentTarget;
  mode: Mode;
  delivery: Delivery;
  row: MatrixRow;
}

async function endpointScenario(s: Scenario): Promise<void> {
  const { world, client, delivery, row } = s;
  const first = servedUntil(world.first, 4 * minute);
  const env = await delivery.environmentFor(first);
  if (!client.usesEndpoint) {
    const [result] = await client.run(['identity'], env);
    assert.ok(
      result && !result.ok,
      `a client without container-endpoint support got credentials: ${describeResult(result)}`,
    );
    assert.equal(delivery.refusals.length, 0, 'it never asks the endpoint');
    row.works = 'no: cannot read AWS_CONTAINER_CREDENTIALS_FULL_URI (use environment delivery)';
    return;
  }
  if (s.mode === 'endpoint, token file' && !client.readsTokenFile) {
    await assertRefused(s, env, 'no-token', noTokenMessage, 'a client that cannot read the token file');
    row.works = 'no: refused, "set infrawatch.endpointToken to variable"';
    return;
  }
  const work = await startWork(client, env);
  try {
    const results = await work.ask(['identity', 'allowed', 'denied']);
    assertIdentity(results[0], first, 'first call');
    assertAllowedAndDenied(results);
    row.works = 'yes';
    await delivery.environmentFor(servedUntil(world.renewed, 60 * minute, first.id));
    const renewed = await askUntilRenewed(work, world.renewed);
    assertIdentity(
      renewed,
      world.renewed,
      work.longLived ? 'the same process after Renew' : 'the next command after Renew',
    );
    row.renews = work.longLived ? 'yes, running process' : 'yes, next command';
  } finally {
    work.stop();
  }
  delivery.server.remove(first.id, 'revoked');
  await delivery.tokenFiles.retire(`${delivery.server.url}rds-read`);
  await assertRefused(s, env, 'revoked', revokedMessage, 'after Revoke');
  row.afterRevoke = refusedAs(client, 'was revoked');
  const later = servedUntil(world.first, 4 * minute, `${first.id}x`);
  const laterEnv = await delivery.environmentFor(later);
  delivery.advance(5 * minute);
  await assertRefused(s, laterEnv, 'expired', expiredMessage, 'after expiry');
  row.afterExpiry = refusedAs(client, 'has expired');
}

async function environmentScenario(s: Scenario): Promise<void> {
  const { world, client, delivery, row } = s;
  const env = await delivery.environmentFor(world.first);
  const work = await startWork(client, env);
  let viaEndpoint = false;
  try {
    const results = await work.ask(['identity', 'allowed', 'denied']);
    assertIdentity(results[0], world.first, 'first call');
    assertAllowedAndDenied(results);
    row.works = 'yes';
    await delivery.environmentFor({ ...world.renewed, id: world.first.id });
    const [after] = await work.ask(['identity']);
    assert.ok(after?.ok, `after Renew: ${describeResult(after)}`);
    // The keys are fixed in the process environment; only a client that went to the
    // endpoint (SDK v3 when the editor's AWS_PROFILE had to stay) sees the renewal, when
    // it next refreshes.
    viaEndpoint = delivery.served() > 0;
    row.renews = viaEndpoint ? 'yes, through the endpoint at its next refresh' : 'new terminals only';
  } finally {
    work.stop();
  }
  delivery.server.remove(world.first.id, 'revoked');
  const before = delivery.refusals.length;
  const [revoked] = await client.run(['identity'], env);
  // Keys in the environment stay valid at AWS until they expire; only a client that went
  // to the endpoint (see renews) is refused.
  assert.ok(
    revoked?.ok || delivery.refusals.slice(before).includes('revoked'),
    `after Revoke: ${describeResult(revoked)}`,
  );
  row.afterRevoke = revoked?.ok ? 'works until expiry (keys in env)' : refusedAs(client, 'was revoked');
  const skip = world.first.credentials.expiration - world.aws.clock.now() + 1000;
  world.aws.clock.advance(skip);
  try {
    const [expired] = await client.run(['identity'], env);
    assert.ok(expired && !expired.ok, `after expiry: ${describeResult(expired)}`);
    // A client that goes to the endpoint was already refused at Revoke.
    if (!viaEndpoint) assert.match(expired.error ?? '', /ExpiredToken|expired/i, describeResult(expired));
    row.afterExpiry = viaEndpoint ? 'fails (refused by the endpoint)' : 'fails: ExpiredToken from AWS';
  } finally {
    world.aws.clock.advance(-skip);
  }
}

function assertNoSecretNames(env: Record<string, string>, parent: Parent, mode: Mode): void {
  if (mode === 'environment') return;
  for (const name of secretNames) {
    if (parent.env[name] === undefined)
      assert.equal(env[name], undefined, `${name} appears in the environment though the editor had none`);
  }
  if (mode === 'endpoint, token file')
    assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN, undefined, 'the token is in the environment');
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('AWS_') && value === '' && parent.env[name] === undefined)
      assert.fail(`${name} is set empty though the editor had none`);
  }
}

/** Defines the suite for some clients; each test/clients/*.test.ts file takes a few, so files run in parallel. */
export function defineClientSuite(ids: readonly ClientId[]): void {
  describeClients(getClients(ids), ids.join('-'));
}

function describeClients(clients: Client[], matrixPart: string): void {
  describe('AWS clients in InfraWatch terminals and debug launches', function () {
    this.timeout(180_000);
    const rows: MatrixRow[] = [];
    let world: World;
    let root: string;
    const parents: Parent[] = [];

    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'iw-clients-'));
      world = await startWorld();
      parents.push(await createCleanParent(root), await createStandingParent(root));
    });
    after(async () => {
      printMatrix(matrixPart, rows);
      await world?.close();
      if (root) await rm(root, { recursive: true, force: true });
    });

    for (const client of clients) {
      describe(client.name, () => {
        before(function () {
          if (client.missing) {
            console.log(`      ${client.name}: not run: ${client.missing}`);
            this.skip();
          }
        });
        for (const parentIndex of [0, 1]) {
          for (const target of ['collection', 'process'] as const) {
            for (const mode of modes) {
              const where = target === 'collection' ? 'terminal' : 'debug launch';
              const from = parentIndex === 0 ? 'clean editor' : 'editor with standing keys';
              it(`${mode} · ${where} · ${from}`, async () => {
                const parent = parents[parentIndex]!;
                const row: MatrixRow = {
                  client: client.name,
                  mode,
                  where,
                  from,
                  works: '—',
                  renews: '—',
                  afterRevoke: '—',
                  afterExpiry: '—',
                };
                rows.push(row);
                const dir = await mkdtemp(join(root, 'delivery-'));
                const delivery = await startDelivery({
                  dir,
                  parent,
                  target,
                  settings: getSettingsFor(mode, world.aws.url),
                });
                try {
                  const scenario = { world, client, parent, target, mode, delivery, row };
                  assertNoSecretNames(
                    await delivery.environmentFor(servedUntil(world.first, 4 * minute, 'probe')),
                    parent,
                    mode,
                  );
                  delivery.server.remove('probe');
                  await (mode === 'environment' ? environmentScenario(scenario) : endpointScenario(scenario));
                } finally {
                  await delivery.close();
                }
              });
            }
          }
        }
      });
    }
  });
}
