// The facts loaders of one doctor run. Reads that do not depend on each other start together: the cluster GET, the
// extensions list (its URL needs only the names), both providers and the policy assignments at once; then the VNet,
// the region's rows, the identity, the role assignments, the container groups and the Kubernetes lists, each as soon
// as the cluster is known; then the role definitions and the connector's logs. Every object is fetched at most once
// (the facts context caches), and the network facts are the ones check-network reads (networkLoaders).
import { listCapabilities, listUsages } from '../azure/aci.js';
import { listContainerGroups } from '../azure/container-groups.js';
import type { AzureContext } from '../azure/context.js';
import {
  getUserAssignedIdentity,
  listClusterExtensions,
  listPolicyAssignments,
  readRoleDefinition,
} from '../azure/doctor-reads.js';
import { getProvider } from '../azure/providers.js';
import { listRoleAssignments } from '../azure/role-assignments.js';
import type { ConnectorLog, Grant, KubeFacts } from '../checks/doctor-facts.js';
import { connectorPods } from '../checks/doctor-common.js';
import {
  createFactsContext,
  describeFailure,
  type FactGetter,
  type FactLoaders,
  type FactsContext,
} from '../checks/facts.js';
import { detectStack } from '../checks/stack/detect.js';
import type { Deps } from '../deps.js';
import { AzureError, UsageError } from '../errors.js';
import type { DoctorKubeReader } from '../kube/doctor-reads.js';
import { addonState } from '../network/addon.js';
import { clusterVnetId } from '../network/facts.js';
import { DEFAULT_SUBNET_NAME } from '../network/input.js';
import { networkLoaders } from '../network-features/read-facts.js';
import { normalizeRegion } from '../region/names.js';
import { policyLoaders } from './policy-loaders.js';
import { probeLoader } from './probe.js';
import { registryLoaders } from './registry-loaders.js';

/** What a doctor run reads about. */
export interface DoctorTarget {
  cluster: string;
  resourceGroup: string;
  kubeconfig?: string;
  context?: string;
  /** --probe --dry-run: the probe fact is the pod it would create. */
  probeDryRun?: boolean;
  /** --probe-image / --probe-registry: the probe pod's image and the registry it tries to reach (defaults otherwise). */
  probeImage?: string;
  probeRegistry?: string;
}

const KUBE_KINDS: (keyof KubeFacts)[] = [
  'kubeNodes',
  'kubePods',
  'kubeEvents',
  'kubeDeployments',
  'kubeStatefulSets',
  'kubeDaemonSets',
  'kubeLeases',
  'kubeServices',
  'kubeServiceAccounts',
  'kubeNetworkPolicies',
  'kubeHpas',
  'kubeNamespaces',
];

