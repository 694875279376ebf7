// One emulated Kubernetes API server per managed cluster, started on first need (credentials, the add-on, a test's
// emulator.kube()), holding the scenario's objects for that cluster and the cluster's agent nodes.
import { randomBytes } from 'node:crypto';
import { jsonObject } from '../arm/context.js';
import { idKey, parseArmPath } from '../arm/ids.js';
import type { Json, ResourceStore, StoredResource } from '../arm/store.js';
import { MANAGED_CLUSTER_TYPE, nodeResourceGroupOf, suffixOf } from '../arm/handlers/managed-clusters.js';
import { jsonList } from '../arm/handlers/subnet-rules.js';
import type { KubeApi } from '../kube/index.js';
import type { Scenario } from '../scenario/model.js';
import type { KeyPair } from '../tls.js';

/** The clusters' API servers. */
export interface ClusterApis {
  /** The API server of a cluster (by ARM id, any casing), started on first call. */
  forCluster(clusterId: string): Promise<KubeApi>;
  /** The API server if it has been started, without starting it. */
  started(clusterId: string): KubeApi | undefined;
  /** Closes every API server started; from then on forCluster refuses to start any. */
  close(): Promise<void>;
}

const propertiesOf = (body: Json): Json => jsonObject(body.properties) ?? {};

/** `{major, minor, gitVersion}` for a cluster's Kubernetes version ('1.31.7'). */
function versionOf(cluster: StoredResource): { major: string; minor: string; gitVersion: string } | undefined {
  const p = propertiesOf(cluster.body);
  const v = String(p.currentKubernetesVersion ?? p.kubernetesVersion ?? '');
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m === null ? undefined : { major: m[1]!, minor: m[2]!, gitVersion: `v${m[1]}.${m[2]}.${m[3]}` };
}

/** The nodes AKS runs for the cluster's agent pools (`aks-<pool>-<n>-vmss00000<i>`), Ready, with AKS's labels. */
function agentNodes(cluster: StoredResource): Json[] {
  const p = propertiesOf(cluster.body);
  const version = String(p.currentKubernetesVersion ?? p.kubernetesVersion ?? '1.31.7');
  const region = String(cluster.body.location ?? 'eastus');
  const n = suffixOf(cluster.id);
  return jsonList(p.agentPoolProfiles).flatMap((pool, poolIndex) => {
    const count = typeof pool.count === 'number' ? pool.count : 1;
    const name = String(pool.name ?? `nodepool${poolIndex + 1}`);
    return Array.from({ length: count }, (_, i) => {
      const node = `aks-${name}-${n}-vmss${i.toString(36).padStart(6, '0')}`;
      return {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: node,
          labels: {
            agentpool: name,
            'beta.kubernetes.io/arch': 'amd64',
            'beta.kubernetes.io/os': 'linux',
            'kubernetes.azure.com/agentpool': name,
            'kubernetes.azure.com/cluster': nodeResourceGroupOf(cluster),
            'kubernetes.azure.com/mode': String(pool.mode ?? 'System').toLowerCase(),
            'kubernetes.azure.com/role': 'agent',
            'kubernetes.io/arch': 'amd64',
            'kubernetes.io/hostname': node,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/role': 'agent',
            'node.kubernetes.io/instance-type': String(pool.vmSize ?? 'Standard_D4ds_v5'),
            'topology.kubernetes.io/region': region,
            'topology.kubernetes.io/zone': '0',
          },
        },
        spec: {
          providerID: `azure:///subscriptions/${parseArmPath(cluster.id)?.subscriptionId}/resourceGroups/${nodeResourceGroupOf(cluster).toLowerCase()}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-${name}-${n}-vmss/virtualMachines/${i}`,
        },
        status: {
          capacity: {
            cpu: '4',
            memory: '16365712Ki',
            pods: String(pool.maxPods ?? 30),
            'ephemeral-storage': '129886128Ki',
          },
          allocatable: {
            cpu: '3860m',
            memory: '12880016Ki',
            pods: String(pool.maxPods ?? 30),
            'ephemeral-storage': '119703055367',
          },
          addresses: [
            { type: 'InternalIP', address: `10.240.0.${4 + i}` },
            { type: 'Hostname', address: node },
          ],
          nodeInfo: {
            architecture: 'amd64',
            operatingSystem: 'linux',
            osImage: 'Ubuntu 22.04.5 LTS',
            kernelVersion: '5.15.0-1079-azure',
            containerRuntimeVersion: 'containerd://1.7.25-1',
            kubeletVersion: `v${version}`,
            kubeProxyVersion: `v${version}`,
          },
        },
      };
    });
  });
}

/** Which scenario objects belong to a cluster: its named list, or the flat list when it is the first cluster. */
function objectsFor(scenario: Scenario, cluster: StoredResource, first: boolean): Json[] {
  const name = String(cluster.body.name ?? '').toLowerCase();
  const named = Object.entries(scenario.kubernetesByCluster ?? {}).find(([k]) => k.toLowerCase() === name)?.[1] ?? [];
  return [...(first ? scenario.kubernetes : []), ...named];
}

/** API servers for the managed clusters in `store`, signed by the emulator's CA. */
export function createClusterApis(input: {
  store: ResourceStore;
  scenario: Scenario;
  tls: KeyPair & { ca: string };
  host: string;
  /** Entries each API server's request log keeps. */
  requestLogLimit?: number;
}): ClusterApis {
  const apis = new Map<string, Promise<KubeApi>>();
  const ready = new Map<string, KubeApi>();
  let closed = false;
  const start = async (cluster: StoredResource): Promise<KubeApi> => {
    const { startKubeApi } = await import('../kube/index.js');
    const first = idKey(input.store.list(MANAGED_CLUSTER_TYPE, '')[0]?.id ?? '') === idKey(cluster.id);
    const objects = objectsFor(input.scenario, cluster, first);
    const hasNodes = objects.some((o) => o.kind === 'Node');
    const version = versionOf(cluster);
    const api = await startKubeApi({
      tls: input.tls,
      host: input.host,
      token: randomBytes(32).toString('base64url'),
      clusterName: String(cluster.body.name ?? parseArmPath(cluster.id)?.name),
      objects: [...(hasNodes ? [] : agentNodes(cluster)), ...objects],
      ...(input.requestLogLimit === undefined ? {} : { requestLogLimit: input.requestLogLimit }),
      ...(version === undefined ? {} : { version }),
    });
    ready.set(idKey(cluster.id), api);
    return api;
  };
  return {
    forCluster(clusterId) {
      if (closed)
        return Promise.reject(new Error('The emulator is closed: no Kubernetes API server is started any more.'));
      const key = idKey(clusterId);
      let api = apis.get(key);
      if (api === undefined) {
        const cluster = input.store.get(clusterId);
        if (cluster === undefined || cluster.type !== MANAGED_CLUSTER_TYPE)
          return Promise.reject(new Error(`No managed cluster ${clusterId}.`));
        api = start(cluster);
        apis.set(key, api);
      }
      return api;
    },
    started: (clusterId) => ready.get(idKey(clusterId)),
    async close() {
      closed = true;
      const all = await Promise.allSettled([...apis.values()]);
      await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    },
  };
}
