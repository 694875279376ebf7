// The connector's life in one cluster's Kubernetes API: its Deployment, ReplicaSet and pod, the pod's runs (crash
// loop with logs and events, or Running), and once running the virtual node with its renewed lease.
import { randomBytes } from 'node:crypto';
import type { HandlerContext } from '../arm/handler.js';
import { jsonObject } from '../arm/context.js';
import { parseArmPath } from '../arm/ids.js';
import type { StoredResource } from '../arm/store.js';
import { addonSubnetId, addonSubnetName } from '../arm/handlers/managed-cluster-addon.js';
import { nodeResourceGroupOf } from '../arm/handlers/managed-clusters.js';
import { type KubeObject, type KubeStore, recordEvent } from '../kube/index.js';
import { addonIdentity, fatalLine } from './connector-init.js';
import { injectedInitError, podInitFailing } from './connector-init-validation.js';
import {
  CONNECTOR,
  type ConnectorInput,
  INIT_VALIDATION,
  deployment,
  deploymentStatus,
  lease,
  microTime,
  NAMESPACE,
  pod,
  podCrashing,
  podRunning,
  replicaSet,
  rfc3339,
  VIRTUAL_NODE,
  virtualNode,
} from './connector-objects.js';

/** What the connector remembers about its pod in one cluster. */
export interface ConnectorPod {
  clusterId: string;
  running: boolean;
  restarts: number;
  /** When the next start may be tried (crash-loop back-off, one reconcile period here). */
  nextAttemptMs: number;
  podName: string;
  startedMs: number;
  lastRenewMs: number;
  /** When the node's conditions last got a heartbeat (virtual-kubelet posts node status every 60 s). */
  lastHeartbeatMs: number;
  /** Event name per reason+message, so a repeat bumps `count` instead of adding an event. */
  events: Map<string, string>;
}

/** The connector pod's IP (the node's InternalIP, as VKUBELET_POD_IP makes it). */
export const CONNECTOR_POD_IP = '10.240.0.35';
const POD_IP = CONNECTOR_POD_IP;
const RENEW_MS = 10_000;
const STATUS_MS = 60_000;
const finalizing = new WeakSet<KubeStore>();
const logLine = (nowMs: number, msg: string): string =>
  `time="${rfc3339(nowMs)}" level=info msg="${msg}" node=${VIRTUAL_NODE} provider=azure\n`;

/**
 * A new runtime for a cluster, and (once per API server, unless a provider runs the pods) the part of the connector
 * that finalises deletions of pods bound to the virtual node: with no container groups behind them, there is nothing
 * to wait for.
 */
export function startRuntime(clusterId: string, store: KubeStore, nowMs: number, finalize = true): ConnectorPod {
  if (finalize && !finalizing.has(store)) {
    finalizing.add(store);
    store.on('Pod', 'updated', (o) => {
      if (
        (o.spec as { nodeName?: string } | undefined)?.nodeName !== VIRTUAL_NODE ||
        o.metadata.deletionTimestamp === undefined
      )
        return;
      setImmediate(() => {
        if (store.get('pods', o.metadata.namespace, o.metadata.name!) !== undefined)
          store.delete('pods', o.metadata.namespace, o.metadata.name!, { gracePeriodSeconds: 0 });
      });
    });
  }
  return {
    clusterId,
    running: false,
    restarts: 0,
    nextAttemptMs: nowMs,
    podName: '',
    startedMs: nowMs,
    lastRenewMs: 0,
    lastHeartbeatMs: nowMs,
    events: new Map(),
  };
}

