import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AciTiming, DEFAULT_ACI_TIMING } from './arm/aci/lifecycle.js';
import { createArmFront } from './arm/front.js';
import { MANAGED_CLUSTER_TYPE } from './arm/handlers/managed-clusters.js';
import { knownPrincipals } from './arm/handlers/user-assigned-identities.js';
import { handlerContext } from './arm/scope.js';
import type { ArmServices } from './arm/services.js';
import { createArmState } from './arm/state.js';
import { type ClusterApis, createClusterApis } from './aks/cluster-apis.js';
import { startConnector } from './aks/connector.js';
import type { ConnectorRuntime } from './aks/connector-runtime.js';
import type { KubeApi } from './kube/index.js';
import { type FaultRule, parseFaults } from './faults.js';
import { type ManagedIdentityEndpoint, startIdentityServices } from './identity/index.js';
import { closeServer } from './identity/listen.js';
import type { RequestLog } from './request-log.js';
import { loadScenario } from './scenario/load.js';
import { createCertificateAuthority } from './tls.js';

/** How to start an emulator. Every field is optional. */
export interface EmulatorOptions {
  /** A shipped scenario's name (`listScenarios()`) or a path to a .yaml/.json file; default 'healthy'. */
  scenario?: string;
  /** 0 = a free port (default). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Added to every ARM request. */
  latencyMs?: number;
  /** Fault rules, as the string syntax (see parseFaults) or parsed. */
  faults?: string | FaultRule[];
  /** How long a long-running operation stays InProgress (default 50 ms). */
  lroDelayMs?: number;
  /** Seed of the PRNG behind probabilistic faults (default 1). */
  seed?: number;
  /** Where ca.pem is written (default: a fresh temporary directory, removed on close). */
  stateDir?: string;
  /** How long a new identity (the add-on's) is unknown to role assignments: 400 PrincipalNotFound (default 2000 ms). */
  principalPropagationMs?: number;
  /** Let a role assignment with `principalType` skip the directory lookup, as Azure documents (default false). */
  principalTypeSkipsLookup?: boolean;
  /** How long ACI's service association link stays on a subnet after its last container group is deleted (default 0). */
  serviceAssociationLinkReleaseMs?: number;
  /** Start the managed identity endpoint with the emulator rather than on the first `managedIdentity()` (default false). */
  managedIdentity?: boolean;
  /** Reconcile period of the emulated aci-connector: a crash-looping connector retries once per period (default 1000 ms). */
  connectorReconcileMs?: number;
  /** Longest a poll of a running long-running operation is held waiting for it to end (default 1000 ms; 0: never). */
  holdPollsMs?: number;
  /** Entries each request log keeps, ARM's and every Kubernetes API server's, the oldest dropped first (default 10,000). */
  requestLogLimit?: number;
  /** How long a finished long-running operation's URLs keep answering before 404 OperationNotFound (default 10 minutes). */
  lroRetentionMs?: number;
  /** A provider the emulated aci-connector runs on virtual-node-aci-linux once healthy (none: the node only). */
  connectorRuntime?: ConnectorRuntime;
  /** How long each stage of an emulated container's life takes (pull, start, run, back-off…; DEFAULT_ACI_TIMING). */
  aciTiming?: Partial<AciTiming>;
}

/** A running emulator: where it is, how to trust and reach it, what it saw, and knobs to turn while it runs. */
export interface Emulator {
  /** 'https://127.0.0.1:PORT/' (trailing slash). */
  readonly armEndpoint: string;
  /** PEM of the CA that signed the server certificate. */
  readonly caPem: string;
  /** The CA PEM on disk. */
  readonly caFile: string;
  /** The static bearer token it accepts (random per start); it also accepts the JWTs its identity endpoint issues. */
  readonly token: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  /**
   * The managed identity endpoint (MSI_ENDPOINT, IDENTITY_ENDPOINT: 'http://127.0.0.1:PORT/<random>/msi/token') and
   * the secret App Service-style clients send to it (MSI_SECRET, IDENTITY_HEADER). Started on first call (or at
   * start with `managedIdentity: true`): it hands out ARM tokens, so it does not run unless asked for.
   */
  managedIdentity(): Promise<ManagedIdentityEndpoint>;
  /** Microsoft Graph, 'https://127.0.0.1:PORT/' (base URL and token audience). */
  readonly graphEndpoint: string;
  /** The cloud's name in GET /metadata/endpoints ('vnodes-emulator'). */
  readonly cloudName: string;
  /** VNODES_ARM_ENDPOINT, VNODES_ARM_CA_FILE, VNODES_ARM_TOKEN, VNODES_GRAPH_ENDPOINT, AZURE_SUBSCRIPTION_ID. */
  env(): Record<string, string>;
  readonly requests: RequestLog;
  /** The Microsoft Graph requests it answered (operation 'GET applications', …), counted like `requests`. */
  readonly graphRequests: RequestLog;
  /** Replaces the fault rules (and resets their counters). */
  setFaults(faults: string | FaultRule[]): void;
  setLatency(ms: number): void;
  /**
   * The Kubernetes API server of a managed cluster, by name (case-insensitive; default: the only or first cluster),
   * started if it was not yet. Tests read cluster state through it with a real client (`kubeconfig()`).
   */
  kube(clusterName?: string): Promise<KubeApi>;
  /** Stops the ARM server, then the connector, the Kubernetes API servers and the identity services; kube() refuses afterwards. */
  close(): Promise<void>;
}

