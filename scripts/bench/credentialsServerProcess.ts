// The loopback credential endpoint in a process of its own (started by credentialsLoad.ts
// with fork), so the load generator's HTTP client work does not share its core and the
// CPU it spends per fetch can be read from process.cpuUsage(). It serves one session with
// credentials shaped like STS's (random, worthless). With `--audit`, every fetch also
// appends a "credentials.fetched" record to a JSONL audit file, as the extension does.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlAuditLog } from '../../src/core/audit/jsonlAuditLog';
import { startCredentialServer, type CredentialServerOptions } from '../../src/core/credentials/credentialServer';
import { silentLog, systemClock } from '../../src/core/ports';
import { getSessionAuditFields, type Session } from '../../src/core/session';

export type ServerMessage =
  | { kind: 'ready'; uri: string; token: string; port: number }
  | { kind: 'cpu'; userMicros: number; systemMicros: number };

export type ParentMessage = { kind: 'cpu' } | { kind: 'stop' };

function benchSession(): Session {
  const id = randomBytes(4).toString('hex');
  const now = Date.now();
  return {
    id,
    service: 'rds',
    level: 'read',
    account: '111122223333',
    region: 'us-east-1',
    roleArn: 'arn:aws:iam::111122223333:role/InfraWatch-Employee',
    assumedRoleArn: `arn:aws:sts::111122223333:assumed-role/InfraWatch-Employee/erin.employee-${id}`,
    sessionName: `erin.employee-${id}`,
    sourceIdentity: 'erin.employee',
    requestedBy: 'arn:aws:iam::111122223333:user/erin.employee',
    role: 'Employee',
    reason: 'bench',
    durationSeconds: 3600,
    grantedAt: now,
    policy: '{"Version":"2012-10-17","Statement":[]}',
    credentials: {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      // Real STS session tokens run to several hundred characters; the body size matters here.
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(600).toString('base64')}`,
      expiration: now + 3_600_000,
    },
  };
}

/** The extension's fetch listener (SessionService.getServer), writing to a temp audit file. */
async function auditListener(
  session: Session,
): Promise<{ onFetch: NonNullable<CredentialServerOptions['onFetch']>; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'infrawatch-bench-fetch-audit-'));
  const audit = await JsonlAuditLog.open({ dir, clock: systemClock, log: silentLog });
  const fields = getSessionAuditFields(session);

  return {
    onFetch: (_id, ok) =>
      void (ok && audit.append({ ...fields, event: 'credentials.fetched', outcome: 'success' }).catch(() => undefined)),
    close: async () => {
      await audit.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('credentialsServerProcess.ts is meant to be started with child_process.fork');
  const session = benchSession();
  const listener = process.argv.includes('--audit') ? await auditListener(session) : undefined;
  const server = await startCredentialServer({
    clock: systemClock,
    log: silentLog,
    ...(listener ? { onFetch: listener.onFetch } : {}),
  });
  const endpoint = server.add(session);
  const send = (message: ServerMessage): boolean => process.send!(message);
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ kind: 'cpu', userMicros: user, systemMicros: system });
    } else if (message.kind === 'stop') {
      void server
        .close()
        .then(() => listener?.close())
        .finally(() => process.exit(0));
    }
  });
  send({ kind: 'ready', uri: endpoint.uri, token: endpoint.token, port: server.port });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The bench credential endpoint failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