function inputOf(cluster: StoredResource, hctx: HandlerContext): ConnectorInput {
  const subnetId = addonSubnetId(cluster.body, nodeResourceGroupOf(cluster), cluster.id, hctx) ?? '';
  const vnet = parseArmPath(parseArmPath(subnetId)?.parentId ?? '');
  return {
    clusterId: cluster.id,
    identityClientId: addonIdentity(cluster)?.clientId ?? '',
    subnetName: addonSubnetName(cluster.body),
    vnetName: vnet?.name ?? '',
    vnetResourceGroup: vnet?.resourceGroup ?? '',
    ...clusterNetwork(cluster, subnetId, hctx),
    ...(injectedInitError(cluster) !== undefined ? { initValidation: true } : {}),
  };
}

/** What AKS writes into the connector's MASTER_URI, CLUSTER_CIDR and KUBE_DNS_IP for this cluster. */
function clusterNetwork(
  cluster: StoredResource,
  aciSubnetId: string,
  hctx: HandlerContext,
): Pick<ConnectorInput, 'masterUri' | 'clusterCidr' | 'kubeDnsIp'> {
  const p = jsonObject(cluster.body.properties) ?? {};
  const net = jsonObject(p.networkProfile) ?? {};
  const fqdn = String(p.privateFQDN ?? p.fqdn ?? 'kubernetes.default.svc');
  const pools = Array.isArray(p.agentPoolProfiles) ? p.agentPoolProfiles.map((a) => jsonObject(a) ?? {}) : [];
  // The first pool's subnet, else the AKS-managed VNet's aks-subnet beside the ACI subnet.
  const nodeSubnetId =
    pools.map((a) => a.vnetSubnetID).find((id): id is string => typeof id === 'string') ??
    (aciSubnetId === '' ? '' : `${parseArmPath(aciSubnetId)?.parentId ?? ''}/subnets/aks-subnet`);
  const subnet = nodeSubnetId === '' ? undefined : hctx.store.get(nodeSubnetId);
  const sp = jsonObject(subnet?.body.properties) ?? {};
  const prefix = typeof sp.addressPrefix === 'string' ? sp.addressPrefix : '';
  const overlay = net.networkPlugin === 'kubenet' || net.networkPluginMode === 'overlay';
  return {
    masterUri: `https://${fqdn}:443`,
    clusterCidr: overlay ? String(net.podCidr ?? '') : prefix,
    kubeDnsIp: String(net.dnsServiceIP ?? ''),
  };
}

