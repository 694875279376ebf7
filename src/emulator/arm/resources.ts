import type { RequestKind } from '../request-log.js';
import { namespaceSpec } from './api-versions.js';
import { type ArmResponse, type ArmState, type RequestContext, type ResolvedRoute, ok } from './context.js';
import {
  ArmError,
  invalidResourceNamespace,
  invalidResourceType,
  methodNotAllowed,
  resourceGroupNotFound,
  resourceNotFound,
} from './errors.js';
import type { ActionSpec, ResourceTypeHandler } from './handler.js';
import { type ArmPath, parseArmPath, qualifiedName, typeLeaf } from './ids.js';
import { paginate } from './paging.js';
import { handlerContext, locationOf, requireContainers } from './scope.js';
import { handlerFor, listBody, viewBody } from './handlers/index.js';
import { shapeForVersion } from './versioned-fields.js';
import { deleteResource, writeResource } from './writes.js';

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** 'Subnets' for Microsoft.Network/virtualNetworks/subnets unless the handler names its group. */
const groupOf = (h: ResourceTypeHandler): string => h.operationGroup ?? capitalise(typeLeaf(h.type));

const isResourceGroupScope = (id: string): boolean =>
  parseArmPath(id)?.resourceType === 'Microsoft.Resources/resourceGroups';

/** The handler for a type: registered, from the api-version table, or (leniently) any type the store holds. */
function handlerOrStored(state: ArmState, type: string): ResourceTypeHandler | undefined {
  const h = handlerFor(type);
  if (h !== undefined) return h;
  const stored = state.store.list(type, '')[0];
  return stored === undefined ? undefined : { type: stored.type };
}

const route = (
  operation: string,
  kind: RequestKind,
  p: ArmPath,
  state: ArmState,
  exec: (ctx: RequestContext) => ArmResponse | Promise<ArmResponse>,
  h: ResourceTypeHandler,
): ResolvedRoute => ({
  operation,
  kind,
  apiType: h.type,
  ...(h.apiVersions !== undefined ? { apiVersions: h.apiVersions } : {}),
  location: locationOf(state, p.id),
  requiresNamespace: p.namespace,
  exec,
});

/** Routes a request for a resource, a collection or a verb on a resource to the generic operations. */
export function resolveResource(state: ArmState, method: string, p: ArmPath): ResolvedRoute {
  const h = handlerOrStored(state, p.resourceType);
  if (p.name === undefined) {
    const action = resolveAction(state, method, p);
    if (action !== undefined) return action;
  }
  if (h === undefined) return unknownType(p);
  const g = groupOf(h);
  if (p.name === undefined) {
    if (method !== 'GET') return failing(`${g}_List`, 'read', methodNotAllowed(method));
    const name = h.listOperation ?? (isResourceGroupScope(p.parentId) ? `${g}_ListByResourceGroup` : `${g}_List`);
    return route(name, 'read', p, state, (ctx) => listResources(state, ctx, p, h), h);
  }
  switch (method) {
    case 'GET':
      return route(`${g}_Get`, 'read', p, state, (ctx) => getResource(state, ctx, p, false, h), h);
    case 'HEAD':
      return route(`${g}_CheckExistence`, 'read', p, state, (ctx) => getResource(state, ctx, p, true, h), h);
    case 'PUT':
      return route(
        `${g}_CreateOrUpdate`,
        'write',
        p,
        state,
        (ctx) => writeResource(state, ctx, p, h, `${g}_CreateOrUpdate`),
        h,
      );
    case 'PATCH':
      return route(`${g}_Update`, 'write', p, state, (ctx) => writeResource(state, ctx, p, h, `${g}_Update`), h);
    case 'DELETE':
      return route(`${g}_Delete`, 'write', p, state, (ctx) => deleteResource(state, ctx, p, h, `${g}_Delete`), h);
    default:
      return failing(`${g}_${capitalise(method.toLowerCase())}`, 'read', methodNotAllowed(method));
  }
}

