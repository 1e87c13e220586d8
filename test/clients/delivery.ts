// One session delivered to one client as the extension delivers it: a credential endpoint
// of its own (with a movable clock), the token file folder, the profile files, and the
// environment from getDeliveredEnvironment applied the way a terminal (collection: values
// only) or a debug launch (env map: null removes) applies it.
import { join } from 'node:path';
import {
  startCredentialServer,
  type CredentialServer,
  type FetchFailure,
} from '../../src/core/credentials/credentialServer';
import { getDeliveredEnvironment, type DeliverySettings } from '../../src/core/credentials/delivery';
import { applyCollection, applyEnvironment, type EnvironmentTarget } from '../../src/core/credentials/environment';
import { readInheritedAws } from '../../src/core/credentials/inheritedAws';
import { TokenFiles } from '../../src/core/credentials/tokenFiles';
import { type Session } from '../../src/core/session';
import { type Parent } from './world';

export type Mode = 'endpoint' | 'endpoint, token file' | 'environment';

export const modes: Mode[] = ['endpoint', 'endpoint, token file', 'environment'];

export function getSettingsFor(mode: Mode, endpointUrl: string): DeliverySettings {
  return {
    credentialDelivery: mode === 'environment' ? 'environment' : 'endpoint',
    endpointToken: mode === 'endpoint, token file' ? 'file' : 'variable',
    endpointUrl,
  };
}

export interface Delivery {
  server: CredentialServer;
  tokenFiles: TokenFiles;
  /** Every refusal the endpoint answered, in order. */
  refusals: FetchFailure[];
  /** How many fetches it served. */
  served(): number;
  /** Moves the credential endpoint's clock (expiry) without touching the process clock. */
  advance(ms: number): void;
  /** The environment a terminal or debuggee started now would get for `session`. */
  environmentFor(session: Session): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function startDelivery(options: {
  dir: string;
  parent: Parent;
  target: EnvironmentTarget;
  settings: DeliverySettings;
}): Promise<Delivery> {
  let offset = 0;
  const refusals: FetchFailure[] = [];
  let served = 0;
  const server = await startCredentialServer({
    clock: { now: () => Date.now() + offset },
    onFetch: (_id, ok, reason) => {
      if (ok) served += 1;
      else if (reason) refusals.push(reason);
    },
  });
  const tokenFiles = new TokenFiles(join(options.dir, 'tokens'));
  const configDir = join(options.dir, 'aws');
  const inherited = await readInheritedAws(options.parent.env, options.parent.env.HOME);
  return {
    server,
    tokenFiles,
    refusals,
    served: () => served,
    advance: (ms) => void (offset += ms),
    async environmentFor(session) {
      const endpoint = server.has(session.id) ? server.renew(session) : server.add(session);
      const changes = await getDeliveredEnvironment({
        session,
        endpoint,
        target: options.target,
        settings: options.settings,
        inherited,
        configDir,
        tokenFiles,
      });
      return options.target === 'collection'
        ? applyCollection(options.parent.env, changes)
        : applyEnvironment(options.parent.env, changes);
    },
    async close() {
      await server.close();
      await tokenFiles.removeAll();
    },
  };
}
