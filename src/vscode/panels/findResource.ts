// A resource by id, for panels opened from a message or restored after a reload, when
// only the id is known.
import { type ServiceId, getService } from '../../core/catalog';
import { type Resource } from '../../core/discovery';
import { InfraWatchError } from '../../core/errors';
import { type PanelDeps } from './panelDeps';

export async function findResource(
  deps: Pick<PanelDeps, 'getResources'>,
  service: ServiceId,
  resourceOrId: Resource | string | undefined,
): Promise<Resource> {
  if (resourceOrId !== undefined && typeof resourceOrId !== 'string') return resourceOrId;
  const spec = getService(service);
  if (resourceOrId === undefined)
    throw new InfraWatchError('Validation', `Opening logs failed: pick one ${spec.displayName} resource`);
  const found = (await deps.getResources(service)).find((r) => r.id === resourceOrId);
  if (found) return found;
  // Not (yet) discovered, e.g. right after a reload: a one-dimension id is its own value.
  if (spec.resourceDimensions.length === 1)
    return {
      id: resourceOrId,
      label: resourceOrId,
      dimensions: [{ Name: spec.resourceDimensions[0], Value: resourceOrId }],
    };
  throw new InfraWatchError(
    'Validation',
    `Opening ${spec.displayName} ${resourceOrId} failed: CloudWatch no longer lists it`,
  );
}
