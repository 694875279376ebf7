// The facts context: every check declares the facts it reads, and the context fetches each fact on first use, at most
// once per run. Loaders may ask for other facts (the VNet needs the cluster first), so independent reads start in
// parallel and dependent ones chain, which keeps a run's wall time near its critical path.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { NetworkSecurityGroup, Subnet, VirtualNetwork } from '@azure/arm-network';
import type { Provider } from '@azure/arm-resources';
import type { Cloud } from '../azure/cloud.js';
import { AzureError, isVnodesError } from '../errors.js';
import type { NetworkFacts } from '../network/facts.js';
import type { CapabilityRow, PodSize, UsageRow } from '../region/capabilities.js';
import type {
  AcrPullGrants,
  AddonGrants,
  AddonIdentity,
  ClusterExtension,
  ActivityLogFact,
  AdmissionPoliciesFact,
  ConnectorLog,
  ContainerGroupFact,
  KubeFacts,
  PolicyAssignmentFact,
  PolicyDefinitionsFact,
  ProbeFact,
  PullSecretFact,
  RegistryFact,
  ServicePrincipalSecrets,
  StackInfo,
} from './doctor-facts.js';

/**
 * Every fact a check may read, by name. A command provides loaders for the ones it can read; an area adds its facts
 * here as it grows (doctor: the add-on, connector pods, events, logs...). `undefined` values mean "looked, and it is
 * not there" (no subnet, no NSG); a fact that could not be read at all is a rejected load, never `undefined`.
 */
export interface Facts {
  /** The cloud vnodes talks to (AzureCloud, AzureChinaCloud...). */
  cloud: Cloud;
  /** The Microsoft.ContainerInstance resource provider: registration state and the regions it lists. */
  aciProvider: Provider;
  /** The managed cluster. */
  cluster: ManagedCluster;
  /** The cluster VNet (its subnets inline); undefined when there is none to find. */
  vnet: VirtualNetwork | undefined;
  /** The ACI subnet (named, or the add-on's SubnetName); undefined when it does not exist (yet). */
  subnet: Subnet | undefined;
  /** The ACI subnet's network security group with its rules; undefined when it has none. */
  nsg: NetworkSecurityGroup | undefined;
  /** The cluster, its VNet and the ACI subnet, as the network checks read them. */
  network: NetworkFacts;
  /** The subscription vnodes works in. */
  subscriptionId: string;
  /** The region a per-region run is about (ARM's name, `eastus`); runChecks' `target` is the same. */
  region: string;
  /** ACI's capability rows for `region`. */
  regionCapabilities: CapabilityRow[];
  /** ACI's usage rows (quotas) for `region`. */
  regionUsages: UsageRow[];
  /** The pod size to fit (`--cpu`/`--memory`), or undefined when none was asked for. */
  podSize: PodSize | undefined;
  // doctor (src/checks/doctor-facts.ts):
  /** The Microsoft.KubernetesConfiguration resource provider (virtual nodes v2 extension). */
  kubernetesConfigurationProvider: { registrationState?: string };
  /** Which virtual-node stacks the cluster runs. */
  stack: StackInfo;
  /** The cluster's Microsoft.KubernetesConfiguration extensions. */
  clusterExtensions: ClusterExtension[];
  addonIdentity: AddonIdentity;
  addonGrants: AddonGrants;
  /** Policy assignments over the subscription, node and VNet resource groups; optional (skip when unreadable). */
  policyAssignments: { assignments: PolicyAssignmentFact[]; unreadable?: string };
  /** The definitions behind the assignments enforced at the node and VNet resource groups; optional. */
  policyDefinitions: PolicyDefinitionsFact;
  /** The node resource group's failed writes in the Activity Log, last 7 days; optional. */
  activityLog: ActivityLogFact;
  /** Gatekeeper constraints and Kyverno policies in the cluster. */
  admissionPolicies: AdmissionPoliciesFact;
  /** Container groups in the node resource group. */
  containerGroups: ContainerGroupFact[];
  /** Logs of the connector pods (current and previous runs). */
  connectorLogs: ConnectorLog[];
  kubeNodes: KubeFacts['kubeNodes'];
  kubePods: KubeFacts['kubePods'];
  kubeEvents: KubeFacts['kubeEvents'];
  kubeDeployments: KubeFacts['kubeDeployments'];
  kubeStatefulSets: KubeFacts['kubeStatefulSets'];
  kubeDaemonSets: KubeFacts['kubeDaemonSets'];
  kubeLeases: KubeFacts['kubeLeases'];
  kubeServices: KubeFacts['kubeServices'];
  kubeServiceAccounts: KubeFacts['kubeServiceAccounts'];
  /** The image pull secrets ACR workloads aimed at the virtual node reference (shape only, no values). */
  pullSecrets: PullSecretFact[];
  /** The subscription's container registries, listed only when a workload pulls from ACR. */
  containerRegistries: RegistryFact[];
  /** v2: the extension identity's grants on the registries its workloads pull from. */
  acrPullGrants: AcrPullGrants;
  /** The cluster's service principal secret expiry (Microsoft Graph) and sign-in errors in the connector log. */
  servicePrincipalSecrets: ServicePrincipalSecrets;
  kubeNetworkPolicies: KubeFacts['kubeNetworkPolicies'];
  kubeHpas: KubeFacts['kubeHpas'];
  kubeNamespaces: KubeFacts['kubeNamespaces'];
  /** doctor --probe: a pod on the virtual node (a write), loaded only once node.ready passed. */
  probe: ProbeFact;
}

