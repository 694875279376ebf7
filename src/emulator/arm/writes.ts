import type { IncomingHttpHeaders } from 'node:http';
import { type ArmResponse, type ArmState, jsonObject, type RequestContext } from './context.js';
import {
  anotherOperationInProgress,
  type ArmError,
  invalidRequestContent,
  operationNotAllowed,
  preconditionFailed,
  resourceNotFound,
} from './errors.js';
import type { LroSpec, ResourceTypeHandler, WriteRequest } from './handler.js';
import { type ArmPath, idKey, qualifiedName } from './ids.js';
import { handlerContext, locationOf, normalizeLocation, requireContainers } from './scope.js';
import { type Json, newEtag, type StoredResource } from './store.js';
import { handlerFor, viewBody } from './handlers/index.js';
import { policyDenial } from './policy/enforce.js';
import { keepUnexpressible, shapeForVersion } from './versioned-fields.js';

/** The LRO flags of a handler, `lro: true` meaning PUT and DELETE. */
const lroOf = (h: ResourceTypeHandler): LroSpec =>
  h.lro === true ? { put: true, delete: true } : h.lro === false || h.lro === undefined ? {} : h.lro;

const headerValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);
const bareEtag = (tag: string): string =>
  tag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');

/** If-Match / If-None-Match as ARM applies them to PUT, PATCH and DELETE (412 PreconditionFailed). */
function checkPreconditions(headers: IncomingHttpHeaders, current: StoredResource | undefined): void {
  const ifMatch = headerValue(headers['if-match']);
  const ifNoneMatch = headerValue(headers['if-none-match']);
  const listed = (value: string): boolean =>
    current !== undefined && value.split(',').some((t) => t.trim() === '*' || bareEtag(t) === bareEtag(current.etag));
  if (ifMatch !== undefined && !listed(ifMatch)) throw preconditionFailed();
  if (ifNoneMatch !== undefined && listed(ifNoneMatch)) throw preconditionFailed();
}

/** The default `apply`: the request body with id, name and type set, location normalised, etags dropped. */
function defaultApply(req: WriteRequest, h: ResourceTypeHandler): Json {
  const { id: _id, name: _name, type: _type, etag: _etag, eTag: _eTag, ...rest } = req.body;
  const out: Json = { id: req.id, name: req.current?.body.name ?? req.path.name, type: h.type, ...rest };
  if (typeof rest.location === 'string') out.location = normalizeLocation(rest.location);
  return out;
}

function withState(body: Json, h: ResourceTypeHandler, state: string): Json {
  if (h.provisioningState === false) return body;
  const properties = jsonObject(body.properties) ?? {};
  return { ...body, properties: { ...properties, provisioningState: state } };
}

/** Where the etag is mirrored in the body: the handler's choice, else wherever the previous body had it. */
function etagProperty(h: ResourceTypeHandler, current: StoredResource | undefined): 'etag' | 'eTag' | undefined {
  if (h.etagProperty !== undefined) return h.etagProperty;
  if (current === undefined) return undefined;
  return 'etag' in current.body ? 'etag' : 'eTag' in current.body ? 'eTag' : undefined;
}

const isAks = (type: string): boolean => type.toLowerCase().startsWith('microsoft.containerservice/');

/** Re-stores a resource with a new provisioningState: its body changed, so it gets a new etag (as Azure gives). */
function setState(state: ArmState, id: string, value: string): void {
  const r = state.store.get(id);
  const h = r === undefined ? undefined : handlerFor(r.type);
  if (r === undefined || h === undefined) return;
  const etag = newEtag(r.type);
  const mirror = etagProperty(h, r);
  const body = withState(r.body, h, value);
  state.store.put(r.id, r.type, mirror === undefined ? body : { ...body, [mirror]: etag }, etag);
}

/**
 * 409 when an operation runs on the resource or one it depends on (a VNet and its subnets): AKS says
 * OperationNotAllowed naming the running operation's state, Network and the rest AnotherOperationInProgress.
 */
function checkNotBusy(state: ArmState, id: string, type: string): void {
  const busy = state.lro.busyWith(id);
  if (busy === undefined) return;
  let error: ArmError = anotherOperationInProgress(busy);
  if (isAks(type)) {
    const phase = jsonObject(state.store.get(busy)?.body.properties)?.provisioningState;
    error = operationNotAllowed(typeof phase === 'string' ? phase : 'Updating');
  }
  throw error;
}

/** Removes a resource and everything below it, running each removed type's onDelete. */
function removeTree(state: ArmState, id: string): void {
  const hctx = handlerContext(state);
  for (const removed of state.store.deleteTree(id)) handlerFor(removed.type)?.onDelete?.(removed, hctx);
}

/** Starts an LRO for a write and returns the headers announcing it. */
function beginLro(
  state: ArmState,
  ctx: RequestContext,
  operation: string,
  p: ArmPath,
  h: ResourceTypeHandler,
  hooks: { onSucceeded: () => void; final: () => ArmResponse },
): Record<string, string> {
  const fault = state.faults.lroFault({ method: ctx.method, path: ctx.path, operation });
  const op = state.lro.begin({
    subscriptionId: p.subscriptionId ?? state.scenario.subscription.id,
    namespace: p.namespace,
    location: locationOf(state, p.id),
    apiVersion: ctx.apiVersion,
    resourceId: p.id,
    ...(fault
      ? {
          failWith: {
            code: fault.code ?? 'InternalServerError',
            message: `The operation failed (emulated fault on ${operation}).`,
          },
        }
      : {}),
    onSucceeded: hooks.onSucceeded,
    onFailed: () => setState(state, p.id, 'Failed'),
    finalResult: hooks.final,
  });
  return state.lro.headers(op, state.baseUrl, lroOf(h).headers ?? 'both');
}

