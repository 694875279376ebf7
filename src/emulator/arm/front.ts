import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultRule } from '../faults.js';
import { guarded, requestUrl } from '../http-guard.js';
import { EMULATOR_IDENTITY } from '../identity/caller.js';
import { sameAudience } from '../identity/tokens.js';
import { namespaceSpec, typeSpec } from './api-versions.js';
import type { ArmResponse, ArmState, RequestContext, ResolvedRoute } from './context.js';
import {
  ArmError,
  authenticationFailed,
  invalidApiVersion,
  invalidRequestContent,
  invalidToken,
  missingApiVersion,
  missingSubscriptionRegistration,
  noRegisteredProvider,
  subscriptionNotFound,
  wrongAudience,
} from './errors.js';
import { splitPath, typeWithoutNamespace } from './ids.js';
import { failing } from './resources.js';
import { resolve } from './router.js';
import { armAudiences } from './routes/metadata.js';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Thrown to end a request without any response (a `drop` fault). */
class Dropped extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ArmError(413, 'RequestEntityTooLarge', 'The request content is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * 401 unless the request carries `Authorization: Bearer <token>` with the static token or a JWT the managed identity
 * endpoint issued for one of ARM's audiences. Returns the caller's object id.
 */
function authorize(state: ArmState, header: string | undefined): string {
  const challenge = (description: string) => ({
    'WWW-Authenticate':
      `Bearer authorization_uri="https://login.microsoftonline.com/${state.scenario.subscription.tenantId}", ` +
      `error="invalid_token", error_description="${description}"`,
  });
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (m === null) {
    const e = authenticationFailed();
    throw new ArmError(e.status, e.code, e.message, {
      headers: challenge("The authentication failed because of missing 'Authorization' header."),
    });
  }
  if (m[1] === state.token) return EMULATOR_IDENTITY.objectId;
  const claims = state.tokens.verify(m[1]!);
  if (claims === undefined) {
    const e = invalidToken();
    throw new ArmError(e.status, e.code, e.message, { headers: challenge('The access token is invalid.') });
  }
  const audiences = armAudiences(state);
  if (!audiences.some((a) => sameAudience(a, claims.aud))) {
    const e = wrongAudience(claims.aud, audiences);
    throw new ArmError(e.status, e.code, e.message, {
      headers: challenge('The access token has been obtained for wrong audience or resource.'),
    });
  }
  return claims.oid;
}

/** The RBAC action of a request, the way ARM names it: `Microsoft.Authorization/roleAssignments/write`. */
function armAction(request: { method: string; path: string }): string {
  const parts = request.path.split('/').filter(Boolean);
  const at = parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  // Below a provider: namespace then type/name pairs; above any provider: ARM's own Microsoft.Resources types.
  const types =
    at >= 0
      ? [parts[at + 1] ?? '', ...parts.slice(at + 2).filter((_, i) => i % 2 === 0)]
      : ['Microsoft.Resources', ...parts.filter((_, i) => i % 2 === 0)];
  const verb = { GET: 'read', PUT: 'write', PATCH: 'write', DELETE: 'delete' }[request.method] ?? 'action';
  return `${types.join('/')}/${verb}`;
}

/** The error a request-level fault answers with; a 403 names the caller. */
function faultError(rule: FaultRule, request: { method: string; path: string }, caller: string): ArmError {
  const retry: Record<string, string> = {};
  if (rule.kind === '429' || (rule.kind === '503' && rule.retryAfterMs !== undefined)) {
    const ms = rule.retryAfterMs ?? 1000;
    retry['Retry-After'] = String(Math.ceil(ms / 1000));
    if (ms % 1000 !== 0) retry['x-ms-retry-after-ms'] = String(ms);
  }
  switch (rule.kind) {
    case '429':
      return new ArmError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type. Please retry after the time in the Retry-After header.',
        { headers: retry },
      );
    case '403':
      // What ARM says when the caller's role does not include the action (e.g. a Contributor creating a role assignment).
      return new ArmError(
        403,
        'AuthorizationFailed',
        `The client '${caller}' with object id '${caller}' does not have authorization to perform action '${armAction(request)}' over scope '${request.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    case '503':
      return new ArmError(
        503,
        'ServiceUnavailable',
        'The service is temporarily unavailable. Please try again later.',
        { headers: retry },
      );
    default:
      return new ArmError(500, 'InternalServerError', 'Encountered internal server error. Please try again.');
  }
}

/** api-version present and supported by the route's type (ARM's own types and RP types fail differently). */
function checkApiVersion(state: ArmState, route: ResolvedRoute, apiVersion: string): void {
  if (apiVersion === '') throw missingApiVersion();
  if (route.apiType === undefined) return;
  const spec = typeSpec(route.apiType);
  const versions = route.apiVersions ?? spec?.versions;
  if (versions === undefined || versions.includes(apiVersion)) return;
  const newestFirst = [...versions].reverse();
  const namespace = spec?.namespace ?? namespaceSpec(route.apiType.slice(0, route.apiType.indexOf('/')));
  if (namespace?.armNative === true) throw invalidApiVersion(apiVersion, newestFirst);
  const regions = state.scenario.regions.map((r) => r.name);
  const type = spec?.type ?? typeWithoutNamespace(route.apiType);
  throw noRegisteredProvider(route.location ?? regions[0] ?? 'eastus', apiVersion, type, newestFirst, regions);
}

/** Everything between "a request arrived" and "a handler may run", in ARM's order. */
async function run(
  state: ArmState,
  req: IncomingMessage,
  route: ResolvedRoute,
  ctx: Omit<RequestContext, 'body'>,
): Promise<ArmResponse> {
  const caller = route.anonymous === true ? EMULATOR_IDENTITY.objectId : authorize(state, req.headers.authorization);
  // Only an authenticated request gets its body read: no one without the token makes the emulator buffer 8 MiB.
  const raw = await readBody(req);
  const fault = state.faults.requestFault({ method: ctx.method, path: ctx.path, operation: route.operation });
  if (fault?.kind === 'drop') throw new Dropped();
  if (fault !== undefined) throw faultError(fault, ctx, caller);
  checkApiVersion(state, route, ctx.apiVersion);
  const [first, subscriptionId] = ctx.segments;
  if (
    first?.toLowerCase() === 'subscriptions' &&
    subscriptionId !== undefined &&
    !state.subscriptions.has(subscriptionId.toLowerCase())
  ) {
    throw subscriptionNotFound(subscriptionId);
  }
  let body: unknown;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch (e) {
      throw invalidRequestContent((e as Error).message);
    }
  }
  if (route.requiresNamespace !== undefined && !state.registrations.isRegistered(route.requiresNamespace)) {
    throw missingSubscriptionRegistration(
      state.registrations.canonical(route.requiresNamespace) ?? route.requiresNamespace,
    );
  }
  return route.exec({ ...ctx, body });
}

function send(res: ServerResponse, requestId: string, response: ArmResponse, head: boolean): void {
  const headers: Record<string, string> = {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    'Cache-Control': 'no-cache',
    ...response.headers,
  };
  const hasBody = response.body !== undefined && response.status !== 204 && !head;
  const payload = hasBody ? JSON.stringify(response.body) : '';
  if (hasBody) headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** The request listener of the ARM emulator: parse, delay, resolve, check, run, answer, log. */
export function createArmFront(state: ArmState): (req: IncomingMessage, res: ServerResponse) => void {
  return guarded((req, res) => handle(state, req, res));
}

async function handle(state: ArmState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  const method = (req.method ?? 'GET').toUpperCase();
  // Concatenated, not resolved: a path starting '//' (SDKs given a scope with a leading '/') must stay a path.
  const parsed = requestUrl(req, 'https://emulator.invalid', false);
  const url = parsed ?? new URL('https://emulator.invalid/');
  const apiVersion = url.searchParams.get('api-version') ?? '';
  let route: ResolvedRoute = failing(
    'Unknown',
    'read',
    new ArmError(400, 'BadRequest', 'The request URL is not valid.'),
  );
  let status = 0;
  try {
    if (parsed === undefined) throw new ArmError(400, 'BadRequest', 'The request URL is not valid.');
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    state.lro.settleDue();
    const segments = splitPath(url.pathname);
    if (segments !== undefined) route = resolve(state, method, segments);
    const ctx = {
      state,
      method,
      path: url.pathname,
      segments: segments ?? [],
      query: url.searchParams,
      apiVersion,
      headers: req.headers,
    };
    const response = await run(state, req, route, ctx);
    status = response.status;
    send(res, requestId, response, method === 'HEAD');
  } catch (e) {
    if (e instanceof Dropped) {
      req.socket.destroy();
    } else {
      const error =
        e instanceof ArmError
          ? e
          : new ArmError(500, 'InternalServerError', `Emulator bug: ${(e as Error).stack ?? String(e)}`);
      status = error.status;
      send(
        res,
        requestId,
        { status: error.status, body: { error: error.toBody() }, headers: error.headers },
        method === 'HEAD',
      );
    }
  } finally {
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    state.log.add({
      method,
      path: url.pathname,
      apiVersion,
      operation: route.operation,
      kind: route.kind,
      status,
      durationMs,
      requestId,
    });
  }
}
