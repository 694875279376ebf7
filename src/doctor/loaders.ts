// The facts loaders of one doctor run. Reads that do not depend on each other start together: the cluster GET, the
// extensions list (its URL needs only the names) and both providers at once; then the VNet, the region, the
// identity, the grants, the container groups and the Kubernetes lists, each as soon as the cluster is known; then
// the role definitions and the connector's logs. Every object is fetched at most once (the facts context caches).
import {
  countArmCalls,
  getUserAssignedIdentity,
  listClusterExtensions,
  listNodeGroupContainerGroups,
  listPolicyAssignments,
  listRoleAssignments,
  readProviderRegistration,
  readRoleDefinition,
  type ArmCounter,
} from '../azure/doctor-reads.js';
import type { AzureContext } from '../azure/context.js';
import { clusterVnetId } from '../network/facts.js';
import type { ConnectorLog, Grant, KubeFacts } from '../checks/doctor-facts.js';
import {
  createFactsContext,
  describeFailure,
  type FactGetter,
  type FactLoaders,
  type FactsContext,
} from '../checks/facts.js';
import { addonProfile } from '../checks/addon/profile.js';
import { connectorPods } from '../checks/doctor-common.js';
import { detectStack } from '../checks/stack/detect.js';
import type { Deps } from '../deps.js';
import { AzureError, UsageError } from '../errors.js';
import type { DoctorKubeReader, KubeCounter } from '../kube/doctor-reads.js';
import { DEFAULT_SUBNET_NAME } from '../network/input.js';
import { readCluster, readNetworkFacts } from '../network/read-facts.js';
import { evaluateRegion, type CapabilityRow, type UsageRow } from '../region/evaluate.js';
import { readAciProvider } from '../region/check-region.js';
import { armCall } from '../azure/arm-errors.js';

/** What a doctor run reads about. */
export interface DoctorTarget {
  cluster: string;
  resourceGroup: string;
  kubeconfig?: string;
  context?: string;
}

/** The run's request counts, filled in as it reads. */
export type CallCounts = ArmCounter & KubeCounter;

const KUBE_KINDS: (keyof KubeFacts)[] = [
  'kubeNodes',
  'kubePods',
  'kubeEvents',
  'kubeDeployments',
  'kubeStatefulSets',
  'kubeDaemonSets',
  'kubeLeases',
  'kubeServices',
  'kubeNetworkPolicies',
  'kubeHpas',
  'kubeNamespaces',
];

/** Builds the facts context of one run; `calls` counts its requests. */
export async function doctorFacts(
  target: DoctorTarget,
  deps: Pick<Deps, 'azure' | 'reporter' | 'env'>,
  calls: CallCounts,
): Promise<FactsContext> {
  const azure = await deps.azure();
  await countArmCalls(azure, calls);
  const clusterId = `/subscriptions/${azure.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${target.cluster}`;
  let kube: Promise<DoctorKubeReader> | undefined;
  const kubeReader = (get: FactGetter) =>
    (kube ??= (async () => {
      const cluster = await get('managedCluster');
      const { connectToCluster } = await import('../kube/connect.js');
      const { doctorKubeReader } = await import('../kube/doctor-reads.js');
      const access = await connectToCluster({
        azure,
        resourceGroup: target.resourceGroup,
        clusterName: target.cluster,
        cluster,
        env: deps.env,
        ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
        ...(target.context ? { context: target.context } : {}),
      });
      return doctorKubeReader(access, calls);
    })());

  const loaders: FactLoaders = {
    cloud: async () => azure.cloud,
    managedCluster: () =>
      deps.reporter.step(`Reading cluster ${target.cluster}`, () =>
        readCluster(deps, target.cluster, target.resourceGroup),
      ),
    aciProvider: () => readAciProvider(deps),
    kubernetesConfigurationProvider: () => readProviderRegistration(azure, 'Microsoft.KubernetesConfiguration'),
    clusterExtensions: () => listClusterExtensions(azure, clusterId),
    network: async (get) => {
      const cluster = await get('managedCluster');
      const subnetName = addonProfile(cluster).subnetName ?? DEFAULT_SUBNET_NAME;
      const { facts } = await readNetworkFacts(
        { cluster: target.cluster, resourceGroup: target.resourceGroup, subnetName, nsgRules: true, known: cluster },
        deps,
      );
      return facts;
    },
    regionReport: async (get) => {
      const cluster = await get('managedCluster');
      const location = (cluster.location ?? '').toLowerCase().replace(/\s+/g, '');
      const aci = await azure.containerInstance();
      const collect = async <T>(what: string, list: () => AsyncIterable<T>) =>
        armCall(what, async () => {
          const out: T[] = [];
          for await (const x of list()) out.push(x);
          return out;
        });
      const [capabilities, usages] = await Promise.all([
        collect<CapabilityRow>(`listing ACI capabilities in ${location}`, () =>
          aci.location.listCapabilities(location),
        ),
        collect<UsageRow>(`listing ACI usages in ${location}`, () => aci.location.listUsage(location)),
      ]);
      return evaluateRegion({ location, capabilities, usages });
    },
    addonIdentity: async (get) => {
      const reported = addonProfile(await get('managedCluster')).identity;
      const resource = reported?.resourceId ? await getUserAssignedIdentity(azure, reported.resourceId) : undefined;
      return { ...(reported ? { reported } : {}), ...(resource ? { resource } : {}) };
    },
    addonGrants: async (get) => {
      const cluster = await get('managedCluster');
      const addon = addonProfile(cluster);
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
        // Optional data: a Reader without Microsoft.Authorization/policyAssignments/read is told, not failed.
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
    containerGroups: async (get) => {
      const cluster = await get('managedCluster');
      return cluster.nodeResourceGroup ? listNodeGroupContainerGroups(azure, cluster.nodeResourceGroup) : [];
    },
    stack: async (get) => {
      const [cluster, extensions] = await Promise.all([get('managedCluster'), get('clusterExtensions')]);
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
      const logs = connectorPods(pods).flatMap((p) =>
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

// Assignments over the VNet (its subnets' included) and the node resource group, each role definition read once;
// the checks then pick those that cover the scope they judge.
async function readGrants(
  azure: AzureContext,
  principalId: string,
  scopes: { subnet?: string; vnet?: string; nodeResourceGroup?: string },
): Promise<Grant[]> {
  const wanted = [scopes.vnet ?? scopes.subnet, scopes.nodeResourceGroup].filter((s): s is string => Boolean(s));
  const lists = await Promise.all(wanted.map((scope) => listRoleAssignments(azure, scope, principalId)));
  const unique = new Map(lists.flat().map((a) => [(a.id ?? `${a.scope}|${a.roleDefinitionId}`).toLowerCase(), a]));
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
