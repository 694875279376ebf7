// The shapes of the facts `vnodes doctor` adds to the facts context: plain data as the ports return it (ARM bodies
// through the SDK's types, Kubernetes objects through @kubernetes/client-node's), so every rule is a pure function
// testable from a literal.
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type {
  CoreV1Event,
  V1DaemonSet,
  V1Deployment,
  V2HorizontalPodAutoscaler,
  V1Lease,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1Pod,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
} from '@kubernetes/client-node';

/** Which virtual-node stacks a cluster runs (anchors-turn2.md §1.3). */
export type StackKind = 'v1-addon' | 'v2-extension' | 'v2-helm' | 'helm-vk' | 'none';

/** What stack detection found, with the signal behind each stack. */
export interface StackInfo {
  /** The stack doctor diagnoses: the first of `detected`, or `none`. */
  primary: StackKind;
  detected: StackKind[];
  /** One line per signal seen ("addonProfiles.aciConnectorLinux.enabled = true"). */
  signals: { stack: StackKind; field: string; value: unknown; source?: string }[];
  /** Virtual nodes found in Kubernetes (any stack). */
  virtualNodes: string[];
  /** Kubernetes could not be read, so Helm-installed stacks may be missed. */
  kubernetesUnread?: string;
}

/** A cluster extension (Microsoft.KubernetesConfiguration/extensions), the fields doctor reads. */
export interface ClusterExtension {
  id: string;
  name: string;
  extensionType: string;
  provisioningState?: string;
  releaseNamespace?: string;
  version?: string;
  /** The extension's AKS-assigned identity (`properties.aksAssignedIdentity.principalId`), v2's pull identity. */
  identityPrincipalId?: string;
}

/** A service principal cluster's application as Graph shows it: the secrets' ids and expiry, never their values. */
export interface ApplicationSecrets {
  appId: string;
  displayName?: string;
  secrets: { keyId?: string; displayName?: string; endDateTime?: string }[];
}

/** What doctor learned about the cluster's service principal secret (VN-SP-001). */
export interface ServicePrincipalSecrets {
  /** The cluster's `servicePrincipalProfile.clientId`; undefined for a managed identity cluster ('msi'). */
  appId?: string;
  /** The application; undefined when Graph has none with this appId, or could not be asked. */
  application?: ApplicationSecrets;
  /** Why Graph could not be read (a 403 names Application.Read.All); the check is then `skip`. */
  unreadable?: string;
  /** Connector log lines that say the secret is expired or wrong (AADSTS7000222/7000215). */
  signInErrors: string[];
}

/** An image pull secret an ACR workload references, reduced to its shape: type and `auths` keys, no value. */
export interface PullSecretFact {
  namespace: string;
  name: string;
  /** False when the secret does not exist in the pod's namespace. */
  found: boolean;
  type?: string;
  /** The `auths` entries (server as written), with whether each names a user; undefined when it does not parse. */
  auths?: { server: string; username: boolean; password: boolean }[];
  /** Why the secret could not be read (no `get secrets`): its shape is then not judged. */
  unreadable?: string;
}

/** A container registry of the subscription, the fields the ACR checks read. */
export interface RegistryFact {
  id: string;
  name: string;
  loginServer: string;
  publicNetworkAccess?: string;
  defaultAction?: string;
}

/** v2's pull identity and its AcrPull-bearing role assignments on the registries it pulls from. */
export interface AcrPullGrants {
  principalId?: string;
  /** Registry id → the grants (actions expanded) at or above it. */
  byRegistry: Record<string, Grant[]>;
}

/** The add-on identity: what the cluster reports and whether the user-assigned identity exists. */
export interface AddonIdentity {
  reported?: { resourceId?: string; clientId?: string; objectId?: string };
  /** The identity resource when the GET found it; undefined when it is gone (404) or none is reported. */
  resource?: { id: string; principalId?: string; clientId?: string };
}

/** One role assignment of the add-on identity, with its role's actions expanded. */
export interface Grant {
  id?: string;
  scope: string;
  roleDefinitionId: string;
  roleName: string;
  actions: string[];
  notActions: string[];
}

/** The add-on identity's role assignments that apply to the scopes its work needs. */
export interface AddonGrants {
  principalId?: string;
  /** The scopes looked at (the ACI subnet, its VNet, the node resource group). */
  scopes: { subnet?: string; vnet?: string; nodeResourceGroup?: string };
  grants: Grant[];
}

