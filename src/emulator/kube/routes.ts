// URL → what is being asked for, the way the apiserver's RequestInfo resolver reads a path. Pure.
import { badRequest, methodNotAllowed, noSuchPath } from './errors.js';
import type { ResourceType } from './resources.js';
import { TypeRegistry } from './type-registry.js';

const BUILT_IN = new TypeRegistry();

/** A request for an object or collection of a served type. */
export interface ResourceRoute {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  /** The request used the legacy `/watch/` path prefix. */
  watchPath: boolean;
}

/** The Kubernetes verb of a request, as audit logs and RBAC name it. */
export type KubeVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** A percent-decoded path segment; bad encoding is the client's error (400), as the apiserver answers it. */
const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid URL escape in path segment ${JSON.stringify(segment)}`);
  }
};

/**
 * Parses `/api/v1/...` and `/apis/<group>/<version>/...` resource paths. Returns undefined for every other path
 * (discovery, /version, /openapi); throws 404 for a resource path the server does not serve.
 */
export const parseResourcePath = (
  pathname: string,
  types: Pick<TypeRegistry, 'find'> = BUILT_IN,
): ResourceRoute | undefined => {
  const segs = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  let group: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length > 2) [group, rest] = ['', segs.slice(1)];
  else if (segs[0] === 'apis' && segs.length > 3) [group, rest] = [segs[1]!, segs.slice(2)];
  else return undefined;
  const version = rest.shift()!;
  const watchPath = rest[0] === 'watch';
  if (watchPath) rest.shift();
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>... is a namespaced path; namespaces/<name>/status is the Namespace's own subresource.
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  const type = resource === undefined ? undefined : types.find(group, version, resource);
  if (type === undefined || extra.length > 0) throw noSuchPath();
  if (namespace !== undefined && !type.namespaced) throw noSuchPath();
  if (subresource !== undefined && !type.subresources.includes(subresource)) throw noSuchPath();
  return { type, namespace, name, subresource, watchPath };
};

/** The verb for a method on a route; 405 MethodNotAllowed for combinations the API does not have. */
export const verbOf = (method: string, route: ResourceRoute, query: URLSearchParams): KubeVerb => {
  const isWatch = route.watchPath || ['1', 'true'].includes(query.get('watch') ?? '');
  const named = route.name !== undefined;
  const sub = route.subresource;
  const what = `${route.type.resource}${sub === undefined ? '' : `/${sub}`}`;
  switch (method) {
    case 'GET':
      if (sub === 'binding') break;
      if (isWatch) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      if (!named || sub === 'binding') return 'create';
      break;
    case 'PUT':
      if (named && sub !== 'log' && sub !== 'binding') return 'update';
      break;
    case 'PATCH':
      if (named && sub !== 'log' && sub !== 'binding') return 'patch';
      break;
    case 'DELETE':
      if (sub === undefined) return named ? 'delete' : 'deletecollection';
      break;
  }
  throw methodNotAllowed(method, what);
};
