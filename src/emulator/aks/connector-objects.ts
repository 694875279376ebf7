// The Kubernetes objects of the AKS aci-connector add-on, shaped as AKS and virtual-kubelet make them: the
// aci-connector-linux Deployment/ReplicaSet/pod in kube-system, node virtual-node-aci-linux and its lease.
import { createHash } from 'node:crypto';
import type { Json } from '../arm/store.js';

/** The node the add-on registers. */
export const VIRTUAL_NODE = 'virtual-node-aci-linux';
/** The connector's Deployment, container and `app` label. */
export const CONNECTOR = 'aci-connector-linux';
export const NAMESPACE = 'kube-system';
/** The image AKS runs (the component version AKS lists for the add-on). */
const CONNECTOR_IMAGE = 'mcr.microsoft.com/oss/virtual-kubelet/virtual-kubelet:1.6.2';
/** The init container newer add-on versions run before the connector (connector-init-validation.ts). */
export const INIT_VALIDATION = 'init-validation';
export const INIT_IMAGE = 'mcr.microsoft.com/oss/virtual-kubelet/init-validation:0.3.2';
const KUBELET_VERSION = 'v1.25.0-vk-azure-aci-1.6.2';

/** Kubernetes' MicroTime (leases): RFC 3339 with microseconds. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');
/** RFC 3339 to the second, as metav1.Time is written. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The pod-template-hash of the connector's ReplicaSet for a cluster: stable, 10 characters. */
const templateHash = (clusterId: string): string =>
  [...createHash('sha256').update(`${clusterId.toLowerCase()}|${CONNECTOR_IMAGE}`).digest()]
    .slice(0, 10)
    .map((b) => 'bcdfghjklmnpqrstvwxz2456789'[b % 27])
    .join('');

const labels = (hash: string): Record<string, string> => ({ app: CONNECTOR, 'pod-template-hash': hash });

/** The pod template AKS deploys: the connector, the add-on identity's client id, the ACI subnet. */
// The env is the add-on's as azure-aci's flag.go quotes it (virtual-kubelet/azure-aci, cmd/virtual-kubelet: ACI_SUBNET_NAME,
// MASTER_URI https://<fqdn>, CLUSTER_CIDR the node subnet, KUBE_DNS_IP the cluster DNS IP), with MASTER_URI on :443 as
// the virtual-node docs write it.
function podSpec(input: Omit<ConnectorInput, 'clusterId'>): Json {
  const env = [
    { name: 'KUBELET_PORT', value: '10250' },
    { name: 'ACI_EXTRA_USER_AGENT', value: 'add-on/aks' },
    { name: 'ACI_SUBNET_NAME', value: input.subnetName },
    { name: 'ACI_VNET_NAME', value: input.vnetName },
    { name: 'ACI_VNET_RESOURCE_GROUP', value: input.vnetResourceGroup },
    { name: 'VIRTUALNODE_USER_IDENTITY_CLIENTID', value: input.identityClientId },
    { name: 'MASTER_URI', value: input.masterUri },
    ...(input.clusterCidr ? [{ name: 'CLUSTER_CIDR', value: input.clusterCidr }] : []),
    ...(input.kubeDnsIp ? [{ name: 'KUBE_DNS_IP', value: input.kubeDnsIp }] : []),
  ];
  return {
    serviceAccountName: CONNECTOR,
    priorityClassName: 'system-node-critical',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    ...(input.initValidation
      ? {
          initContainers: [
            {
              name: INIT_VALIDATION,
              image: INIT_IMAGE,
              env: [...env, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              terminationMessagePolicy: 'FallbackToLogsOnError',
            },
          ],
        }
      : {}),
    containers: [
      {
        name: CONNECTOR,
        image: CONNECTOR_IMAGE,
        args: ['--provider', 'azure', '--nodename', VIRTUAL_NODE, '--os', 'Linux'],
        env,
        ports: [{ name: 'metrics', containerPort: 10255, protocol: 'TCP' }],
        resources: { requests: { cpu: '50m', memory: '50Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        // So that the last log line (the error) becomes the termination message kubectl and vnodes show.
        terminationMessagePolicy: 'FallbackToLogsOnError',
      },
    ],
  };
}

/** Inputs of the connector's objects for one cluster. */
export interface ConnectorInput {
  clusterId: string;
  identityClientId: string;
  subnetName: string;
  vnetName: string;
  vnetResourceGroup: string;
  /** `https://<fqdn or privateFQDN>:443`. */
  masterUri: string;
  /** The node subnet's prefix (the pod CIDR on kubenet/overlay); '' when unknown. */
  clusterCidr: string;
  kubeDnsIp: string;
  /** Whether the template has the init-validation container (only where a scenario makes it fail, for now). */
  initValidation?: boolean;
}

/** The Deployment (status filled by `deploymentStatus`). */
export function deployment(input: ConnectorInput): Json {
  const hash = templateHash(input.clusterId);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: CONNECTOR,
      namespace: NAMESPACE,
      labels: {
        app: CONNECTOR,
        'kubernetes.azure.com/managedby': 'aks',
        'addonmanager.kubernetes.io/mode': 'Reconcile',
      },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: CONNECTOR } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: labels(hash) }, spec: podSpec(input) },
    },
  };
}