/** The agent node the connector pod runs on: the first node that is not a virtual kubelet. */
function hostOf(store: KubeStore): { name?: string; ip: string } {
  const node = store.list('nodes').items.find((n) => n.metadata.labels?.type !== 'virtual-kubelet');
  const addresses = (node?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? [];
  return {
    ...(node === undefined ? {} : { name: node.metadata.name! }),
    ip: addresses.find((a) => a.type === 'InternalIP')?.address ?? '10.240.0.4',
  };
}

/** Makes sure the Deployment, ReplicaSet and pod exist (a deleted pod comes back under a new name, as a ReplicaSet does). */
export function ensurePod(
  rt: ConnectorPod,
  store: KubeStore,
  cluster: StoredResource,
  hctx: HandlerContext,
  nowMs: number,
): void {
  const input = inputOf(cluster, hctx);
  const deploy =
    store.get('deployments', NAMESPACE, CONNECTOR) ??
    store.create('deployments', { ...deployment(input), status: deploymentStatus(false, nowMs) }, { fromApi: false });
  const rsName = `${CONNECTOR}-${(deploy.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels['pod-template-hash']}`;
  const rs =
    store.get('replicasets', NAMESPACE, rsName) ??
    store.create('replicasets', replicaSet(input, { uid: deploy.metadata.uid! }), { fromApi: false });
  if (rt.podName !== '' && store.get('pods', NAMESPACE, rt.podName) !== undefined) return;
  const suffix = Array.from(randomBytes(5), (b) => 'bcdfghjklmnpqrstvwxz2456789'[b % 27]).join('');
  const created = store.create(
    'pods',
    pod(input, { uid: rs.metadata.uid!, name: rsName }, hostOf(store).name, suffix),
    { fromApi: false },
  );
  Object.assign(rt, {
    podName: created.metadata.name!,
    running: false,
    restarts: 0,
    nextAttemptMs: nowMs,
    startedMs: nowMs,
  });
}

function setStatus(
  store: KubeStore,
  type: string,
  name: string,
  status: unknown,
  namespace = NAMESPACE,
): KubeObject | undefined {
  const current = store.get(type, namespace, name);
  return current === undefined ? undefined : store.update(type, { ...current, status }, { subresource: 'status' });
}

/** A Warning event about an object, or the same one again with its count raised. */
function warn(
  rt: ConnectorPod,
  store: KubeStore,
  about: KubeObject,
  e: { reason: string; message: string; component: string; host?: string },
): void {
  const key = `${e.reason}|${e.message}`;
  const existing = rt.events.get(key);
  const event = existing === undefined ? undefined : store.get('events', about.metadata.namespace, existing);
  if (event !== undefined) {
    store.update('events', { ...event, count: Number(event.count ?? 1) + 1, lastTimestamp: rfc3339(Date.now()) });
    return;
  }
  const created = recordEvent(store, about, { type: 'Warning', ...e });
  rt.events.set(key, created.metadata.name!);
}

/** One failed start: the fatal log line, CrashLoopBackOff with the error as termination message, events. */
export function markCrashing(rt: ConnectorPod, store: KubeStore, nowMs: number, error: string): void {
  const current = store.get('pods', NAMESPACE, rt.podName);
  if (current === undefined) return;
  const line = fatalLine(nowMs, error);
  store.logs.append(
    NAMESPACE,
    rt.podName,
    CONNECTOR,
    logLine(nowMs, 'Starting virtual-kubelet azure-aci provider 1.6.2') + `${line}\n`,
  );
  rt.restarts += 1;
  const host = hostOf(store);
  const status = podCrashing({
    podName: rt.podName,
    uid: current.metadata.uid!,
    startedMs: rt.startedMs,
    restarts: rt.restarts,
    lastRun: { startedMs: nowMs, finishedMs: nowMs },
    message: line,
    podIP: POD_IP,
    hostIP: host.ip,
  });
  const updated = setStatus(store, 'pods', rt.podName, status) ?? current;
  setStatus(store, 'deployments', CONNECTOR, deploymentStatus(false, nowMs));
  warn(rt, store, updated, {
    reason: 'InitFailed',
    message: error,
    component: CONNECTOR,
    ...(host.name ? { host: host.name } : {}),
  });
  warn(rt, store, updated, {
    reason: 'BackOff',
    message: `Back-off restarting failed container ${CONNECTOR} in pod ${rt.podName}_${NAMESPACE}(${updated.metadata.uid})`,
    component: 'kubelet',
    ...(host.name ? { host: host.name } : {}),
  });
}

/** One failed run of init-validation: its log, Init:CrashLoopBackOff, the Warning event InitFailed. */
export function markInitFailing(rt: ConnectorPod, store: KubeStore, nowMs: number, error: string): void {
  const current = store.get('pods', NAMESPACE, rt.podName);
  if (current === undefined) return;
  // FallbackToLogsOnError: the last log line becomes the termination message.
  const line = `time="${rfc3339(nowMs)}" level=error msg="VNet config setup failed" error="${error.replace(/"/g, '\\"')}"`;
  store.logs.append(NAMESPACE, rt.podName, INIT_VALIDATION, logLine(nowMs, 'Setting up VNet config') + `${line}\n`);
  rt.restarts += 1;
  const host = hostOf(store);
  const status = podInitFailing({
    startedMs: rt.startedMs,
    restarts: rt.restarts,
    lastRun: { startedMs: nowMs, finishedMs: nowMs },
    message: line,
    hostIP: host.ip,
  });
  const updated = setStatus(store, 'pods', rt.podName, status) ?? current;
  setStatus(store, 'deployments', CONNECTOR, deploymentStatus(false, nowMs));
  warn(rt, store, updated, {
    reason: 'InitFailed',
    message: 'VNet config setup failed',
    component: INIT_VALIDATION,
    ...(host.name ? { host: host.name } : {}),
  });
}

/** A good start: the pod Running and Ready, and (unless a provider does it) the virtual node with its lease. */
export function markRunning(rt: ConnectorPod, store: KubeStore, nowMs: number, registerNode = true): void {
  const current = store.get('pods', NAMESPACE, rt.podName);
  if (current === undefined) return;
  store.logs.append(
    NAMESPACE,
    rt.podName,
    CONNECTOR,
    logLine(nowMs, 'Starting virtual-kubelet azure-aci provider 1.6.2') +
      logLine(nowMs, 'ACI subnet is ready') +
      logLine(nowMs, `Node ${VIRTUAL_NODE} registered`),
  );
  const last = (current.status as { containerStatuses?: { lastState?: unknown }[] } | undefined)?.containerStatuses?.[0]
    ?.lastState;
  setStatus(
    store,
    'pods',
    rt.podName,
    podRunning(nowMs, rt.restarts, POD_IP, hostOf(store).ip, (last ?? {}) as Record<string, unknown>),
  );
  setStatus(store, 'deployments', CONNECTOR, deploymentStatus(true, nowMs));
  rt.running = true;
  rt.lastRenewMs = 0;
  if (registerNode) renew(rt, store, nowMs);
}

/** Keeps the node registered (re-created if someone deleted it, as virtual-kubelet does) and its lease fresh. */
export function renew(rt: ConnectorPod, store: KubeStore, nowMs: number): void {
  let node = store.get('nodes', undefined, VIRTUAL_NODE);
  if (node === undefined) {
    node = store.create('nodes', virtualNode({ podIP: POD_IP, nowMs }), { fromApi: false });
    Object.assign(rt, { lastRenewMs: 0, lastHeartbeatMs: nowMs });
  } else if (nowMs - rt.lastHeartbeatMs >= STATUS_MS) {
    rt.lastHeartbeatMs = nowMs;
    const status = node.status as { conditions?: Record<string, unknown>[] } | undefined;
    const conditions = (status?.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: rfc3339(nowMs) }));
    node = store.update('nodes', { ...node, status: { ...status, conditions } }, { subresource: 'status' });
  }
  if (nowMs - rt.lastRenewMs < RENEW_MS && store.get('leases', 'kube-node-lease', VIRTUAL_NODE) !== undefined) return;
  rt.lastRenewMs = nowMs;
  const current = store.get('leases', 'kube-node-lease', VIRTUAL_NODE);
  if (current === undefined) store.create('leases', lease(node.metadata.uid!, nowMs), { fromApi: false });
  else store.update('leases', { ...current, spec: { ...(current.spec as object), renewTime: microTime(nowMs) } });
}

/** Add-on disabled: the connector's objects, the virtual node and its lease go. */
export function removeAll(store: KubeStore): void {
  for (const p of store.list('pods', { namespace: NAMESPACE, labelSelector: `app=${CONNECTOR}` }).items) {
    store.delete('pods', NAMESPACE, p.metadata.name!, { gracePeriodSeconds: 0 });
  }
  for (const rs of store.list('replicasets', { namespace: NAMESPACE, labelSelector: `app=${CONNECTOR}` }).items)
    store.delete('replicasets', NAMESPACE, rs.metadata.name!);
  if (store.get('deployments', NAMESPACE, CONNECTOR) !== undefined) store.delete('deployments', NAMESPACE, CONNECTOR);
  if (store.get('leases', 'kube-node-lease', VIRTUAL_NODE) !== undefined)
    store.delete('leases', 'kube-node-lease', VIRTUAL_NODE);
  if (store.get('nodes', undefined, VIRTUAL_NODE) !== undefined) store.delete('nodes', undefined, VIRTUAL_NODE);
}
