import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { ResourceManagementClient } from '@azure/arm-resources';
import { UsageError } from '../errors.js';
import { redactUrl } from '../util/redact.js';
import { resolveCloud, type Cloud } from './cloud.js';
import { lazyDefaultCredential, staticTokenCredential } from './credential.js';
import { abortPolicy, retryAfterLimitPolicy } from './interrupt-policy.js';
import { assertNotEmptyFlag, envValue } from './names.js';
import { resolveSubscription, type SubscriptionSource } from './subscription.js';

/** Everything a command needs to talk to ARM, resolved once and frozen. */
export interface AzureContext {
  readonly cloud: Cloud;
  readonly subscriptionId: string;
  readonly subscriptionSource: SubscriptionSource;
  readonly credential: TokenCredential;
  /** Options every SDK client is built with: endpoint, CA, retry, user agent, debug logging, abort. */
  readonly clientOptions: ArmClientOptions;
  /** The HTTP calls this run made so far (ARM counted by a pipeline policy, Kubernetes by the kube port). */
  readonly calls: CallCounts;
  resources(): Promise<ResourceManagementClient>;
  containerInstance(): Promise<ContainerInstanceManagementClient>;
  /** The Network client for the context's subscription, or another one (a VNet can live in another subscription). */
  network(subscriptionId?: string): Promise<NetworkManagementClient>;
  containerService(): Promise<ContainerServiceClient>;
  authorization(): Promise<AuthorizationManagementClient>;
  /** The --debug log (a no-op without --debug), for the other HTTP clients a run makes (the Kubernetes API). */
  debug(line: string): void;
}

/** HTTP calls made in one run, by API; every attempt counts (a retried call is two). */
export interface CallCounts {
  arm: number;
  kubernetes: number;
  /** Microsoft Graph requests (doctor's service-principal check reads the application's secrets). */
  graph: number;
  /** ARM answers that were 429 (the SDK waited their Retry-After and tried again, up to its retry limit). */
  throttled: number;
}

/** The subset of the SDKs' common client options vnodes sets. */
export interface ArmClientOptions {
  endpoint: string;
  credentialScopes: string[];
  /** The CA, and one TLS context built from it that every connection shares (Node builds one per connection otherwise). */
  tlsOptions?: { ca: string; secureContext?: SecureContext };
  retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  userAgentOptions: { userAgentPrefix: string };
  additionalPolicies: { policy: PipelinePolicy; position: 'perCall' | 'perRetry' }[];
}

/** What resolving the context needs from the outside world. */
export interface AzureContextInput {
  subscriptionFlag: string | undefined;
  cloudFlag: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  version: string;
  debug: (line: string) => void;
  /** The run's abort signal (Ctrl-C): every request, and every Retry-After wait, ends when it fires. */
  signal?: AbortSignal;
}

