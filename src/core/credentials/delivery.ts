// The one composition of what a terminal or debuggee gets for a session: the extension
// (SessionService) and the client-compatibility tier (test/clients) both call this, so
// the tier tests exactly what users get.
import { type Session } from '../session';
import { type CredentialEndpoint } from './credentialServer';
import {
  type EnvironmentChanges,
  type EnvironmentTarget,
  getContainerEnvironment,
  getPlainEnvironment,
} from './environment';
import { getShadowingSources, type InheritedAws } from './inheritedAws';
import { writeProfileFiles } from './profileFiles';
import { type TokenFiles } from './tokenFiles';

export interface DeliverySettings {
  credentialDelivery: 'endpoint' | 'environment';
  endpointToken: 'variable' | 'file';
  /** Empty: AWS itself. */
  endpointUrl: string;
}

export interface DeliveryInput {
  session: Session;
  endpoint: CredentialEndpoint;
  target: EnvironmentTarget;
  settings: DeliverySettings;
  /** The environment (and the AWS files it points at) that the terminal or debuggee inherits. */
  inherited: InheritedAws;
  configDir: string;
  tokenFiles: TokenFiles;
}

export async function getDeliveredEnvironment(input: DeliveryInput): Promise<EnvironmentChanges> {
  const { session, endpoint, target, settings, configDir } = input;
  await writeProfileFiles(configDir, session.region);
  const sources = getShadowingSources(input.inherited);
  // Current clients read an inherited token file before any token variable, and a
  // collection cannot remove it: then ours must be a file too.
  const useFile = settings.endpointToken === 'file' || (target === 'collection' && sources.tokenFile);
  const base = {
    target,
    sources,
    endpoint,
    region: session.region,
    configDir,
    ...(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {}),
    ...(useFile ? { tokenFile: await input.tokenFiles.getFile(endpoint) } : {}),
  };
  return settings.credentialDelivery === 'environment'
    ? getPlainEnvironment(session, base)
    : getContainerEnvironment(base);
}
