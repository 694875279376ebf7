// Pod → ACI container group, pure: the same function `provider translate` prints and `provider run` creates with.
// Every field ACI cannot honour is a warning or a rejection with its field path and rule id (research/pain.md §3).
import type { ContainerGroup, DnsConfiguration } from '@azure/arm-containerinstance';
import type { V1Pod } from '@kubernetes/client-node';
import { containerGroupName, podTags } from './names.js';
import { aciCpu, aciMemoryGb } from './quantity.js';
import { container, initContainer } from './translate-containers.js';
import { collector, type Finding, type ObjectRef, type TranslateContext } from './translate-model.js';
import { pullSecrets, volumes } from './translate-volumes.js';

export type { Finding, Lookup, ObjectData, ObjectRef, TranslateContext } from './translate-model.js';

/** What a pod becomes. `rejections` non-empty: ACI must not be asked; `missing`: the pod waits for those objects. */
export interface Translation {
  name: string;
  body: ContainerGroup;
  warnings: Finding[];
  rejections: Finding[];
  /** ConfigMaps and Secrets the pod refers to (offline: their values are placeholders in `body`). */
  needs: ObjectRef[];
  /** Mandatory refs that do not exist (only when a lookup was given). */
  missing: Finding[];
}

/** ACI per-group limits (quota docs, 2025-11). */
const MAX_CONTAINERS = 60;
const MAX_VOLUMES = 20;
const MAX_CPU = 31;
const MAX_MEMORY_GB = 240;
const POD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** A Pod as is, or a workload's pod template as the pod it would stamp out; undefined for anything else. */
export function podOf(object: unknown): V1Pod | undefined {
  const o = object as { kind?: string; metadata?: V1Pod['metadata']; spec?: Record<string, any> } | undefined;
  if (o?.kind === 'Pod') return o as V1Pod;
  const template =
    o?.kind === 'CronJob'
      ? o.spec?.jobTemplate?.spec?.template
      : POD_KINDS.has(o?.kind ?? '')
        ? o?.spec?.template
        : undefined;
  if (template === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(template.metadata ?? {}),
      name: o!.metadata?.name ?? 'pod',
      namespace: o!.metadata?.namespace ?? 'default',
    },
    spec: { ...(o?.kind === 'Job' || o?.kind === 'CronJob' ? { restartPolicy: 'Never' } : {}), ...template.spec },
  } as V1Pod;
}

/** ClusterFirst DNS in a VNet: the cluster's DNS server and search path, with the pod's dnsConfig, as kubelet does. */
function dns(
  pod: V1Pod,
  ctx: TranslateContext,
  warn: (rule: string, path: string, message: string, fix?: string) => void,
): DnsConfiguration | undefined {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const cfg = pod.spec?.dnsConfig;
  const ns = pod.metadata?.namespace ?? 'default';
  const domain = ctx.clusterDomain ?? 'cluster.local';
  const clusterFirst = policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet';
  if (policy === 'Default' && ctx.subnetId)
    warn(
      'LNT-DNS-001',
      'spec.dnsPolicy',
      'dnsPolicy Default: the group uses Azure DNS, not the cluster DNS or your VNet DNS.',
    );
  if (clusterFirst && ctx.subnetId && !ctx.dnsServiceIp)
    warn(
      'PRV-DNS-001',
      'spec.dnsPolicy',
      'The cluster DNS IP is unknown here, so the group would use Azure DNS.',
      'provider run reads it from kube-system/kube-dns.',
    );
  const servers = [
    ...(clusterFirst && ctx.subnetId && ctx.dnsServiceIp ? [ctx.dnsServiceIp] : []),
    ...(cfg?.nameservers ?? []),
  ];
  const searches = [
    ...(clusterFirst && ctx.subnetId ? [`${ns}.svc.${domain}`, `svc.${domain}`, domain] : []),
    ...(cfg?.searches ?? []),
  ];
  if (servers.length > 3)
    warn(
      'LNT-DNS-002',
      'spec.dnsConfig.nameservers',
      'More than 3 nameservers: the rest are dropped, as kubelet does.',
    );
  if (searches.length > 6)
    warn(
      'LNT-DNS-002',
      'spec.dnsConfig.searches',
      'More than 6 search domains: the rest are dropped, as kubelet does.',
    );
  if (servers.length === 0) return undefined;
  const options = (cfg?.options ?? []).map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)).join(' ');
  return {
    nameServers: servers.slice(0, 3),
    ...(searches.length ? { searchDomains: searches.slice(0, 6).join(' ') } : {}),
    ...(options ? { options } : {}),
  };
}

