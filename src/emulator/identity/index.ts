// The emulated directory's services beside ARM: the managed identity endpoint (tokens for `az login --identity` and
// @azure/identity) and the Microsoft Graph subset clients use to name principals.
import { randomBytes } from 'node:crypto';
import { RequestLog } from '../request-log.js';
import type { KeyPair } from '../tls.js';
import { EMULATOR_IDENTITY } from './caller.js';
import { type GraphPrincipal, startGraphServer } from './graph.js';
import { type MsiServer, startMsiServer } from './msi-server.js';
import type { TokenIssuer, TokenSubject } from './tokens.js';

/** Where the managed identity endpoint is, and the secret App Service-style clients send to it. */
export interface ManagedIdentityEndpoint {
  /** 'http://127.0.0.1:PORT/<random>/msi/token' (MSI_ENDPOINT, IDENTITY_ENDPOINT); knowing it is the secret. */
  endpoint: string;
  /** MSI_SECRET / IDENTITY_HEADER (random per start). */
  secret: string;
}

/** The running identity services. */
export interface IdentityServices {
  /** 'https://127.0.0.1:PORT/' (the cloud's microsoftGraphResourceId). */
  graphEndpoint: string;
  /** The Microsoft Graph requests served. */
  graphRequests: RequestLog;
  /** The managed identity endpoint, started on first call (it hands out ARM tokens, so only when asked for). */
  managedIdentity(): Promise<ManagedIdentityEndpoint>;
  close(): Promise<void>;
}

/** A managed identity the directory knows: its principal (object) id, client id, name and ARM resource. */
export interface PrincipalEntry {
  objectId: string;
  appId?: string | undefined;
  displayName: string;
  resourceId: string;
  /** When it was created (epoch ms; 0: it always existed), for the propagation delay. */
  createdAt: number;
}

/**
 * What the identity services need from the rest of the emulator, passed in so that they import nothing from ARM:
 * the token issuer ARM also trusts, the static token, the clock, and the managed identities ARM's store holds.
 */
export interface IdentityDirectory {
  readonly issuer: TokenIssuer;
  readonly staticToken: string;
  /** How long a new identity stays unknown to Graph. */
  readonly propagationMs: number;
  now(): number;
  principals(): Iterable<PrincipalEntry>;
  /** The scenario's app registrations (Graph's application shape; dates may be `now+10d`). */
  applications(): Record<string, unknown>[];
  readonly applicationReadDenied: boolean;
  /** How many entries the Graph request log keeps (as ARM's does). */
  readonly requestLogLimit?: number;
}

const RELATIVE = /^now([+-])(\d+)d$/i;
const DAY_MS = 86_400_000;

/** An application with `now±Nd` dates turned into Graph's ISO 8601 UTC, against the emulator's clock. */
function resolveDates(app: Record<string, unknown>, now: number): Record<string, unknown> {
  const at = (v: unknown): unknown => {
    const m = typeof v === 'string' ? RELATIVE.exec(v.trim()) : null;
    if (m === null) return v;
    const ms = now + (m[1] === '+' ? 1 : -1) * Number(m[2]) * DAY_MS;
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };
  const creds = Array.isArray(app.passwordCredentials) ? app.passwordCredentials : [];
  return {
    id: app.id ?? app.appId,
    keyCredentials: [],
    ...app,
    passwordCredentials: creds.map((c: Record<string, unknown>) => ({
      customKeyIdentifier: null,
      secretText: null,
      ...c,
      startDateTime: at(c.startDateTime ?? 'now-365d'),
      endDateTime: at(c.endDateTime),
    })),
  };
}

/** The directory as Graph shows it: the emulator's own identity and every managed identity past its propagation delay. */
function principals(dir: IdentityDirectory): GraphPrincipal[] {
  const now = dir.now();
  const known = [...dir.principals()]
    .filter((e) => e.createdAt === 0 || now >= e.createdAt + dir.propagationMs)
    .map((e) => ({
      objectId: e.objectId,
      appId: e.appId ?? e.objectId,
      displayName: e.displayName,
      resourceId: e.resourceId,
      explicit: e.resourceId.toLowerCase().includes('/microsoft.managedidentity/userassignedidentities/'),
    }));
  return [{ ...EMULATOR_IDENTITY, appId: EMULATOR_IDENTITY.clientId, resourceId: '', explicit: false }, ...known];
}

/** Starts Graph (HTTPS) on `host`; the managed identity endpoint (HTTP) on demand. */
export async function startIdentityServices(
  dir: IdentityDirectory,
  tls: KeyPair,
  host: string,
): Promise<IdentityServices> {
  const secret = randomBytes(16).toString('hex');
  const graphRequests = new RequestLog(dir.requestLogLimit);
  const graph = await startGraphServer(
    {
      issuer: dir.issuer,
      staticToken: dir.staticToken,
      principals: () => principals(dir),
      applications: () => dir.applications().map((a) => resolveDates(a, dir.now())),
      applicationReadDenied: dir.applicationReadDenied,
      log: graphRequests,
    },
    tls,
    host,
  );
  let msi: Promise<MsiServer> | undefined;
  let closed = false;
  const startMsi = (): Promise<MsiServer> =>
    startMsiServer(
      {
        issuer: dir.issuer,
        secret,
        systemIdentity: { objectId: EMULATOR_IDENTITY.objectId, clientId: EMULATOR_IDENTITY.clientId },
        findIdentity(selector): TokenSubject | undefined {
          const value = selector.value.toLowerCase();
          const entry = [...dir.principals()].find((e) =>
            selector.kind === 'clientId'
              ? e.appId?.toLowerCase() === value
              : selector.kind === 'objectId'
                ? e.objectId.toLowerCase() === value
                : e.resourceId.toLowerCase() === value,
          );
          return entry?.appId === undefined
            ? undefined
            : { objectId: entry.objectId, clientId: entry.appId, resourceId: entry.resourceId };
        },
      },
      host,
    );
  return {
    graphEndpoint: graph.endpoint,
    graphRequests,
    async managedIdentity() {
      if (closed) throw new Error('The emulator is closed: its managed identity endpoint is not started any more.');
      msi ??= startMsi();
      return { endpoint: (await msi).endpoint, secret };
    },
    close: async () => {
      closed = true;
      const started = await msi?.catch(() => undefined);
      await Promise.all([started?.close(), graph.close()]);
    },
  };
}