/** The ReplicaSet behind the Deployment. */
export function replicaSet(input: ConnectorInput, owner: { uid: string }): Json {
  const hash = templateHash(input.clusterId);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${CONNECTOR}-${hash}`,
      namespace: NAMESPACE,
      labels: labels(hash),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: CONNECTOR,
          uid: owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels(hash) },
      template: { metadata: { labels: labels(hash) }, spec: podSpec(input) },
    },
  };
}

/** The connector pod, bound to an agent node (status filled by `podRunning` / `podCrashing`). */
export function pod(
  input: ConnectorInput,
  owner: { uid: string; name: string },
  nodeName: string | undefined,
  suffix: string,
): Json {
  const hash = templateHash(input.clusterId);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${CONNECTOR}-${hash}-${suffix}`,
      namespace: NAMESPACE,
      labels: labels(hash),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: owner.name,
          uid: owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { ...podSpec(input), ...(nodeName === undefined ? {} : { nodeName }) },
  };
}

const condition = (type: string, status: string, at: string, extra: Json = {}): Json => ({
  type,
  status,
  lastProbeTime: null,
  lastTransitionTime: at,
  ...extra,
});

/** What every connector pod status has: phase Running (a crash-looping pod is Running too), conditions, IPs. */
function statusBase(startedMs: number, ready: boolean, podIP: string, hostIP: string): Json {
  const at = rfc3339(startedMs);
  const unready = { reason: 'ContainersNotReady', message: `containers with unready status: [${CONNECTOR}]` };
  return {
    phase: 'Running',
    conditions: [
      condition('Initialized', 'True', at),
      condition('Ready', ready ? 'True' : 'False', at, ready ? {} : unready),
      condition('ContainersReady', ready ? 'True' : 'False', at, ready ? {} : unready),
      condition('PodScheduled', 'True', at),
    ],
    hostIP,
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: at,
    qosClass: 'Burstable',
  };
}

/** The container status fields that do not depend on how the last run went. */
const containerBase = (seed: string, restarts: number): Json => ({
  name: CONNECTOR,
  image: CONNECTOR_IMAGE,
  imageID: `${CONNECTOR_IMAGE.replace(/:.*/, '')}@sha256:${'0'.repeat(64)}`,
  containerID: `containerd://${createHash('sha256').update(`${seed}|${restarts}`).digest('hex')}`,
  restartCount: restarts,
});

/** A Running, Ready connector pod's status. */
export function podRunning(
  startedMs: number,
  restarts: number,
  podIP: string,
  hostIP: string,
  lastState: Json = {},
): Json {
  const running = {
    ...containerBase(podIP, restarts),
    ready: true,
    started: true,
    state: { running: { startedAt: rfc3339(startedMs) } },
    lastState,
  };
  return { ...statusBase(startedMs, true, podIP, hostIP), containerStatuses: [running] };
}