/** PUT (create or replace) and PATCH (merge) of a resource. */
export function writeResource(
  state: ArmState,
  ctx: RequestContext,
  p: ArmPath,
  h: ResourceTypeHandler,
  operation: string,
): ArmResponse {
  requireContainers(state, p, true);
  const input = jsonObject(ctx.body);
  if (input === undefined) throw invalidRequestContent('the request body must be a JSON object');
  const current = state.store.get(p.id);
  if (ctx.method === 'PATCH' && current === undefined)
    throw resourceNotFound(p.resourceType, qualifiedName(p), p.resourceGroup);
  checkPreconditions(ctx.headers, current);
  checkNotBusy(state, current?.id ?? p.id, h.type);
  const method = ctx.method === 'PATCH' ? 'PATCH' : 'PUT';
  const sent = method === 'PATCH' && current !== undefined ? mergePatch(current.body, input) : input;
  const body = keepUnexpressible(h.type, sent, current?.body, ctx.apiVersion);
  const req: WriteRequest = {
    method,
    id: current?.id ?? p.id,
    path: p,
    body,
    current,
    apiVersion: ctx.apiVersion,
    data: {},
  };
  const hctx = handlerContext(state);
  const shaped = (r: StoredResource): Json => shapeForVersion(h.type, viewBody(r, hctx), ctx.apiVersion);
  const denied = policyDenial(hctx, {
    ...body,
    id: req.id,
    name: current?.body.name ?? p.name,
    type: h.type,
    ...(typeof body.location === 'string' ? { location: normalizeLocation(body.location) } : {}),
  });
  if (denied !== undefined) throw denied;
  const invalid = h.validate?.(req, hctx);
  if (invalid !== undefined) throw invalid;
  const long = lroOf(h).put === true;
  const etag = newEtag(h.type);
  // Network reports Updating for a create too; AKS and the others Creating.
  const network = h.type.toLowerCase().startsWith('microsoft.network/');
  const transient = long ? (current === undefined && !network ? 'Creating' : 'Updating') : 'Succeeded';
  let stored = withState(h.apply ? h.apply(req, hctx) : defaultApply(req, h), h, transient);
  const mirror = etagProperty(h, current);
  if (mirror !== undefined) stored = { ...stored, [mirror]: etag };
  // Store under the id the body states when it is the same id (apply may canonicalise its casing).
  const storeId = typeof stored.id === 'string' && idKey(stored.id) === idKey(req.id) ? stored.id : req.id;
  const saved = state.store.put(storeId, h.type, stored, etag);
  const status = current === undefined && method === 'PUT' ? 201 : 200;
  if (!long) {
    h.afterWrite?.(saved, hctx, req);
    return { status, body: shaped(saved), headers: { ETag: saved.etag } };
  }
  const headers = beginLro(state, ctx, operation, p, h, {
    onSucceeded: () => {
      setState(state, saved.id, 'Succeeded');
      const now = state.store.get(saved.id);
      if (now !== undefined) h.afterWrite?.(now, hctx, req);
    },
    final: () => {
      const now = state.store.get(saved.id);
      return now === undefined ? { status: 204 } : { status: 200, body: shaped(now), headers: { ETag: now.etag } };
    },
  });
  return { status, body: shaped(saved), headers: { ...headers, ETag: saved.etag } };
}

/** DELETE of a resource and everything below it: 200 (sync), 202 (LRO), 204 (nothing there). */
export function deleteResource(
  state: ArmState,
  ctx: RequestContext,
  p: ArmPath,
  h: ResourceTypeHandler,
  operation: string,
): ArmResponse {
  requireContainers(state, p, false);
  const current = state.store.get(p.id);
  if (current === undefined) return { status: 204 };
  checkPreconditions(ctx.headers, current);
  checkNotBusy(state, current.id, h.type);
  const refused = h.validateDelete?.(current, handlerContext(state));
  if (refused !== undefined) throw refused;
  if (lroOf(h).delete !== true) {
    const body =
      h.deleteReturnsBody === true
        ? shapeForVersion(h.type, viewBody(current, handlerContext(state)), ctx.apiVersion)
        : undefined;
    removeTree(state, current.id);
    return body === undefined ? { status: 200 } : { status: 200, body };
  }
  setState(state, current.id, 'Deleting');
  const headers = beginLro(state, ctx, operation, p, h, {
    onSucceeded: () => removeTree(state, current.id),
    // ARM's operation results answer a finished delete with 200 and no body; the modular SDKs accept only 200/202.
    final: () => ({ status: 200 }),
  });
  return { status: 202, headers };
}

/** JSON merge patch (RFC 7396): objects merge, null deletes, anything else replaces. */
function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (jsonObject(v) !== undefined && jsonObject(out[k]) !== undefined)
      out[k] = mergePatch(out[k] as Json, v as Json);
    else out[k] = v;
  }
  return out;
}
