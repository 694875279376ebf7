import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLog } from '../request-log.js';
import type { KeyPair } from '../tls.js';
import { guarded, requestUrl } from '../http-guard.js';
import { closeServer, listenLoopback } from './listen.js';
import { sameAudience, type TokenIssuer } from './tokens.js';

/** A service principal of the emulated directory (every principal here is a managed identity's). */
export interface GraphPrincipal {
  objectId: string;
  appId: string;
  displayName: string;
  /** ARM id of the identity (user-assigned) or of its resource (system-assigned); '' for none. */
  resourceId: string;
  /** True for a user-assigned identity (`isExplicit=True` in Graph's alternativeNames). */
  explicit: boolean;
}

/** What the Graph emulator serves from. */
export interface GraphDeps {
  issuer: TokenIssuer;
  /** The static token ARM accepts; Graph accepts it too. */
  staticToken: string;
  /** The principals the directory knows now (propagation applied). */
  principals(): GraphPrincipal[];
  /** App registrations, as Graph v1.0 returns an application (relative dates resolved). */
  applications(): Record<string, unknown>[];
  /** The caller lacks Application.Read.All. */
  applicationReadDenied: boolean;
  /** Where every request is recorded, so tests count Graph calls the way they count ARM's. */
  log: RequestLog;
}

/** A running Microsoft Graph emulator. */
export interface GraphServer {
  /** 'https://127.0.0.1:PORT/' — base URL and token audience (the cloud's microsoftGraphResourceId). */
  readonly endpoint: string;
  close(): Promise<void>;
}

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A principal as Graph v1.0 returns a servicePrincipal. */
function servicePrincipal(p: GraphPrincipal): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.servicePrincipal',
    id: p.objectId,
    accountEnabled: true,
    alternativeNames: p.resourceId === '' ? [] : [`isExplicit=${p.explicit ? 'True' : 'False'}`, p.resourceId],
    appDisplayName: null,
    appId: p.appId,
    displayName: p.displayName,
    servicePrincipalNames: [p.appId, `https://identity.azure.net/${Buffer.from(p.objectId).toString('base64')}`],
    servicePrincipalType: 'ManagedIdentity',
    signInAudience: 'AzureADMyOrg',
    tags: [],
  };
}

/** The `$filter`s the Azure CLI sends: `servicePrincipalNames/any(c:c eq 'x')`, `appId eq 'x'`, `displayName eq 'x'`. */
function filterPrincipals(all: GraphPrincipal[], filter: string | null): GraphPrincipal[] {
  if (filter === null || filter.trim() === '') return all;
  const spn = /^servicePrincipalNames\/any\(\s*(\w+)\s*:\s*\1\s+eq\s+'([^']*)'\s*\)$/i.exec(filter.trim());
  if (spn !== null)
    return all.filter((p) =>
      (servicePrincipal(p).servicePrincipalNames as string[]).some((n) => n.toLowerCase() === spn[2]!.toLowerCase()),
    );
  const eq = /^(appId|displayName|id)\s+eq\s+'([^']*)'$/i.exec(filter.trim());
  if (eq === null) throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported query: '${filter}'.`);
  const field = eq[1]!.toLowerCase() === 'appid' ? 'appId' : eq[1]!.toLowerCase() === 'id' ? 'objectId' : 'displayName';
  return all.filter((p) => p[field].toLowerCase() === eq[2]!.toLowerCase());
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload.');
  }
}

/** The Graph v1.0 subset the Azure CLI's role commands use to name principals. */
async function serve(deps: GraphDeps, endpoint: string, req: IncomingMessage, url: URL): Promise<unknown> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (token === undefined) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const claims = token === deps.staticToken ? undefined : deps.issuer.verify(token);
  if (token !== deps.staticToken && claims === undefined)
    throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  if (
    claims !== undefined &&
    !sameAudience(claims.aud, endpoint) &&
    !sameAudience(claims.aud, 'https://graph.microsoft.com/')
  ) {
    throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
  }
  const segments = decodeURIComponent(url.pathname)
    .split('/')
    .filter((s) => s !== '');
  if (segments[0] !== 'v1.0') throw new GraphError(400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}`);
  const [collection, id, verb] = segments.slice(1);
  const all = deps.principals();
  const context = `${endpoint}v1.0/$metadata#`;
  if (req.method === 'GET' && /^applications(\(|$)/.test(collection ?? '')) return applications(deps, context, url);
  if (req.method === 'GET' && collection === 'servicePrincipals' && id === undefined) {
    return {
      '@odata.context': `${context}servicePrincipals`,
      value: filterPrincipals(all, url.searchParams.get('$filter')).map(servicePrincipal),
    };
  }
  if (req.method === 'GET' && collection === 'servicePrincipals' && verb === undefined) {
    const found = all.find((p) => p.objectId.toLowerCase() === id!.toLowerCase());
    if (found === undefined)
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return { '@odata.context': `${context}servicePrincipals/$entity`, ...servicePrincipal(found) };
  }
  if (req.method === 'GET' && collection === 'users' && id === undefined)
    return { '@odata.context': `${context}users`, value: [] };
  if (req.method === 'POST' && collection === 'directoryObjects' && id === 'getByIds') {
    const body = await readJson(req);
    const ids = Array.isArray(body.ids) ? body.ids.map((i) => String(i).toLowerCase()) : [];
    const types = Array.isArray(body.types) ? body.types.map((t) => String(t).toLowerCase()) : [];
    const wanted = types.length === 0 || types.includes('serviceprincipal');
    return {
      '@odata.context': `${context}directoryObjects`,
      value: wanted ? all.filter((p) => ids.includes(p.objectId.toLowerCase())).map(servicePrincipal) : [],
    };
  }
  throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${collection ?? ''}'.`);
}

