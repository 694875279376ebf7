import type { ArmState } from './context.js';
import { parentResourceNotFound, resourceGroupNotFound, resourceNotFound } from './errors.js';
import type { HandlerContext } from './handler.js';
import { type ArmPath, parseArmPath, qualifiedName } from './ids.js';

/** ARM's form of a location: 'East US' → 'eastus'. */
export const normalizeLocation = (location: string): string => location.toLowerCase().replace(/\s+/g, '');

/** What a type handler gets besides the request. */
export const handlerContext = (state: ArmState): HandlerContext => ({
  store: state.store,
  scenario: state.scenario,
  now: state.now,
  services: state.services,
});

/** The id of a resource group. ARM spells the segment 'resourceGroups' whatever the request said. */
export const resourceGroupId = (subscriptionId: string, name: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${name}`;

/**
 * Fails the way ARM does when what a resource lives in is missing: the resource group (404 ResourceGroupNotFound),
 * or the parent resource (a write: 404 ParentResourceNotFound; a read: 404 ResourceNotFound naming the parent).
 * The subscription is checked by the front for every request.
 */
export function requireContainers(state: ArmState, p: ArmPath, forWrite: boolean): void {
  if (p.resourceType.toLowerCase() === 'microsoft.resources/resourcegroups') return;
  if (p.subscriptionId !== undefined && p.resourceGroup !== undefined) {
    if (!state.store.has(resourceGroupId(p.subscriptionId, p.resourceGroup)))
      throw resourceGroupNotFound(p.resourceGroup);
  }
  const parent = parseArmPath(p.parentId);
  if (parent === undefined || parent.name === undefined || parent.namespace === 'Microsoft.Resources') return;
  if (state.store.has(parent.id)) return;
  throw forWrite
    ? parentResourceNotFound(p.resourceType, parent.id)
    : resourceNotFound(parent.resourceType, qualifiedName(parent), parent.resourceGroup);
}

/**
 * The region a resource lives in, for operation URLs and error messages: its own `location`, else the nearest
 * ancestor's, else the first region of the catalog.
 */
export function locationOf(state: ArmState, id: string): string {
  let p = parseArmPath(id);
  while (p !== undefined && p.id !== '') {
    const location = state.store.get(p.id)?.body.location;
    if (typeof location === 'string' && location !== '') return normalizeLocation(location);
    p = parseArmPath(p.parentId);
  }
  return state.scenario.regions[0]?.name ?? 'eastus';
}
