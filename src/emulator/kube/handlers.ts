// The one generic resource handler: every verb for every served type, in terms of the store.
import { KubeError, badRequest, type KubeStatus } from './errors.js';
import type { Call } from './http.js';
import { PATCH_TYPES, parsePatchBody } from './patch.js';
import { groupVersion, type KubeObject, type ResourceType } from './resources.js';
import type { KubeVerb, ResourceRoute } from './routes.js';
import type { KubeStore } from './store.js';
import { orphanDependents } from './controllers/index.js';
import { patchScale, scaleOf, writeScale } from './scale.js';
import { serveLog, serveWatch, type StreamDeps } from './streams.js';
import { parseIncludeObject, tableContentType, tableVersionWanted, toTable, type IncludeObject } from './table.js';

/** What the resource handler needs from the server. */
export type HandlerDeps = StreamDeps;

/** Kinds whose DELETE answers with the object itself; the rest answer with a Success Status, as the apiserver does. */
const RETURNS_DELETED_OBJECT = new Set(['Pod', 'Namespace', 'Node']);

const includeObjectOf = (call: Call): IncludeObject => parseIncludeObject(call.param('includeObject'));

/** Sends one object, or its one-row Table when the client asked for tables. */
const sendObject = (call: Call, t: ResourceType, status: number, o: KubeObject): void => {
  const table = tableVersionWanted(call.req.headers.accept);
  if (table === undefined) return call.json(status, o);
  call.json(status, toTable(t, [o], { version: table, includeObject: includeObjectOf(call) }), tableContentType(table));
};

const successStatus = (t: ResourceType, o: KubeObject): KubeStatus => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  details: { name: o.metadata.name, group: t.group, kind: t.resource, uid: o.metadata.uid },
  code: 200,
});

/** Body of a PUT/POST: an object whose namespace and name agree with the URL. */
const objectBody = async (call: Call, route: ResourceRoute): Promise<KubeObject> => {
  const body = await call.jsonBody();
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the request body must be a JSON object');
  const o = body as KubeObject;
  o.metadata = { ...(o.metadata ?? {}) };
  if (route.name !== undefined && route.subresource !== 'binding' && o.metadata.name !== route.name) {
    throw badRequest(
      `the name of the object (${String(o.metadata.name)}) does not match the name on the URL (${route.name})`,
    );
  }
  if (route.type.namespaced && route.namespace !== undefined) {
    if ((o.metadata.namespace ?? '') !== '' && o.metadata.namespace !== route.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    o.metadata.namespace = route.namespace;
  }
  return o;
};

const listOptions = (call: Call, route: ResourceRoute) => ({
  namespace: route.namespace,
  labelSelector: call.param('labelSelector'),
  fieldSelector: call.param('fieldSelector'),
});

/** Serves a resource request whose verb is already known. */
export const serveResource = async (
  deps: HandlerDeps,
  call: Call,
  route: ResourceRoute,
  verb: KubeVerb,
): Promise<void> => {
  const { store } = deps;
  const t = route.type;
  const dryRun = call.query.getAll('dryRun').includes('All');
  const name = route.name ?? '';
  const sub = route.subresource === 'status' ? ('status' as const) : undefined;
  switch (verb) {
    case 'get':
      if (route.subresource === 'log') return serveLog(deps, call, route);
      if (route.subresource === 'scale') return call.json(200, scaleOf(store.require(t, route.namespace, name)));
      return sendObject(call, t, 200, store.require(t, route.namespace, name));
    case 'list':
      return serveList(store, call, route);
    case 'watch':
      return serveWatch(deps, call, route);
    case 'create': {
      const o = await objectBody(call, route);
      if (route.subresource === 'binding') {
        const target = (o as { target?: { kind?: string; name?: string } }).target;
        if (typeof target?.name !== 'string' || target.name === '' || (target.kind ?? 'Node') !== 'Node') {
          throw new KubeError(422, 'Invalid', `Binding "${name}" is invalid: target: Invalid value: must name a Node`);
        }
        const pod = store.bind(route.namespace!, name, target.name);
        return call.json(201, { ...successStatus(t, pod), code: 201 });
      }
      return call.json(201, store.create(t, o, { namespace: route.namespace, dryRun }));
    }
    case 'update': {
      const o = await objectBody(call, route);
      if (route.subresource === 'scale')
        return call.json(200, writeScale(store, t, store.require(t, route.namespace, name), o));
      return call.json(200, store.update(t, o, { subresource: sub, dryRun }));
    }
    case 'patch': {
      const { type, patch } = parsePatchBody(call.req.headers['content-type'] ?? '', await call.body());
      if (type === PATCH_TYPES.apply && call.param('fieldManager') === undefined) {
        throw new KubeError(
          422,
          'Invalid',
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        );
      }
      if (route.subresource === 'scale') {
        return call.json(200, patchScale(store, t, store.require(t, route.namespace, name), type, patch));
      }
      const existed = store.get(t, route.namespace, name) !== undefined;
      const patched = store.patch(t, route.namespace, name, type, patch, { subresource: sub, dryRun });
      return call.json(existed ? 200 : 201, patched);
    }
    case 'delete': {
      const body = ((await call.jsonBody()) ?? {}) as {
        gracePeriodSeconds?: number;
        preconditions?: { uid?: string; resourceVersion?: string };
        propagationPolicy?: string;
      };
      const gracePeriodSeconds = call.int('gracePeriodSeconds') ?? body.gracePeriodSeconds;
      const policy = call.param('propagationPolicy') ?? body.propagationPolicy;
      if (policy === 'Orphan' && !dryRun) orphanDependents(store, store.require(t, route.namespace, name));
      const { object, removed } = store.delete(t, route.namespace, name, {
        gracePeriodSeconds,
        preconditions: body.preconditions,
        dryRun,
      });
      if (!removed || RETURNS_DELETED_OBJECT.has(t.kind)) return call.json(200, object);
      return call.json(200, successStatus(t, object));
    }
    case 'deletecollection': {
      const gracePeriodSeconds = call.int('gracePeriodSeconds');
      const { items, resourceVersion } = store.list(t, listOptions(call, route));
      const deleted = items.map(
        (o) => store.delete(t, o.metadata.namespace, o.metadata.name!, { gracePeriodSeconds, dryRun }).object,
      );
      return call.json(200, {
        apiVersion: groupVersion(t),
        kind: `${t.kind}List`,
        metadata: { resourceVersion },
        items: deleted,
      });
    }
  }
};

const serveList = (store: KubeStore, call: Call, route: ResourceRoute): void => {
  const t = route.type;
  const result = store.list(t, {
    ...listOptions(call, route),
    limit: call.int('limit'),
    continue: call.param('continue'),
  });
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue !== undefined)
    Object.assign(metadata, { continue: result.continue, remainingItemCount: result.remainingItemCount });
  const table = tableVersionWanted(call.req.headers.accept);
  if (table !== undefined) {
    const doc = toTable(t, result.items, { version: table, includeObject: includeObjectOf(call), listMeta: metadata });
    return call.json(200, doc, tableContentType(table));
  }
  call.json(200, { apiVersion: groupVersion(t), kind: `${t.kind}List`, metadata, items: result.items });
};