/** A verb on the parent resource (`…/managedClusters/c1/listClusterUserCredential`), if its handler declares it. */
function resolveAction(state: ArmState, method: string, p: ArmPath): ResolvedRoute | undefined {
  const parent = parseArmPath(p.parentId);
  if (parent === undefined || parent.name === undefined) return undefined;
  const ph = handlerOrStored(state, parent.resourceType);
  const verb = typeLeaf(p.resourceType);
  const entry = Object.entries(ph?.actions ?? {}).find(([k]) => k.toLowerCase() === verb.toLowerCase());
  if (ph === undefined || entry === undefined) return undefined;
  const [name, spec]: [string, ActionSpec] = entry;
  if ((spec.method ?? 'POST') !== method) return undefined;
  const operation = spec.operation ?? `${groupOf(ph)}_${capitalise(name)}`;
  return route(
    operation,
    spec.kind ?? 'action',
    parent,
    state,
    async (ctx) => {
      requireContainers(state, parent, false);
      const resource = state.store.get(parent.id) ?? ph.lookup?.(parent, handlerContext(state));
      if (resource === undefined)
        throw resourceNotFound(parent.resourceType, qualifiedName(parent), parent.resourceGroup);
      const result = await spec.run({ resource, ctx }, handlerContext(state));
      if (result instanceof ArmError) throw result;
      return result;
    },
    ph,
  );
}

function getResource(
  state: ArmState,
  ctx: RequestContext,
  p: ArmPath,
  head: boolean,
  h: ResourceTypeHandler,
): ArmResponse {
  requireContainers(state, p, false);
  const r = state.store.get(p.id) ?? h.lookup?.(p, handlerContext(state));
  if (r === undefined) {
    if (head) return { status: 404 };
    if (p.resourceType === 'Microsoft.Resources/resourceGroups') throw resourceGroupNotFound(p.name ?? '');
    throw resourceNotFound(p.resourceType, qualifiedName(p), p.resourceGroup);
  }
  return head
    ? { status: 204 }
    : ok(shapeForVersion(r.type, viewBody(r, handlerContext(state)), ctx.apiVersion), { ETag: r.etag });
}

function listResources(state: ArmState, ctx: RequestContext, p: ArmPath, h: ResourceTypeHandler): ArmResponse {
  // The scope listed must exist: a resource group, or a parent resource (and what that lives in).
  const scope = parseArmPath(p.parentId);
  if (scope?.name !== undefined && scope.resourceType !== 'Microsoft.Resources/subscriptions') {
    requireContainers(state, scope, false);
    if (!state.store.has(scope.id)) {
      if (scope.resourceType === 'Microsoft.Resources/resourceGroups') throw resourceGroupNotFound(scope.name);
      throw resourceNotFound(scope.resourceType, qualifiedName(scope), scope.resourceGroup);
    }
  }
  const items = h.list ? h.list(p.parentId, ctx, handlerContext(state)) : state.store.list(h.type, p.parentId);
  const hctx = handlerContext(state);
  return ok(
    paginate(
      ctx,
      items.map((r) => shapeForVersion(r.type, listBody(r, hctx), ctx.apiVersion)),
    ),
  );
}

/** A route that fails at once (still logged under its operation name). */
export function failing(operation: string, kind: RequestKind, error: ArmError): ResolvedRoute {
  return {
    operation,
    kind,
    exec: () => {
      throw error;
    },
  };
}

function unknownType(p: ArmPath): ResolvedRoute {
  if (namespaceSpec(p.namespace) === undefined)
    return failing('Unknown', 'read', invalidResourceNamespace(p.namespace));
  return {
    operation: 'Unknown',
    kind: 'read',
    exec: (ctx) => {
      throw invalidResourceType(p.resourceType.slice(p.namespace.length + 1), p.namespace, ctx.apiVersion);
    },
  };
}