/** Go's duration text for whole seconds ('10s', '1m20s', '5m0s'), as kubelet prints its back-off. */
const goDuration = (s: number): string => (s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`);

/** Kubelet's crash-loop back-off after `restarts` restarts: 10 s doubling, at most 5 minutes. */
const backOffSeconds = (restarts: number): number => Math.min(300, 10 * 2 ** Math.max(0, restarts - 1));

/** A crash-looping connector pod's status: waiting in CrashLoopBackOff, the last run terminated with the error. */
export function podCrashing(input: {
  podName: string;
  uid: string;
  startedMs: number;
  restarts: number;
  lastRun: { startedMs: number; finishedMs: number };
  message: string;
  podIP: string;
  hostIP: string;
}): Json {
  const waiting = {
    reason: 'CrashLoopBackOff',
    message: `back-off ${goDuration(backOffSeconds(input.restarts))} restarting failed container=${CONNECTOR} pod=${input.podName}_${NAMESPACE}(${input.uid})`,
  };
  const terminated = {
    exitCode: 1,
    reason: 'Error',
    message: input.message,
    startedAt: rfc3339(input.lastRun.startedMs),
    finishedAt: rfc3339(input.lastRun.finishedMs),
  };
  const crashing = {
    ...containerBase(input.podName, input.restarts),
    ready: false,
    started: false,
    state: { waiting },
    lastState: { terminated },
  };
  return { ...statusBase(input.startedMs, false, input.podIP, input.hostIP), containerStatuses: [crashing] };
}

/** The Deployment's status: one replica, available or not. */
export function deploymentStatus(available: boolean, atMs: number): Json {
  const at = rfc3339(atMs);
  return {
    observedGeneration: 1,
    replicas: 1,
    updatedReplicas: 1,
    ...(available ? { readyReplicas: 1, availableReplicas: 1 } : { unavailableReplicas: 1 }),
    conditions: [
      available
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: at,
            lastTransitionTime: at,
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
            lastUpdateTime: at,
            lastTransitionTime: at,
          },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${CONNECTOR}" has successfully progressed.`,
        lastUpdateTime: at,
        lastTransitionTime: at,
      },
    ],
  };
}

/** Node virtual-node-aci-linux as virtual-kubelet's ACI provider registers it (labels, taint, capacity, conditions). */
export function virtualNode(input: { podIP: string; nowMs: number }): Json {
  const at = rfc3339(input.nowMs);
  const cond = (type: string, status: string, reason: string, message: string): Json => ({
    type,
    status,
    lastHeartbeatTime: at,
    lastTransitionTime: at,
    reason,
    message,
  });
  const capacity = { cpu: '10k', memory: '4Ti', pods: '5k' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: VIRTUAL_NODE,
      labels: {
        type: 'virtual-kubelet',
        'kubernetes.io/role': 'agent',
        'kubernetes.io/hostname': VIRTUAL_NODE,
        'kubernetes.io/os': 'linux',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.azure.com/managed': 'false',
        'alpha.service-controller.kubernetes.io/exclude-balancer': 'true',
        'node.kubernetes.io/exclude-from-external-load-balancers': 'true',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { taints: [{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }] },
    status: {
      phase: 'Running',
      capacity,
      allocatable: capacity,
      conditions: [
        cond('Ready', 'True', 'KubeletReady', 'Kubelet is ready'),
        cond('OutOfDisk', 'False', 'KubeletHasSufficientDisk', 'kubelet has sufficient disk space available'),
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('NetworkUnavailable', 'False', 'RouteCreated', 'RouteController created a route'),
      ],
      addresses: [{ type: 'InternalIP', address: input.podIP }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { operatingSystem: 'Linux', architecture: 'amd64', kubeletVersion: KUBELET_VERSION },
    },
  };
}

/** The node's lease in kube-node-lease, renewed by the connector. */
export function lease(nodeUid: string, nowMs: number): Json {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: VIRTUAL_NODE,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: VIRTUAL_NODE, uid: nodeUid }],
    },
    spec: { holderIdentity: VIRTUAL_NODE, leaseDurationSeconds: 40, renewTime: microTime(nowMs) },
  };
}
