import { canonicalType, typeSpec } from '../api-versions.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import type { Json, StoredResource } from '../store.js';
import { containerGroups } from './container-groups.js';
import { containerRegistries } from './container-registries.js';
import { containers } from './containers.js';
import { managedClusters } from './managed-clusters.js';
import { natGateways } from './nat-gateways.js';
import { policyDefinitions, policySetDefinitions } from '../policy/definitions.js';
import { resourceGroups } from './resource-groups.js';
import { roleAssignments } from './role-assignments.js';
import { roleDefinitions } from './role-definitions.js';
import { serviceAssociationLinks } from './service-association-links.js';
import { subnets } from './subnets.js';
import { userAssignedIdentities } from './user-assigned-identities.js';
import { virtualNetworks } from './virtual-networks.js';

/** The resource types with behaviour of their own. Add a module here to give a type validation or side effects. */
const HANDLERS: readonly ResourceTypeHandler[] = [
  resourceGroups,
  containerGroups,
  containerRegistries,
  containers,
  managedClusters,
  virtualNetworks,
  subnets,
  natGateways,
  serviceAssociationLinks,
  userAssignedIdentities,
  roleDefinitions,
  roleAssignments,
  policyDefinitions,
  policySetDefinitions,
];

/**
 * How a type behaves when no module describes it, per namespace, as the real resource providers do: Network and
 * AKS writes are long-running and mirror the ETag in the body (`etag`, `eTag`).
 */
const NAMESPACE_DEFAULTS: Readonly<Record<string, Omit<ResourceTypeHandler, 'type'>>> = {
  'microsoft.network': { lro: true, etagProperty: 'etag' },
  'microsoft.containerservice': { lro: true, etagProperty: 'eTag' },
};

const registered = new Map(HANDLERS.map((h) => [h.type.toLowerCase(), h]));

/**
 * The handler for a full type: the registered one, or a plain stored resource (with its namespace's defaults) for
 * any other type in the api-version table; undefined for a type ARM would not know (InvalidResourceType).
 */
export function handlerFor(type: string): ResourceTypeHandler | undefined {
  const own = registered.get(type.toLowerCase());
  if (own !== undefined) return own;
  if (typeSpec(type) === undefined) return undefined;
  const namespace = type.slice(0, type.indexOf('/')).toLowerCase();
  return { ...NAMESPACE_DEFAULTS[namespace], type: canonicalType(type) };
}

/** The body a list shows: the handler's list view, else its view, else the stored body. */
export function listBody(resource: StoredResource, hctx: HandlerContext): Json {
  const h = handlerFor(resource.type);
  return h?.listView?.(resource, hctx) ?? viewBody(resource, hctx);
}

/** The body a read returns: the handler's view of the resource, or the stored body. */
export function viewBody(resource: StoredResource, hctx: HandlerContext): Json {
  return handlerFor(resource.type)?.view?.(resource, hctx) ?? resource.body;
}