/** Pod-level fields with no ACI form. */
function podLevel(
  pod: V1Pod,
  warn: (rule: string, path: string, message: string, fix?: string) => void,
  reject: typeof warn,
): void {
  const spec = pod.spec!;
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const)
    if (spec[f]) warn('LNT-SCH-006', `spec.${f}`, `${f} has no meaning on ACI and is ignored.`);
  if (spec.shareProcessNamespace)
    warn('LNT-SHARE-001', 'spec.shareProcessNamespace', 'shareProcessNamespace is not translated.');
  if (spec.hostAliases?.length)
    warn('LNT-HA-001', 'spec.hostAliases', 'hostAliases are not supported on ACI; they are left out.');
  if (spec.nodeSelector?.['kubernetes.io/os'] === 'windows')
    reject('LNT-SCH-005', 'spec.nodeSelector', 'Virtual nodes run Linux pods only.');
  if (pod.metadata?.labels?.['azure.workload.identity/use'] === 'true')
    warn(
      'LNT-ID-001',
      'metadata.labels',
      'Workload identity tokens are not projected into ACI; Azure SDKs in the pod will not find one.',
    );
  if (spec.ephemeralContainers?.length)
    warn('LNT-SCH-008', 'spec.ephemeralContainers', 'Ephemeral containers are not run on ACI.');
}

/** Translates one pod. Pure: the cluster's objects come in through `ctx.lookup`. */
export function translatePod(pod: V1Pod, ctx: TranslateContext): Translation {
  const out = {
    warnings: [] as Finding[],
    rejections: [] as Finding[],
    needs: [] as ObjectRef[],
    missing: [] as Finding[],
  };
  const c = collector(ctx.lookup, out);
  const ns = pod.metadata?.namespace ?? 'default';
  const podName = pod.metadata?.name ?? '';
  const name = ctx.name ?? containerGroupName(ns, podName);
  const spec = pod.spec ?? { containers: [] };
  podLevel({ ...pod, spec }, c.warn, c.reject);
  const containers = spec.containers.map((x, i) => container(pod, x, i, c, ctx.nodeName));
  const inits = (spec.initContainers ?? []).map((x, i) => initContainer(pod, x, i, c, ctx.nodeName));
  if (containers.length === 0) c.reject('PRV-POD-001', 'spec.containers', 'The pod has no containers.');
  if (containers.length + inits.length > MAX_CONTAINERS)
    c.reject('LNT-RES-007', 'spec.containers', `ACI allows at most ${MAX_CONTAINERS} containers per group.`);
  const vols = volumes(pod, c);
  if (vols.length > MAX_VOLUMES)
    c.reject('LNT-RES-007', 'spec.volumes', `ACI allows at most ${MAX_VOLUMES} volumes per group.`);
  const total = containers.reduce(
    (s, x) => ({ cpu: s.cpu + x.resources.requests.cpu, mem: s.mem + x.resources.requests.memoryInGB }),
    { cpu: 0, mem: 0 },
  );
  if (total.cpu > MAX_CPU || total.mem > MAX_MEMORY_GB)
    c.reject(
      'LNT-RES-004',
      'spec.containers[*].resources.requests',
      `The pod asks for ${aciCpu(total.cpu)} vCPU and ${aciMemoryGb(total.mem * 1e9)} GB; an ACI group has at most ${MAX_CPU} and ${MAX_MEMORY_GB}.`,
    );
  containers.forEach((x, i) => {
    const lim = x.resources.limits;
    if ((lim?.cpu ?? 0) > total.cpu || (lim?.memoryInGB ?? 0) > total.mem)
      c.reject(
        'LNT-RES-002',
        `spec.containers[${i}].resources.limits`,
        "A limit above the pod's total requests: ACI answers ContainerLimitGreaterThanContainerGroupTotalRequest.",
        'Set limits no higher than the requests (simplest: limits == requests).',
      );
  });
  const ports = containers.flatMap((x) => x.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol }));
  const dnsConfig = dns(pod, ctx, c.warn);
  const credentials = pullSecrets(pod, c);
  const body: ContainerGroup = {
    location: ctx.region,
    tags: podTags({
      namespace: ns,
      name: podName,
      ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
      node: ctx.nodeName,
    }),
    osType: 'Linux',
    restartPolicy: spec.restartPolicy ?? 'Always',
    containers,
    ...(inits.length ? { initContainers: inits } : {}),
    ...(vols.length ? { volumes: vols } : {}),
    ...(credentials.length ? { imageRegistryCredentials: credentials } : {}),
    ...(ctx.subnetId
      ? { subnetIds: [{ id: ctx.subnetId }], ...(ports.length ? { ipAddress: { type: 'Private', ports } } : {}) }
      : ports.length
        ? { ipAddress: { type: 'Public', ports } }
        : {}),
    ...(dnsConfig ? { dnsConfig } : {}),
  };
  return { name, body, ...out };
}