/** A policy assignment that applies to the cluster's resource groups. */
export interface PolicyAssignmentFact {
  id: string;
  name: string;
  displayName?: string;
  scope: string;
  policyDefinitionId?: string;
  enforcementMode?: string;
  /** The values the assignment gives its definition's parameters. */
  parameters?: Record<string, { value?: unknown }>;
  /** Scopes below `scope` the assignment leaves out. */
  notScopes?: string[];
}

/** A policy definition or policy set definition (initiative) behind an assignment, the fields doctor judges. */
export interface PolicyDefinitionFact {
  id: string;
  name: string;
  displayName?: string;
  policyType?: string;
  /** Declared parameters, with their defaults. */
  parameters?: Record<string, { defaultValue?: unknown }>;
  /** A definition's rule (`if`, `then.effect`). */
  policyRule?: { if?: unknown; then?: { effect?: unknown } };
  /** A set definition's members, with the values the set passes them. */
  policyDefinitions?: { policyDefinitionId: string; parameters?: Record<string, { value?: unknown }> }[];
}

/** The definitions behind the enforced assignments at the node and VNet resource groups (VN-POL-001). */
export interface PolicyDefinitionsFact {
  /** The resource group ids judged. */
  scopes: string[];
  definitions: PolicyDefinitionFact[];
  /** Why (some) definitions could not be read (403); optional data. */
  unreadable?: string;
}

/** One Activity Log event, the fields doctor shows. */
export interface ActivityEventFact {
  resourceId?: string;
  operationName?: string;
  status?: string;
  subStatus?: string;
  eventTimestamp?: string;
  /** `properties.statusMessage`: the ARM error body as text. */
  statusMessage?: string;
}

/** Failed writes in the node resource group's Activity Log over the last 7 days (VN-POL-001). */
export interface ActivityLogFact {
  since: string;
  events: ActivityEventFact[];
  unreadable?: string;
}

/** A Gatekeeper constraint or a Kyverno policy, as listed (VN-POL-002). */
export interface AdmissionPolicyObject {
  engine: 'gatekeeper' | 'kyverno';
  /** `K8sRequiredLabels`, `ClusterPolicy`, `Policy`. */
  kind: string;
  /** The plural for kubectl (`k8srequiredlabels.constraints.gatekeeper.sh`, `clusterpolicy`). */
  resource: string;
  name: string;
  namespace?: string;
  spec: Record<string, unknown>;
  labels?: Record<string, string>;
}

/** What in-cluster admission policy the cluster has: which engines' APIs exist, and their objects. */
export interface AdmissionPoliciesFact {
  /** The policy API groups discovery lists (`constraints.gatekeeper.sh`, `kyverno.io`). */
  apis: string[];
  objects: AdmissionPolicyObject[];
}

/** The connector's logs: the current and previous run of each container of each connector pod. */
export interface ConnectorLog {
  namespace: string;
  pod: string;
  container: string;
  current?: string;
  previous?: string;
}

/** Container groups in the node resource group. */
export type ContainerGroupFact = Pick<ContainerGroup, 'id' | 'name' | 'tags' | 'provisioningState'> & {
  subnetIds?: string[];
};

/** Kubernetes objects doctor reads, each kind listed once per run. */
export interface KubeFacts {
  kubeNodes: V1Node[];
  kubePods: V1Pod[];
  kubeEvents: CoreV1Event[];
  kubeDeployments: V1Deployment[];
  kubeStatefulSets: V1StatefulSet[];
  kubeDaemonSets: V1DaemonSet[];
  /** Leases in kube-node-lease. */
  kubeLeases: V1Lease[];
  kubeServices: V1Service[];
  kubeServiceAccounts: V1ServiceAccount[];
  kubeNetworkPolicies: V1NetworkPolicy[];
  kubeHpas: V2HorizontalPodAutoscaler[];
  kubeNamespaces: V1Namespace[];
}

/** doctor --probe: what the live probe (src/provider/probe.ts) saw, step by step, or the pod a dry run would create. */
export interface ProbeFact {
  pod: string;
  node: string;
  image: string;
  registry: string;
  containerGroup?: string;
  steps: { step: string; ok: boolean; evidence: string }[];
  /** --dry-run: the pod it would create; nothing was created. */
  wouldCreate?: unknown;
}