/** The name of a fact. */
export type FactKey = keyof Facts & string;

/** How one fact is read: may get other facts through `get`. */
export type FactLoader<K extends FactKey> = (get: FactGetter) => Promise<Facts[K]>;

/** Reads a fact through the context (loading it on first use). */
export type FactGetter = <K extends FactKey>(key: K) => Promise<Facts[K]>;

/** The loaders a command provides, one per fact it can read. */
export type FactLoaders = { [K in FactKey]?: FactLoader<K> };

/** Why a fact could not be read, for the checks that needed it. */
export interface FactFailure {
  fact: FactKey;
  /** `forbidden` (401/403: names the missing permission), `unavailable` (no loader in this command), or `failed`. */
  reason: 'forbidden' | 'unavailable' | 'failed';
  message: string;
  /** The Azure action (or Kubernetes verb and resource) that was refused, when the error says. */
  permission?: string;
  remediation?: string;
}

/** The per-run facts context. */
export interface FactsContext {
  get: FactGetter;
  /** The failure behind a fact that could not be read, once its load has settled; undefined if it loaded. */
  failure(key: FactKey): Promise<FactFailure | undefined>;
  /** The facts loaded so far (for --debug and tests). */
  loaded(): FactKey[];
}

/** Thrown by `get` for a fact that this command reads no way. @public (doctor builds on it) */
export class FactUnavailable extends Error {
  constructor(readonly fact: FactKey) {
    super(`fact "${fact}" is not read by this command`);
    this.name = 'FactUnavailable';
  }
}

/** Creates the context over the command's loaders; `known` facts (already read by the caller) are used as they are. */
export function createFactsContext(loaders: FactLoaders, known: Partial<Facts> = {}): FactsContext {
  const cache = new Map<FactKey, Promise<unknown>>();
  for (const [key, value] of Object.entries(known) as [FactKey, unknown][]) cache.set(key, Promise.resolve(value));

  const get: FactGetter = <K extends FactKey>(key: K): Promise<Facts[K]> => {
    let pending = cache.get(key);
    if (!pending) {
      const loader = loaders[key] as FactLoader<K> | undefined;
      pending = loader ? Promise.resolve().then(() => loader(get)) : Promise.reject(new FactUnavailable(key));
      // The rejection is observed by whichever check awaits it; this keeps an unawaited failure from crashing Node.
      pending.catch(() => undefined);
      cache.set(key, pending);
    }
    return pending as Promise<Facts[K]>;
  };

  return {
    get,
    async failure(key) {
      try {
        await get(key);
        return undefined;
      } catch (error) {
        return describeFailure(key, error);
      }
    },
    loaded: () => [...cache.keys()],
  };
}

/** Turns a load error into what a check result says: a 403 names the permission that is missing. @public */
export function describeFailure(fact: FactKey, error: unknown): FactFailure {
  if (error instanceof FactUnavailable) return { fact, reason: 'unavailable', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const remediation = isVnodesError(error) ? error.remediation : undefined;
  const status = error instanceof AzureError ? error.arm.statusCode : undefined;
  const forbidden =
    status === 401 || status === 403 || (isVnodesError(error) && /FORBIDDEN|AUTH/.test(error.code) && !status);
  const permission = forbidden ? missingPermission(message) : undefined;
  return {
    fact,
    reason: forbidden ? 'forbidden' : 'failed',
    message,
    ...(permission ? { permission } : {}),
    ...(remediation ? { remediation } : {}),
  };
}

// ARM's AuthorizationFailed text names the action ("...does not have authorization to perform action
// 'Microsoft.Network/virtualNetworks/read' over scope..."); Kubernetes' Forbidden names verb and resource
// ('cannot list resource "pods" in API group "" in the namespace "kube-system"').
function missingPermission(message: string): string | undefined {
  const arm = /perform action '([^']+)'/i.exec(message);
  if (arm) return arm[1];
  const kube = /cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?/i.exec(message);
  if (kube) return `${kube[1]} ${kube[3] ? `${kube[3]}/` : ''}${kube[2]}`;
  return undefined;
}
