// The provider's node, pure: labels and taint as the add-on's node has them, capacity from the region's ACI
// capabilities and quota (not azure-aci's fixed 10000 CPU / 4Ti / 5000 pods), conditions that say why it is not
// Ready, and the lease rules (virtual-kubelet: 40 s lease renewed every 10 s, research/azure-aci.md §2.2).
import type { Capabilities, Usage } from '@azure/arm-containerinstance';
import type { V1Lease, V1Node, V1NodeCondition } from '@kubernetes/client-node';

/** The add-on's node name: a user's provider never takes it. */
export const ADDON_NODE = 'virtual-node-aci-linux';
const TAINT = { key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' } as const;
const LEASE_SECONDS = 40;
export const RENEW_MS = 10_000;
/** virtual-kubelet posts node status every 60 s when nothing changed. */
export const NODE_STATUS_MS = 60_000;

/** Node capacity, as Kubernetes quantities. */
export interface Capacity {
  cpu: string;
  memory: string;
  pods: string;
}

/** What the node's health is made of. */
export interface NodeHealth {
  arm: { ok: boolean; message?: string };
  subnet: { ok: boolean; message?: string };
}

const usage = (usages: Usage[], name: string): Usage | undefined =>
  usages.find((u) => u.name?.value?.toLowerCase() === name.toLowerCase());

/**
 * Capacity from quota: pods = the ContainerGroups quota, cpu = the StandardCores quota, memory = that many cores at
 * the region's largest memory per core for Linux groups. Without quota rows, the per-group maximum times the pods.
 */
export function capacityOf(capabilities: Capabilities[], usages: Usage[], vnet: boolean): Capacity {
  const linux = capabilities.filter((c) => c.osType === 'Linux' && (!vnet || c.ipAddressType === 'Private'));
  const maxCpu = Math.max(0, ...linux.map((c) => c.capabilities?.maxCpu ?? 0));
  const maxMem = Math.max(0, ...linux.map((c) => c.capabilities?.maxMemoryInGB ?? 0));
  const pods = usage(usages, 'ContainerGroups')?.limit ?? 100;
  const cores = usage(usages, 'StandardCores')?.limit ?? maxCpu * pods;
  const gbPerCore = maxCpu > 0 ? maxMem / maxCpu : 4;
  return { cpu: String(cores), memory: `${Math.floor(cores * gbPerCore * 1000)}M`, pods: String(pods) };
}

const condition = (
  type: string,
  ok: boolean,
  reason: string,
  message: string,
  now: string,
  prev?: V1NodeCondition[],
): V1NodeCondition => {
  const status = ok ? 'True' : 'False';
  const before = prev?.find((c) => c.type === type);
  return {
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now as unknown as Date,
    lastTransitionTime: (before?.status === status ? before.lastTransitionTime : now) as unknown as Date,
  };
};

/** Ready only while ARM answers and the subnet is usable; otherwise False, saying which and why. */
export function nodeConditions(health: NodeHealth, now: string, prev?: V1NodeCondition[]): V1NodeCondition[] {
  const ready = health.arm.ok && health.subnet.ok;
  const why = !health.arm.ok
    ? {
        reason: 'AzureUnreachable',
        message: `Azure Resource Manager is not answering: ${health.arm.message ?? 'unknown error'}`,
      }
    : !health.subnet.ok
      ? {
          reason: 'SubnetUnusable',
          message: `The ACI subnet cannot take container groups: ${health.subnet.message ?? 'unknown'}`,
        }
      : { reason: 'KubeletReady', message: 'vnodes provider is ready: ARM answers and the subnet is usable' };
  return [
    condition('Ready', ready, why.reason, why.message, now, prev),
    condition('MemoryPressure', false, 'KubeletHasSufficientMemory', 'ACI has no node memory', now, prev),
    condition('DiskPressure', false, 'KubeletHasNoDiskPressure', 'ACI has no node disk', now, prev),
    condition('PIDPressure', false, 'KubeletHasSufficientPID', 'ACI has no node PIDs', now, prev),
    condition(
      'NetworkUnavailable',
      !health.subnet.ok,
      health.subnet.ok ? 'RouteCreated' : 'SubnetUnusable',
      health.subnet.message ?? 'ACI subnet usable',
      now,
      prev,
    ),
  ];
}

/** The node object. */
export function nodeObject(input: {
  name: string;
  version: string;
  capacity: Capacity;
  conditions: V1NodeCondition[];
  internalIP?: string;
}): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: input.name,
      labels: {
        type: 'virtual-kubelet',
        'kubernetes.io/role': 'agent',
        'kubernetes.io/os': 'linux',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': input.name,
        'kubernetes.azure.com/managed': 'false',
        'node.kubernetes.io/exclude-from-external-load-balancers': 'true',
      },
      annotations: { 'vnodes.io/provider': `vnodes ${input.version}` },
    },
    spec: { taints: [{ ...TAINT }] },
    status: {
      capacity: { ...input.capacity },
      allocatable: { ...input.capacity },
      conditions: input.conditions,
      ...(input.internalIP
        ? {
            addresses: [
              { type: 'InternalIP', address: input.internalIP },
              { type: 'Hostname', address: input.name },
            ],
          }
        : { addresses: [{ type: 'Hostname', address: input.name }] }),
      nodeInfo: {
        operatingSystem: 'linux',
        architecture: 'amd64',
        kubeletVersion: `v1.31.0-vnodes-${input.version}`,
        kubeProxyVersion: '',
        containerRuntimeVersion: 'aci://',
        osImage: 'Azure Container Instances',
        kernelVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    } as V1Node['status'],
  };
}

/** MicroTime as leases carry it. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

/** A lease someone renewed within its duration. */
export function leaseIsLive(lease: V1Lease | undefined, nowMs: number): boolean {
  const renew = lease?.spec?.renewTime ?? lease?.spec?.acquireTime;
  if (!renew) return false;
  const seconds = lease?.spec?.leaseDurationSeconds ?? LEASE_SECONDS;
  return new Date(renew as unknown as string).getTime() + seconds * 1000 > nowMs;
}

/** The node's lease, held by `holder`. */
export function leaseObject(
  name: string,
  holder: string,
  nowMs: number,
  nodeUid?: string,
  resourceVersion?: string,
): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: 'kube-node-lease',
      ...(resourceVersion ? { resourceVersion } : {}),
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }] } : {}),
    },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: LEASE_SECONDS,
      renewTime: microTime(nowMs) as unknown as Date,
    },
  };
}