/**
 * Application reads (Graph v1.0 "Get application": `/applications/{id}`, `/applications(appId='{appId}')`, and
 * `/applications?$filter=appId eq '…'`), which need Application.Read.All: without it Graph answers 403
 * Authorization_RequestDenied "Insufficient privileges to complete the operation.".
 */
function applications(deps: GraphDeps, context: string, url: URL): unknown {
  if (deps.applicationReadDenied)
    throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const all = deps.applications();
  const path = decodeURIComponent(url.pathname).replace(/^\/v1\.0\//, '');
  const byAppId = /^applications\(appId='([^']*)'\)$/i.exec(path)?.[1];
  const byId = /^applications\/([^/]+)$/i.exec(path)?.[1];
  const one = (found: Record<string, unknown> | undefined, key: string) => {
    if (found === undefined)
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return { '@odata.context': `${context}applications/$entity`, ...found };
  };
  const same = (a: unknown, b: string) => String(a ?? '').toLowerCase() === b.toLowerCase();
  if (byAppId !== undefined)
    return one(
      all.find((a) => same(a.appId, byAppId)),
      byAppId,
    );
  if (byId !== undefined)
    return one(
      all.find((a) => same(a.id, byId)),
      byId,
    );
  if (path !== 'applications') throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`);
  const filter = url.searchParams.get('$filter');
  const eq = filter === null ? undefined : /^\s*(appId|displayName|id)\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (filter !== null && eq === undefined)
    throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported query: '${filter}'.`);
  const field = eq?.[1] === undefined ? undefined : eq[1].toLowerCase() === 'appid' ? 'appId' : eq[1];
  return {
    '@odata.context': `${context}applications`,
    value: field === undefined ? all : all.filter((a) => same(a[field], eq![2]!)),
  };
}

// Graph answers with a request-id header (learn.microsoft.com/graph/errors: quote it when asking for support).
function send(res: ServerResponse, status: number, body: unknown, requestId?: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(payload)),
    ...(requestId ? { 'request-id': requestId } : {}),
  });
  res.end(payload);
}

/** A log name for a Graph request: the method and the collection ('GET applications', 'POST directoryObjects'). */
function graphOperation(method: string, pathname: string): string {
  const collection = /^\/v1\.0\/([A-Za-z]+)/.exec(pathname)?.[1];
  return collection === undefined ? 'Unknown' : `${method.toUpperCase()} ${collection}`;
}

/** Starts the Graph emulator over HTTPS (the emulator's certificate) on loopback. */
export async function startGraphServer(deps: GraphDeps, tls: KeyPair, host: string): Promise<GraphServer> {
  const { createServer } = await import('node:https');
  let endpoint = '';
  const server = createServer(
    { key: tls.key, cert: tls.cert },
    guarded((req, res) => {
      const url = requestUrl(req, 'https://graph.invalid');
      if (url === undefined) {
        send(res, 400, {
          error: {
            code: 'BadRequest',
            message: 'The request URL is not valid.',
            innerError: { date: new Date().toISOString() },
          },
        });
        return undefined;
      }
      const t0 = performance.now();
      const requestId = randomUUID();
      const record = (status: number) =>
        deps.log.add({
          method: req.method ?? 'GET',
          path: url.pathname,
          apiVersion: url.pathname.split('/')[1] ?? '',
          operation: graphOperation(req.method ?? 'GET', url.pathname),
          kind: req.method === 'GET' ? 'read' : 'action',
          status,
          durationMs: Math.round(performance.now() - t0),
          requestId,
        });
      return serve(deps, endpoint, req, url).then(
        (body) => {
          record(200);
          send(res, 200, body, requestId);
        },
        (e: unknown) => {
          const error = e instanceof GraphError ? e : new GraphError(500, 'InternalServerError', String(e));
          record(error.status);
          send(
            res,
            error.status,
            { error: { code: error.code, message: error.message, innerError: { date: new Date().toISOString() } } },
            requestId,
          );
        },
      );
    }),
  );
  endpoint = await listenLoopback(server, host, 'https');
  return {
    endpoint,
    close: () => closeServer(server),
  };
}