/** Resolves cloud, endpoint, CA, credential and subscription; clients are created lazily and cached. */
export async function createAzureContext(input: AzureContextInput): Promise<AzureContext> {
  const { env } = input;
  // Empty flags are refused, empty environment variables mean unset (the rule is in src/azure/names.ts).
  assertNotEmptyFlag(input.subscriptionFlag, '--subscription', '00000000-0000-0000-0000-000000000000');
  assertNotEmptyFlag(input.cloudFlag, '--cloud', 'AzureCloud');
  const cloud = resolveCloud(
    input.cloudFlag ?? envValue(env, 'VNODES_CLOUD'),
    envValue(env, 'VNODES_ARM_ENDPOINT'),
    envValue(env, 'VNODES_GRAPH_ENDPOINT'),
  );
  const ca = readCaFile(envValue(env, 'VNODES_ARM_CA_FILE'));
  const token = envValue(env, 'VNODES_ARM_TOKEN');
  const credential = token ? staticTokenCredential(token) : lazyDefaultCredential(cloud);
  const subscription = await resolveSubscription(input.subscriptionFlag, env);
  input.debug(
    `cloud ${cloud.name} at ${redactUrl(cloud.resourceManager)}; subscription ${subscription.id} (from ${subscription.source})`,
  );

  const calls: CallCounts = { arm: 0, kubernetes: 0, graph: 0, throttled: 0 };
  const clientOptions: ArmClientOptions = {
    endpoint: cloud.resourceManager.replace(/\/$/, ''),
    // The token audience is the endpoint's by default (Azure Stack, the emulator); a proxy in front of a public
    // cloud sets VNODES_ARM_AUDIENCE to that cloud's, e.g. https://management.azure.com/.
    credentialScopes: [`${(env.VNODES_ARM_AUDIENCE || cloud.resourceManager).replace(/\/?$/, '/')}.default`],
    ...(ca ? { tlsOptions: { ca, secureContext: createSecureContext({ ca }) } } : {}),
    // The SDK's retry policies already honour Retry-After on 429/503; these bound the total wait.
    retryOptions: { maxRetries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 30_000 },
    userAgentOptions: { userAgentPrefix: `vnodes/${input.version}` },
    additionalPolicies: [
      ...(input.signal ? [{ policy: abortPolicy(input.signal), position: 'perCall' as const }] : []),
      { policy: retryAfterLimitPolicy(), position: 'perRetry' },
      { policy: debugLogPolicy(input.debug), position: 'perRetry' },
      { policy: countingPolicy(calls), position: 'perRetry' },
    ],
  };

  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as Promise<T>;
  };
  const sub = subscription.id;
  // Casts: each SDK declares its own copy of the options type; the fields vnodes sets are common to all. One HTTP
  // client for all of them, so they share one connection pool (and its TLS sessions) instead of one each.
  const options = (): Promise<never> =>
    once('http', async () => {
      const { createDefaultHttpClient } = await import('@azure/core-rest-pipeline');
      return { ...clientOptions, httpClient: createDefaultHttpClient() };
    }) as Promise<never>;

  return Object.freeze({
    cloud,
    subscriptionId: sub,
    subscriptionSource: subscription.source,
    credential,
    clientOptions,
    debug: input.debug,
    calls,
    resources: () =>
      once(
        'resources',
        async () =>
          new (await import('@azure/arm-resources')).ResourceManagementClient(credential, sub, await options()),
      ),
    containerInstance: () =>
      once(
        'aci',
        async () =>
          new (await import('@azure/arm-containerinstance')).ContainerInstanceManagementClient(
            credential,
            sub,
            await options(),
          ),
      ),
    network: (subscriptionId = sub) =>
      once(
        `network:${subscriptionId.toLowerCase()}`,
        async () =>
          new (await import('@azure/arm-network')).NetworkManagementClient(credential, subscriptionId, await options()),
      ),
    containerService: () =>
      once(
        'aks',
        async () =>
          new (await import('@azure/arm-containerservice')).ContainerServiceClient(credential, sub, await options()),
      ),
    authorization: () =>
      once(
        'authz',
        async () =>
          new (await import('@azure/arm-authorization')).AuthorizationManagementClient(
            credential,
            sub,
            await options(),
          ),
      ),
  });
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * Reads and checks the CA file at start: a garbage file used to surface only as the TLS error "unable to verify the
 * first certificate" on the first call, which looks like a network problem rather than a bad setting.
 */
function readCaFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const bad = (why: string) =>
    new UsageError(
      `VNODES_ARM_CA_FILE "${path}" ${why}.`,
      'Point VNODES_ARM_CA_FILE at a PEM file holding the CA certificate(s) of your ARM endpoint (-----BEGIN CERTIFICATE-----), or unset it.',
      'VNODES_BAD_CA_FILE',
    );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw bad(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw bad('holds no PEM certificate');
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw bad(`has a certificate that does not parse (block ${i + 1} of ${blocks.length})`);
    }
  });
  return text;
}

// Counts requests that reach the wire, so a dry run's stopped write is not one.
function countingPolicy(calls: CallCounts): PipelinePolicy {
  return {
    name: 'vnodesCallCount',
    async sendRequest(request, next) {
      calls.arm++;
      const response = await next(request);
      if (response.status === 429) calls.throttled++;
      return response;
    },
  };
}

/** Logs one line per HTTP attempt for --debug; never headers, so the Authorization header cannot leak. */
function debugLogPolicy(debug: (line: string) => void): PipelinePolicy {
  return {
    name: 'vnodesDebugLog',
    async sendRequest(request, next) {
      const t0 = performance.now();
      const line = `${request.method} ${redactUrl(request.url)}`;
      try {
        const response = await next(request);
        const id = response.headers.get('x-ms-request-id');
        debug(
          `${line} -> ${response.status} in ${Math.round(performance.now() - t0)} ms${id ? ` x-ms-request-id=${id}` : ''}`,
        );
        return response;
      } catch (error) {
        debug(`${line} -> ${(error as Error).message} after ${Math.round(performance.now() - t0)} ms`);
        throw error;
      }
    },
  };
}
