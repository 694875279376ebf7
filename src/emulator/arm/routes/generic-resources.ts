import { ok, type RequestContext } from '../context.js';
import { resourceGroupNotFound } from '../errors.js';
import { parseArmPath } from '../ids.js';
import { paginate } from '../paging.js';
import { resourceGroupId } from '../scope.js';
import type { Json } from '../store.js';
import type { Route } from './route.js';

/** The fields Resources_List returns for each resource (no `properties`). */
const GENERIC_FIELDS = [
  'id',
  'name',
  'type',
  'kind',
  'location',
  'managedBy',
  'sku',
  'identity',
  'tags',
  'extendedLocation',
];

/** Top-level resources below a scope, optionally `$filter=resourceType eq '…'`, in the generic shape. */
function list(ctx: RequestContext, scopeId: string): Json[] {
  const wantedType = /resourceType\s+eq\s+'([^']+)'/i.exec(ctx.query.get('$filter') ?? '')?.[1]?.toLowerCase();
  return ctx.state.store
    .all()
    .filter((r) => {
      const p = parseArmPath(r.id);
      const topLevel =
        p?.resourceGroup !== undefined &&
        p.parentId.toLowerCase() === resourceGroupId(p.subscriptionId ?? '', p.resourceGroup).toLowerCase();
      return (
        topLevel &&
        r.id.toLowerCase().startsWith(`${scopeId.toLowerCase()}/`) &&
        (wantedType === undefined || r.type.toLowerCase() === wantedType)
      );
    })
    .map((r) => Object.fromEntries(GENERIC_FIELDS.filter((f) => r.body[f] !== undefined).map((f) => [f, r.body[f]])));
}

/** Resources_List and Resources_ListByResourceGroup over everything the store holds. */
export const genericResourceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/resources',
    operation: 'Resources_List',
    kind: 'read',
    apiType: 'Microsoft.Resources/resources',
    handle: (ctx, { subscriptionId = '' }) => ok(paginate(ctx, list(ctx, `/subscriptions/${subscriptionId}`))),
  },
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources',
    operation: 'Resources_ListByResourceGroup',
    kind: 'read',
    apiType: 'Microsoft.Resources/resources',
    handle: (ctx, { subscriptionId = '', resourceGroupName = '' }) => {
      const rg = resourceGroupId(subscriptionId, resourceGroupName);
      if (!ctx.state.store.has(rg)) throw resourceGroupNotFound(resourceGroupName);
      return ok(paginate(ctx, list(ctx, rg)));
    },
  },
];
