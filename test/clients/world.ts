// The world the client-compatibility tier runs in: the local AWS endpoint (in process),
// two real sessions granted through the extension's own broker (RDS read for erin, with
// MFA, as Request Access does it), and the editor environments terminals inherit.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAwsClients } from '../../src/core/awsClients';
import { fetchIdentity } from '../../src/core/identity';
import { resolveAccess } from '../../src/core/policy/assign';
import { parsePolicy } from '../../src/core/policy/parse';
import { silentLog } from '../../src/core/ports';
import { type Session } from '../../src/core/session';
import { requestSession } from '../../src/core/sts/broker';
import { getAssumedRoleMaxSessionSeconds } from '../../src/core/sts/duration';
import { startLocalAws, type LocalAws } from '../../localaws/server/server';
import { totpCode } from '../../localaws/testing/clients';

export const demoPolicyPath = join(__dirname, '..', '..', 'demo', 'policy.json');

export interface World {
  aws: LocalAws;
  /** Two grants of RDS read: the first, and the one a Renew brings. */
  first: Session;
  renewed: Session;
  close(): Promise<void>;
}

async function grantRdsRead(aws: LocalAws, reason: string): Promise<Session> {
  const erin = aws.identities.find((i) => i.name === 'employee')!;
  const clients = createAwsClients({
    region: aws.region,
    endpoint: aws.url,
    maxAttempts: 1,
    credentials: { accessKeyId: erin.accessKeyId, secretAccessKey: erin.secretAccessKey },
  });
  try {
    const found = await fetchIdentity(clients.sts);
    if (found.kind !== 'ok') throw new Error(`GetCallerIdentity for erin failed: ${found.error.message}`);
    const parsed = parsePolicy(readFileSync(demoPolicyPath, 'utf8'));
    if (!parsed.ok) throw new Error('the demo policy does not parse');
    const access = resolveAccess(parsed.policy, found.identity)!;
    const grant = access.grants.find((g) => g.service === 'rds' && g.level === 'read')!;
    return await requestSession(
      { sts: clients.sts, clock: aws.clock, log: silentLog },
      {
        caller: found.identity,
        role: access.role,
        roleArn: access.roleArn!,
        grant,
        account: found.identity.account,
        region: aws.region,
        durationSeconds: 3600,
        reason,
        mfaSerial: erin.mfaSerial,
        tokenCode: totpCode(aws, 'employee'),
        roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(
          access.grants.filter((g) => g.fromRole === grant.fromRole),
        ),
      },
    );
  } finally {
    clients.dispose();
  }
}

export async function startWorld(): Promise<World> {
  const aws = await startLocalAws({ port: 0 });
  const first = await grantRdsRead(aws, 'compatibility tier: first grant');
  // The next MFA code: AWS (and the endpoint) take each code once.
  aws.clock.advance(30_000);
  const renewed = await grantRdsRead(aws, 'compatibility tier: renewed');
  aws.clock.advance(-30_000);
  return { aws, first, renewed, close: () => aws.close() };
}

/** What the editor (and so every terminal) inherits, with the HOME it points at. */
export interface Parent {
  name: string;
  env: Record<string, string>;
}

const otherKeys =
  'aws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = OtherOtherOtherOtherOtherOtherOtherOther\n';

/** A developer whose editor has no AWS variables; ~/.aws has a region and nothing else. */
export async function createCleanParent(root: string): Promise<Parent> {
  const home = join(root, 'home-clean');
  await mkdir(join(home, '.aws'), { recursive: true });
  await writeFile(join(home, '.aws', 'config'), '[default]\nregion = us-west-2\noutput = json\n');
  return { name: 'clean editor', env: baseEnv(home) };
}

/**
 * A developer who still has standing access: keys in ~/.aws and ~/.boto, a profile and
 * keys exported in the editor's environment. Each of these outranks the session in some
 * client unless it is set aside.
 */
export async function createStandingParent(root: string): Promise<Parent> {
  const home = join(root, 'home-standing');
  await mkdir(join(home, '.aws'), { recursive: true });
  await writeFile(join(home, '.aws', 'credentials'), `[default]\n${otherKeys}[work]\n${otherKeys}`);
  await writeFile(join(home, '.aws', 'config'), '[default]\nregion = us-west-2\n[profile work]\nregion = us-west-2\n');
  await writeFile(join(home, '.boto'), `[Credentials]\n${otherKeys}`);
  return {
    name: 'editor with standing keys',
    env: {
      ...baseEnv(home),
      AWS_PROFILE: 'work',
      AWS_ACCESS_KEY_ID: 'AKIAPARENTPARENTPAR1',
      AWS_SECRET_ACCESS_KEY: 'ParentParentParentParentParentParentPare',
      AWS_SECURITY_TOKEN: 'stale-parent-token',
    },
  };
}

function baseEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    // Keep the CLI from paging, and every client from waiting on an instance metadata
    // service that is not there (a client that found no credentials would try it).
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
