// The request front: authentication, the request log, non-resource paths (discovery, version, health), and
// dispatch of resource paths to the one generic handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import {
  AGGREGATED_DISCOVERY,
  aggregatedDiscovery,
  coreVersions,
  groupList,
  groupOf,
  resourceList,
  versionDocument,
  wantsAggregated,
  type KubeVersion,
} from './discovery.js';
import { badRequest, noSuchPath, unauthorized } from './errors.js';
import { serveResource, type HandlerDeps } from './handlers.js';
import { openApiV3For, openApiV3Root } from './openapi.js';
import { Call, type RequestLogEntry } from './http.js';
import { parseResourcePath, verbOf } from './routes.js';

/** Everything the front needs. */
export interface FrontDeps extends HandlerDeps {
  token: string;
  version: KubeVersion;
  /** host:port clients reach the server at (for /api's serverAddressByClientCIDRs). */
  serverAddress(): string;
  requests: RequestLogEntry[];
  /** How many entries `requests` keeps. */
  requestLogLimit: number;
}

/** Paths an apiserver serves to anonymous clients (system:public-info-viewer); everything else needs the token. */
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

const tokenMatches = (header: string | undefined, token: string): boolean | undefined => {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (m === null) return undefined;
  const given = Buffer.from(m[1]!.trim());
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
};

/** Answers discovery, version and health paths; false when the path is none of those. */
const serveNonResource = (deps: FrontDeps, call: Call): boolean => {
  const path = call.url.pathname.replace(/\/+$/, '') || '/';
  const segs = path.split('/').filter((s) => s !== '');
  const accept = call.req.headers.accept;
  if (path === '/version') call.json(200, versionDocument(deps.version));
  else if (path === '/healthz' || path === '/livez' || path === '/readyz') call.text(200, 'ok');
  else if (path === '/openapi/v3') call.json(200, openApiV3Root(deps.store.types));
  else if (path.startsWith('/openapi/v3/')) {
    const doc = openApiV3For(deps.store.types, path.slice('/openapi/v3/'.length));
    if (doc === undefined) return false;
    call.json(200, doc);
  } else if (path === '/api' || path === '/apis') {
    if (wantsAggregated(accept))
      call.json(200, aggregatedDiscovery(deps.store.types, path === '/api'), AGGREGATED_DISCOVERY);
    else call.json(200, path === '/api' ? coreVersions(deps.serverAddress()) : groupList(deps.store.types));
  } else if (segs[0] === 'apis' && segs.length === 2) {
    const group = groupOf(deps.store.types, segs[1]!);
    if (group === undefined) return false;
    call.json(200, group);
  } else if ((segs[0] === 'api' && segs.length === 2) || (segs[0] === 'apis' && segs.length === 3)) {
    const list =
      segs[0] === 'api'
        ? resourceList(deps.store.types, '', segs[1]!)
        : resourceList(deps.store.types, segs[1]!, segs[2]!);
    if (list === undefined) return false;
    call.json(200, list);
  } else return false;
  return true;
};

/** Serves one request. Never throws: every failure becomes a Status response. */
export const handleRequest = async (deps: FrontDeps, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const call = new Call(req, res, deps.requests, deps.requestLogLimit);
  try {
    if (call.badTarget) throw badRequest(`the request target ${JSON.stringify(req.url ?? '')} is not a path`);
    const auth = tokenMatches(req.headers.authorization, deps.token);
    if (auth === false || (auth === undefined && !PUBLIC_PATHS.has(call.url.pathname))) throw unauthorized();
    const route = parseResourcePath(call.url.pathname, deps.store.types);
    if (route === undefined) {
      if (req.method !== 'GET' || !serveNonResource(deps, call)) throw noSuchPath();
      return;
    }
    call.resource =
      route.subresource === undefined ? route.type.resource : `${route.type.resource}/${route.subresource}`;
    const verb = verbOf(req.method ?? 'GET', route, call.query);
    call.verb = verb;
    await serveResource(deps, call, route, verb);
  } catch (err) {
    call.fail(err);
  }
};
