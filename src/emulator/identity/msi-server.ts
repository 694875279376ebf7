import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { guarded, requestUrl } from '../http-guard.js';
import { closeServer, listenLoopback } from './listen.js';
import type { TokenIssuer, TokenSubject } from './tokens.js';

/** Which identity a token request names (`client_id`, `object_id`, `mi_res_id`…), or none for the system-assigned one. */
export interface IdentitySelector {
  kind: 'clientId' | 'objectId' | 'resourceId';
  value: string;
}

/** What the endpoint needs: the issuer, the shared secret, and how to find a user-assigned identity. */
export interface MsiServerDeps {
  issuer: TokenIssuer;
  /** The value App Service clients send as `secret` / `X-IDENTITY-HEADER`. */
  secret: string;
  /** The system-assigned identity: what a request without a selector gets a token for. */
  systemIdentity: TokenSubject;
  /** A user-assigned identity by selector, or undefined when the directory has none such. */
  findIdentity(selector: IdentitySelector): TokenSubject | undefined;
}

/** A running managed identity endpoint. */
export interface MsiServer {
  /**
   * 'http://127.0.0.1:PORT/<random>/msi/token' — the MSI_ENDPOINT / IDENTITY_ENDPOINT value. The random segment makes
   * the URL itself the secret: the Cloud Shell form (`Metadata: true`, which the Azure CLI sends) carries no other.
   */
  readonly endpoint: string;
  close(): Promise<void>;
}

const SELECTORS: ReadonlyArray<[string, IdentitySelector['kind']]> = [
  ['client_id', 'clientId'],
  ['clientid', 'clientId'],
  ['object_id', 'objectId'],
  ['principal_id', 'objectId'],
  ['msi_res_id', 'resourceId'],
  ['mi_res_id', 'resourceId'],
];

class MsiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}

const invalidRequest = (description: string): MsiError =>
  new MsiError(400, { error: 'invalid_request', error_description: description });

const sameSecret = (given: string, wanted: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** `11/05/2021 15:18:31 +00:00`: how the 2017-09-01 App Service endpoint writes `expires_on`. */
function appServiceDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +00:00`;
}

async function readParams(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.searchParams);
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.set(k, v);
  }
  return params;
}

/**
 * One token request in any of the managed identity protocols clients speak: App Service 2017-09-01 (`secret`
 * header; the Azure CLI 2.45 with MSI_ENDPOINT + MSI_SECRET on App Service), App Service 2019-08-01
 * (`X-IDENTITY-HEADER`; @azure/identity with IDENTITY_ENDPOINT), and the Cloud Shell / IMDS form (`Metadata: true`,
 * resource in the query or a form body; the Azure CLI with MSI_ENDPOINT alone).
 */
async function tokenResponse(deps: MsiServerDeps, req: IncomingMessage, url: URL): Promise<unknown> {
  const secret = req.headers['x-identity-header'] ?? req.headers.secret;
  if (typeof secret === 'string') {
    if (!sameSecret(secret, deps.secret))
      throw new MsiError(401, { statusCode: 401, message: 'Unauthorized request. The secret header does not match.' });
  } else if (String(req.headers.metadata).toLowerCase() !== 'true') {
    throw invalidRequest('Required metadata header not specified');
  }
  const params = await readParams(req, url);
  const resource = params.get('resource');
  if (resource === null || resource === '') throw invalidRequest("Required query variable 'resource' is missing");
  const given = SELECTORS.flatMap(([key, kind]) => (params.get(key) ? [{ kind, value: params.get(key)! }] : []));
  if (given.length > 1) throw invalidRequest('Only one of client_id, object_id and mi_res_id may be given');
  const subject = given.length === 0 ? deps.systemIdentity : deps.findIdentity(given[0]!);
  if (subject === undefined) throw invalidRequest('Identity not found');
  const token = deps.issuer.issue(resource, subject);
  const expiresIn = token.expiresOn - token.claims.iat;
  return {
    access_token: token.accessToken,
    client_id: subject.clientId,
    expires_in: String(expiresIn),
    expires_on: params.get('api-version') === '2017-09-01' ? appServiceDate(token.expiresOn) : String(token.expiresOn),
    ext_expires_in: String(expiresIn),
    not_before: String(token.claims.nbf),
    resource,
    token_type: 'Bearer',
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

/** Starts the managed identity endpoint over plain HTTP on loopback, as App Service and Cloud Shell serve theirs. */
export async function startMsiServer(deps: MsiServerDeps, host: string): Promise<MsiServer> {
  const { createServer } = await import('node:http');
  const tokenPath = `/${randomBytes(16).toString('hex')}/msi/token`;
  const server: Server = createServer(
    guarded((req, res) => {
      const url = requestUrl(req, 'http://msi.invalid');
      const path = url?.pathname.replace(/\/+$/, '') ?? '';
      if (url === undefined || !sameSecret(path, tokenPath) || (req.method !== 'GET' && req.method !== 'POST')) {
        // The path is not echoed: it is the secret.
        send(res, 404, {
          error: 'not_found',
          error_description: `No managed identity endpoint at ${req.method} this path.`,
        });
        return undefined;
      }
      return tokenResponse(deps, req, url).then(
        (body) => send(res, 200, body),
        (e: unknown) =>
          e instanceof MsiError
            ? send(res, e.status, e.body)
            : send(res, 500, { error: 'server_error', error_description: String(e) }),
      );
    }),
  );
  const base = await listenLoopback(server, host, 'http');
  return {
    endpoint: `${base}${tokenPath.slice(1)}`,
    close: () => closeServer(server),
  };
}