/** The port asked for is taken (EADDRINUSE): a usage problem, not an emulator bug. */
export class EmulatorPortInUse extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Port ${port} on ${host} is already in use.`);
  }
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Starts an ARM emulator over HTTPS with a certificate generated for this start. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const toRules = (f: string | FaultRule[]): FaultRule[] => (typeof f === 'string' ? parseFaults(f) : f);
  const faults = toRules(options.faults ?? []);
  const scenario = await loadScenario(options.scenario ?? 'healthy');
  const host = options.host ?? '127.0.0.1';
  const ownDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'vnodes-emulator-')));
  // What has started so far, stopped in reverse order when a later step fails.
  const started: Array<() => Promise<unknown>> = [];
  try {
    return await serve();
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    if (ownDir) await rm(stateDir, { recursive: true, force: true });
    throw error;
  }

  async function serve(): Promise<Emulator> {
    await mkdir(stateDir, { recursive: true });
    const ca = await createCertificateAuthority();
    const leaf = await ca.issue([...new Set([host, '127.0.0.1', 'localhost'])]);
    const caFile = join(stateDir, 'ca.pem');
    await writeFile(caFile, ca.cert);
    const token = randomBytes(32).toString('base64url');
    let apis: ClusterApis | undefined;
    const services: ArmServices = {
      principalPropagationMs: options.principalPropagationMs ?? 2000,
      principalTypeSkipsLookup: options.principalTypeSkipsLookup ?? false,
      serviceAssociationLinkReleaseMs: options.serviceAssociationLinkReleaseMs ?? 0,
      aciTiming: { ...DEFAULT_ACI_TIMING, ...options.aciTiming },
      kubeFor: (clusterId) => apis!.forCluster(clusterId),
    };
    const state = createArmState({
      services,
      scenario,
      token,
      latencyMs: options.latencyMs ?? 0,
      lroDelayMs: options.lroDelayMs ?? 50,
      faults,
      seed: options.seed ?? 1,
      ...(options.holdPollsMs === undefined ? {} : { holdPollsMs: options.holdPollsMs }),
      ...(options.requestLogLimit === undefined ? {} : { requestLogLimit: options.requestLogLimit }),
      ...(options.lroRetentionMs === undefined ? {} : { lroRetentionMs: options.lroRetentionMs }),
    });
    const { createServer } = await import('node:https');
    const server = createServer({ key: leaf.key, cert: leaf.cert }, createArmFront(state));
    const requested = options.port ?? 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new EmulatorPortInUse(host, requested) : error),
      );
      server.listen(requested, host, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    started.push(() => closeServer(server));
    const { port } = server.address() as AddressInfo;
    const armEndpoint = `https://${urlHost(host)}:${port}/`;
    state.baseUrl = armEndpoint;
    const identity = await startIdentityServices(
      {
        issuer: state.tokens,
        staticToken: token,
        propagationMs: services.principalPropagationMs,
        now: state.now,
        principals: () => knownPrincipals(handlerContext(state)).values(),
        applications: () => scenario.directory?.applications ?? [],
        applicationReadDenied: scenario.directory?.applicationReadDenied === true,
        requestLogLimit: state.log.limit,
      },
      leaf,
      host,
    );
    started.push(() => identity.close());
    state.cloud.graph = identity.graphEndpoint;
    if (options.managedIdentity === true) await identity.managedIdentity();
    const clusterApis = createClusterApis({
      store: state.store,
      scenario,
      tls: { ...leaf, ca: ca.cert },
      host,
      requestLogLimit: state.log.limit,
    });
    apis = clusterApis;
    started.push(() => clusterApis.close());
    const connector = startConnector(state, clusterApis, {
      reconcileMs: options.connectorReconcileMs ?? 1000,
      ...(options.connectorRuntime === undefined
        ? {}
        : {
            runtime: options.connectorRuntime,
            arm: {
              endpoint: () => state.baseUrl,
              caPem: ca.cert,
              caFile,
              token,
              subscriptionId: scenario.subscription.id,
            },
          }),
    });
    started.push(() => connector.stop());
    // Scenario clusters with the add-on on come up with their connector already in the state the scenario implies.
    await connector.reconcile();
    const { subscription } = scenario;
    return {
      armEndpoint,
      caPem: ca.cert,
      caFile,
      token,
      subscriptionId: subscription.id,
      tenantId: subscription.tenantId,
      managedIdentity: () => identity.managedIdentity(),
      graphEndpoint: identity.graphEndpoint,
      cloudName: state.cloud.name,
      requests: state.log,
      graphRequests: identity.graphRequests,
      env: () => ({
        VNODES_ARM_ENDPOINT: armEndpoint,
        VNODES_ARM_CA_FILE: caFile,
        VNODES_ARM_TOKEN: token,
        VNODES_GRAPH_ENDPOINT: identity.graphEndpoint,
        AZURE_SUBSCRIPTION_ID: subscription.id,
      }),
      setFaults: (f) => state.faults.set(toRules(f)),
      setLatency: (ms) => {
        state.latencyMs = ms;
      },
      kube: (clusterName) => {
        const clusters = state.store.list(MANAGED_CLUSTER_TYPE, '');
        const cluster =
          clusterName === undefined
            ? clusters[0]
            : clusters.find((c) => String(c.body.name).toLowerCase() === clusterName.toLowerCase());
        if (cluster === undefined)
          return Promise.reject(
            new Error(
              `No managed cluster${clusterName === undefined ? '' : ` named ${clusterName}`} in this emulator.`,
            ),
          );
        return clusterApis.forCluster(cluster.id);
      },
      close: async () => {
        // ARM first, so that no request starts an API server or a reconcile behind the ones being stopped.
        await closeServer(server);
        await connector.stop();
        await clusterApis.close();
        await identity.close();
        if (ownDir) await rm(stateDir, { recursive: true, force: true });
      },
    };
  }
}
