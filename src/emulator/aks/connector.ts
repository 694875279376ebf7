// The emulated aci-connector-linux add-on: follows the ARM store (add-on on/off, role assignments, the subnet) and
// reconciles each cluster's Kubernetes API on a tick, the way AKS's add-on manager and the connector pod would.
// Given a runtime (connector-runtime.ts), it starts that provider once the connector is healthy; without one it only
// registers the node, and pods bound to the virtual node stay Pending.
import type { ArmState } from '../arm/context.js';
import { jsonObject } from '../arm/context.js';
import { idKey } from '../arm/ids.js';
import { handlerContext } from '../arm/scope.js';
import type { StoredResource } from '../arm/store.js';
import { addonEnabled } from '../arm/handlers/managed-cluster-addon.js';
import { MANAGED_CLUSTER_TYPE } from '../arm/handlers/managed-clusters.js';
import type { KubeApi } from '../kube/index.js';
import type { ClusterApis } from './cluster-apis.js';
import { addonIdentity, initConnector } from './connector-init.js';
import { injectedInitError } from './connector-init-validation.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import { CONNECTOR, NAMESPACE, VIRTUAL_NODE } from './connector-objects.js';
import { nodeResourceGroupOf } from '../arm/handlers/managed-clusters.js';
import {
  CONNECTOR_POD_IP,
  type ConnectorPod,
  ensurePod,
  markCrashing,
  markInitFailing,
  markRunning,
  removeAll,
  renew,
  startRuntime,
} from './connector-pod.js';

/** How the emulated connector runs. */
export interface ConnectorOptions {
  /** Period of the reconcile tick: a crash-looping connector retries once per period (a role granted late is seen then). */
  reconcileMs: number;
  /** The provider to run on the virtual node once the connector is healthy (none: the node only). */
  runtime?: ConnectorRuntime;
  /** What the runtime needs to reach the emulator's ARM. */
  arm?: { endpoint: () => string; caPem: string; caFile: string; token: string; subscriptionId: string };
}

/** The running connector of an emulator. */
export interface Connector {
  /** One reconcile pass over every cluster now (also what the tick and ARM changes trigger); resolves when done. */
  reconcile(): Promise<void>;
  /** Stops the tick, cancels passes already asked for, and waits for a pass in progress. */
  stop(): Promise<void>;
}

const succeeded = (cluster: StoredResource): boolean =>
  String(jsonObject(cluster.body.properties)?.provisioningState ?? 'Succeeded') === 'Succeeded';

/** Starts the connector over an ARM state and the clusters' API servers. */
export function startConnector(state: ArmState, apis: ClusterApis, options: ConnectorOptions): Connector {
  const pods = new Map<string, ConnectorPod>();
  const hctx = handlerContext(state);
  const runtimes = new Map<string, Promise<{ stop(): Promise<void> } | undefined>>();

  /** Starts the provider for a cluster once; a failed start is retried on a later pass. */
  function startRuntime_(cluster: StoredResource, api: KubeApi, rt: ConnectorPod, subnetId: string): void {
    const key = idKey(cluster.id);
    const runtime = options.runtime;
    if (runtime === undefined || options.arm === undefined || runtimes.has(key)) return;
    const log = (line: string): void => api.store.logs.append(NAMESPACE, rt.podName, CONNECTOR, `${line}\n`);
    const started = runtime
      .start({
        clusterName: String(cluster.body.name),
        clusterId: cluster.id,
        kubeconfig: api.kubeconfig(),
        armEndpoint: options.arm.endpoint(),
        caPem: options.arm.caPem,
        caFile: options.arm.caFile,
        token: options.arm.token,
        subscriptionId: options.arm.subscriptionId,
        nodeName: VIRTUAL_NODE,
        aciResourceGroup: nodeResourceGroupOf(cluster),
        region: String(cluster.body.location ?? 'eastus'),
        subnetId,
        nodeIP: CONNECTOR_POD_IP,
        log,
      })
      .catch((error: Error) => {
        log(`level=error msg="provider failed to start" error="${error.message}"`);
        runtimes.delete(key);
        return undefined;
      });
    runtimes.set(key, started);
  }
  async function stopRuntime(key: string): Promise<void> {
    const started = runtimes.get(key);
    runtimes.delete(key);
    await (await started)?.stop();
  }

  async function runCluster(cluster: StoredResource, api: KubeApi): Promise<void> {
    const now = state.now();
    const key = idKey(cluster.id);
    const withProvider = options.runtime !== undefined;
    const current = pods.get(key) ?? startRuntime(cluster.id, api.store, now, !withProvider);
    pods.set(key, current);
    ensurePod(current, api.store, cluster, hctx, now);
    if (current.running) {
      // The provider keeps its own node and lease; without one, the emulator does.
      if (!withProvider) renew(current, api.store, now);
      return;
    }
    if (now < current.nextAttemptMs) return;
    const initError = injectedInitError(cluster);
    if (initError !== undefined) {
      markInitFailing(current, api.store, now, initError);
      current.nextAttemptMs = now + options.reconcileMs;
      return;
    }
    const result = initConnector(cluster, hctx);
    if (result.ok) {
      markRunning(current, api.store, now, !withProvider);
      startRuntime_(cluster, api, current, result.subnetId);
    } else {
      markCrashing(current, api.store, now, result.error);
      current.nextAttemptMs = now + options.reconcileMs;
    }
  }

  // Each cluster as it was when its last operation succeeded: AKS keeps the add-on running through an update (a tag
  // PUT, a scale) with the configuration it had, and applies a new one only once the update has succeeded.
  const settled = new Map<string, StoredResource>();
  const tearDown = async (key: string, clusterId: string): Promise<void> => {
    pods.delete(key);
    await stopRuntime(key);
    const api = apis.started(clusterId);
    if (api !== undefined) removeAll(api.store);
  };

  async function pass(): Promise<void> {
    state.lro.settleDue();
    const seen = new Set<string>();
    for (const cluster of state.store.list(MANAGED_CLUSTER_TYPE, '')) {
      const key = idKey(cluster.id);
      seen.add(key);
      if (succeeded(cluster)) settled.set(key, cluster);
      const config = settled.get(key);
      const on = config !== undefined && addonEnabled(config.body) && addonIdentity(config) !== undefined;
      if (on) await runCluster(config, await apis.forCluster(cluster.id));
      else if (pods.has(key)) await tearDown(key, cluster.id);
    }
    // A deleted cluster takes its virtual node with it, however fast its delete went.
    for (const [key, config] of [...settled]) {
      if (seen.has(key)) continue;
      settled.delete(key);
      if (pods.has(key)) await tearDown(key, config.id);
    }
  }

  let busy: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const reconcile = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (busy !== undefined) {
      again = true;
      return busy;
    }
    busy = (async () => {
      do {
        again = false;
        try {
          await pass();
        } catch (error) {
          process.emitWarning(
            `vnodes emulator: aci-connector reconcile failed: ${(error as Error).stack ?? String(error)}`,
          );
        }
      } while (again && !stopped);
      busy = undefined;
    })();
    return busy;
  };

  let scheduled = false;
  const offChange = state.store.onChange(() => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!stopped) void reconcile();
    });
  });
  const timer = setInterval(() => void reconcile(), options.reconcileMs);
  timer.unref();
  return {
    reconcile,
    async stop() {
      stopped = true;
      clearInterval(timer);
      offChange();
      await busy;
      await Promise.all([...runtimes.keys()].map((key) => stopRuntime(key)));
    },
  };
}
