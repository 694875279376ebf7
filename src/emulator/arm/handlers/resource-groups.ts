import { ArmError } from '../errors.js';
import type { ResourceTypeHandler } from '../handler.js';
import { normalizeLocation, resourceGroupId } from '../scope.js';
import type { Json } from '../store.js';

/** A resource group as ARM returns it. */
export function resourceGroupBody(subscriptionId: string, name: string, location: string, extra: Json = {}): Json {
  return {
    id: resourceGroupId(subscriptionId, name),
    name,
    type: 'Microsoft.Resources/resourceGroups',
    location: normalizeLocation(location),
    ...(extra.managedBy !== undefined ? { managedBy: extra.managedBy } : {}),
    ...(extra.tags !== undefined ? { tags: extra.tags } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
}

/**
 * Microsoft.Resources/resourceGroups. PUT needs a location and cannot move a group; DELETE is long-running
 * (202 + Location, as ARM answers) and takes everything in the group with it.
 */
export const resourceGroups: ResourceTypeHandler = {
  type: 'Microsoft.Resources/resourceGroups',
  operationGroup: 'ResourceGroups',
  lro: { delete: true, headers: 'location' },
  validate(req) {
    const location = req.body.location;
    if (typeof location !== 'string' || location.trim() === '') {
      return new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
    }
    const was = req.current?.body.location;
    if (typeof was === 'string' && normalizeLocation(was) !== normalizeLocation(location)) {
      return new ArmError(
        409,
        'InvalidResourceGroupLocation',
        `Invalid resource group location '${normalizeLocation(location)}'. The Resource group already exists in location '${was}'.`,
      );
    }
    return undefined;
  },
  apply: (req) =>
    resourceGroupBody(
      req.path.subscriptionId ?? '',
      String(req.current?.body.name ?? req.path.name),
      String(req.body.location),
      req.body,
    ),
};