/** Builds the facts context of one run; its requests are counted in the Azure context's `calls`. */
export async function doctorFacts(
  target: DoctorTarget,
  deps: Pick<Deps, 'azure' | 'reporter' | 'env' | 'signal'>,
): Promise<FactsContext> {
  const azure = await deps.azure();
  const clusterId = `/subscriptions/${azure.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${target.cluster}`;
  let kube: Promise<DoctorKubeReader> | undefined;
  const kubeReader = (get: FactGetter) =>
    (kube ??= (async () => {
      const { openCluster } = await import('../cluster/kube.js');
      const { doctorKubeReader } = await import('../kube/doctor-reads.js');
      // The cluster only to match a kubeconfig's contexts: without one, the credentials go out with the first reads.
      return doctorKubeReader(await openCluster(target, azure, () => get('cluster'), deps.env));
    })());
  // The SDKs of the reads that wait for the cluster load while its GET is in flight, not after it; they start once
  // the first reads' code has loaded and those reads (the credentials too) went out, so they do not hold them up
  // (cold, each SDK is 100-350 ms of loading).
  Promise.all([azure.containerService(), azure.resources(), import('../cluster/kube.js'), import('../kube/connect.js')])
    .then(() => new Promise((resolve) => setTimeout(resolve, 0)))
    .then(() => Promise.all([azure.network(), azure.containerInstance(), azure.authorization()]))
    .catch(() => undefined);
  const request = { cluster: target.cluster, resourceGroup: target.resourceGroup, nsgRules: true };
  const base = networkLoaders(request, deps);

  const loaders: FactLoaders = {
    ...registryLoaders(azure, kubeReader),
    cluster: base.cluster!,
    vnet: base.vnet!,
    // The add-on's subnet, else the one enable would create, so a cluster without the add-on is vetted too; the
    // cluster and VNet are this run's, read once.
    network: async (get) => {
      const cluster = await get('cluster');
      const subnetName = addonState(cluster).subnetName ?? DEFAULT_SUBNET_NAME;
      const inner = networkLoaders({ ...request, subnetName }, deps);
      return createFactsContext({ ...inner, cluster: async () => cluster, vnet: () => get('vnet') }).get('network');
    },
    cloud: async () => azure.cloud,
    subscriptionId: async () => azure.subscriptionId,
    aciProvider: () =>
      deps.reporter.step('Reading resource provider Microsoft.ContainerInstance', () =>
        getProvider(azure, 'Microsoft.ContainerInstance'),
      ),
    kubernetesConfigurationProvider: async () => {
      const p = await getProvider(azure, 'Microsoft.KubernetesConfiguration');
      return p.registrationState ? { registrationState: p.registrationState } : {};
    },
    clusterExtensions: () => listClusterExtensions(azure, clusterId),
    region: async (get) => normalizeRegion((await get('cluster')).location ?? ''),
    regionCapabilities: async (get) => listCapabilities(azure, await get('region')),
    regionUsages: async (get) => listUsages(azure, await get('region')),
    podSize: async () => undefined,
    probe: probeLoader(target, deps),
    addonIdentity: async (get) => {
      const reported = addonState(await get('cluster')).identity;
      const resource = reported?.resourceId ? await getUserAssignedIdentity(azure, reported.resourceId) : undefined;
      return { ...(reported ? { reported } : {}), ...(resource ? { resource } : {}) };
    },
    addonGrants: async (get) => {
      const cluster = await get('cluster');
      const addon = addonState(cluster);
      const principalId = addon.identity?.objectId;
      // A custom VNet's id is in the cluster, so the grants need not wait for the VNet read; the AKS-managed VNet
      // has to be found first.
      const vnet = clusterVnetId(cluster) ?? (await get('network')).vnetId;
      const subnet = vnet && addon.subnetName ? `${vnet}/subnets/${addon.subnetName}` : undefined;
      const nodeResourceGroup = cluster.nodeResourceGroup
        ? `/subscriptions/${azure.subscriptionId}/resourceGroups/${cluster.nodeResourceGroup}`
        : undefined;
      const scopes = {
        ...(subnet ? { subnet } : {}),
        ...(vnet ? { vnet } : {}),
        ...(nodeResourceGroup ? { nodeResourceGroup } : {}),
      };
      if (!principalId) return { scopes, grants: [] };
      return { principalId, scopes, grants: await readGrants(azure, principalId, scopes) };
    },
    policyAssignments: async () => {
      try {
        return { assignments: await listPolicyAssignments(azure) };
      } catch (error) {
        // Optional data: a caller without Microsoft.Authorization/policyAssignments/read is told, not failed.
        if (error instanceof AzureError && (error.arm.statusCode === 403 || error.arm.statusCode === 401)) {
          const failure = describeFailure('policyAssignments', error);
          return {
            assignments: [],
            unreadable: failure.permission ? `missing permission ${failure.permission}` : error.arm.armCode,
          };
        }
        throw error;
      }
    },
    ...policyLoaders(azure, kubeReader),
    containerGroups: async (get) => {
      const cluster = await get('cluster');
      if (!cluster.nodeResourceGroup) return [];
      const groups = await listContainerGroups(azure, cluster.nodeResourceGroup).catch((error: unknown) => {
        if (error instanceof AzureError && error.arm.statusCode === 404) return [];
        throw error;
      });
      return groups.map((g) => ({
        ...(g.id ? { id: g.id } : {}),
        ...(g.name ? { name: g.name } : {}),
        ...(g.tags ? { tags: g.tags } : {}),
        ...(g.provisioningState ? { provisioningState: g.provisioningState } : {}),
        subnetIds: (g.subnetIds ?? []).map((s) => s.id),
      }));
    },
    stack: async (get) => {
      const [cluster, extensions] = await Promise.all([get('cluster'), get('clusterExtensions')]);
      try {
        const [nodes, namespaces, deployments, statefulSets] = await Promise.all([
          get('kubeNodes'),
          get('kubeNamespaces'),
          get('kubeDeployments'),
          get('kubeStatefulSets'),
        ]);
        return detectStack({ cluster, extensions, nodes, namespaces, deployments, statefulSets });
      } catch (error) {
        if (error instanceof UsageError) throw error;
        return detectStack({
          cluster,
          extensions,
          kubernetesError: error instanceof Error ? error.message : String(error),
        });
      }
    },
    connectorLogs: async (get) => {
      const [reader, pods] = await Promise.all([kubeReader(get), get('kubePods')]);
      // A ready connector that never restarted has nothing to explain: its logs are not read.
      const troubled = connectorPods(pods).filter((p) => {
        const statuses = p.status?.containerStatuses ?? [];
        return !statuses.length || statuses.some((c) => !c.ready || (c.restartCount ?? 0) > 0);
      });
      const logs = troubled.flatMap((p) =>
        (p.spec?.containers ?? []).map((c) => ({
          namespace: p.metadata?.namespace ?? '',
          pod: p.metadata?.name ?? '',
          container: c.name,
        })),
      );
      return Promise.all(
        logs.map(async (l): Promise<ConnectorLog> => {
          const [current, previous] = await Promise.all([
            reader.log(l.namespace, l.pod, l.container, false),
            reader.log(l.namespace, l.pod, l.container, true),
          ]);
          return { ...l, ...(current ? { current } : {}), ...(previous ? { previous } : {}) };
        }),
      );
    },
  };
  for (const kind of KUBE_KINDS) {
    (loaders as Record<string, unknown>)[kind] = async (get: FactGetter) => (await kubeReader(get)).lists[kind]();
  }
  return createFactsContext(loaders);
}

// Assignments over the VNet (its subnets' included: listForScope also returns those below) and the node resource
// group, each role definition read once; the checks then pick those that cover the scope they judge.
async function readGrants(
  azure: AzureContext,
  principalId: string,
  scopes: { subnet?: string; vnet?: string; nodeResourceGroup?: string },
): Promise<Grant[]> {
  const wanted = [scopes.vnet ?? scopes.subnet, scopes.nodeResourceGroup].filter((s): s is string => Boolean(s));
  const lists = await Promise.all(wanted.map((scope) => listRoleAssignments(azure, scope, principalId)));
  const unique = new Map(
    lists
      .flat()
      .filter((a) => a.principalId?.toLowerCase() === principalId.toLowerCase())
      .map((a) => [(a.id ?? `${a.scope}|${a.roleDefinitionId}`).toLowerCase(), a]),
  );
  const roleIds = [...new Set([...unique.values()].map((a) => a.roleDefinitionId ?? ''))].filter(Boolean);
  const roles = new Map(
    await Promise.all(roleIds.map(async (id) => [id, await readRoleDefinition(azure, id)] as const)),
  );
  return [...unique.values()].map((a) => {
    const role = roles.get(a.roleDefinitionId ?? '');
    return {
      ...(a.id ? { id: a.id } : {}),
      scope: a.scope ?? '',
      roleDefinitionId: a.roleDefinitionId ?? '',
      roleName: role?.roleName ?? a.roleDefinitionId?.split('/').pop() ?? '',
      actions: role?.actions ?? [],
      notActions: role?.notActions ?? [],
    };
  });
}
