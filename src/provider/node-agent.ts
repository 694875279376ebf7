// The node's life: refuse a name another live lease holds, register (or take over) the node, renew the lease every
// 10 s, and post node status every 60 s or at once when readiness changes.
import type { V1Lease, V1Node } from '@kubernetes/client-node';
import { VnodesError } from '../errors.js';
import { KubeHttpError } from '../kube/provider-objects.js';
import type { ProviderConfig, ProviderPorts } from './config.js';
import type { ProviderOutput } from './events.js';
import {
  capacityOf,
  type Capacity,
  leaseIsLive,
  leaseObject,
  NODE_STATUS_MS,
  nodeConditions,
  type NodeHealth,
  nodeObject,
  RENEW_MS,
} from './node.js';

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Reads capacity from ACI; quota that cannot be read falls back to the group maximum times 100 pods. */
async function capacity(cfg: ProviderConfig, ports: ProviderPorts, out: ProviderOutput): Promise<Capacity> {
  try {
    const [caps, usages] = await Promise.all([ports.aci.capabilities(cfg.region), ports.aci.usages(cfg.region)]);
    return capacityOf(caps, usages, cfg.subnetId !== undefined);
  } catch (error) {
    out.emit({ event: 'trouble', message: `reading ACI capabilities and quota: ${(error as Error).message}` });
    return capacityOf([], [], false);
  }
}

/** The running node. */
export interface NodeAgent {
  /** Readiness inputs changed (ARM answered or not; the subnet is usable or not). */
  setHealth(part: Partial<NodeHealth>): void;
  stop(removeNode: boolean): Promise<void>;
}

/** Registers the node and keeps its lease; throws VNODES_NODE_NAME_TAKEN while another live lease holds the name. */
export async function startNode(cfg: ProviderConfig, ports: ProviderPorts, out: ProviderOutput): Promise<NodeAgent> {
  const { kube } = ports;
  const existing = await kube.getLease(cfg.nodeName);
  if (leaseIsLive(existing, Date.now()) && existing?.spec?.holderIdentity !== cfg.holder) {
    throw new VnodesError(
      `Node name ${cfg.nodeName} is in use: its lease in kube-node-lease is held by ${existing?.spec?.holderIdentity ?? 'someone'} and was renewed ${Math.round((Date.now() - new Date(existing!.spec!.renewTime as unknown as string).getTime()) / 1000)} s ago.`,
      {
        code: 'VNODES_NODE_NAME_TAKEN',
        remediation: 'Another provider runs with this name. Stop it, or pick another with --node-name.',
      },
    );
  }
  const health: NodeHealth = { arm: { ok: true }, subnet: { ok: true } };
  if (ports.subnetHealth)
    health.subnet = await ports.subnetHealth().catch((e: Error) => ({ ok: false, message: e.message }));
  const cap = await capacity(cfg, ports, out);
  const body = nodeObject({
    name: cfg.nodeName,
    version: cfg.version,
    capacity: cap,
    conditions: nodeConditions(health, now()),
    ...(cfg.nodeIP ? { internalIP: cfg.nodeIP } : {}),
  });
  let node: V1Node;
  const found = await kube.getNode(cfg.nodeName);
  if (found === undefined) node = await kube.createNode(body);
  else node = found;
  // Create may drop status (the API server owns it on some kinds): post it through the status subresource.
  node = await kube.replaceNodeStatus({ ...node, status: body.status });
  out.emit({ event: 'node-registered', node: cfg.nodeName, capacity: { ...cap } });
  let ready = health.arm.ok && health.subnet.ok;
  if (!ready) out.emit({ event: 'node-condition', node: cfg.nodeName, ready, ...reasonOf(node) });

  let lease: V1Lease | undefined = existing;
  const renew = async (): Promise<void> => {
    const t = Date.now();
    try {
      lease = lease?.metadata?.resourceVersion
        ? await kube.replaceLease(
            leaseObject(cfg.nodeName, cfg.holder, t, node.metadata?.uid, lease.metadata.resourceVersion),
          )
        : await kube.createLease(leaseObject(cfg.nodeName, cfg.holder, t, node.metadata?.uid));
    } catch (error) {
      if (error instanceof KubeHttpError && (error.code === 409 || error.code === 404))
        lease = await kube.getLease(cfg.nodeName);
      else out.emit({ event: 'trouble', message: `renewing the node lease: ${(error as Error).message}` });
    }
  };
  await renew();
  let posting = Promise.resolve();
  const post = (): Promise<void> =>
    (posting = posting.then(async () => {
      try {
        const current = (await kube.getNode(cfg.nodeName)) ?? (await kube.createNode(body));
        const conditions = nodeConditions(health, now(), current.status?.conditions);
        node = await kube.replaceNodeStatus({ ...current, status: { ...current.status, conditions } });
      } catch (error) {
        out.emit({ event: 'trouble', message: `posting node status: ${(error as Error).message}` });
      }
    }));
  const leaseTimer = setInterval(() => void renew(), RENEW_MS);
  // Every status period the subnet is checked again: a removed delegation or an added route table makes it NotReady.
  const statusTimer = setInterval(async () => {
    if (ports.subnetHealth)
      agent.setHealth({ subnet: await ports.subnetHealth().catch((e: Error) => ({ ok: false, message: e.message })) });
    void post();
  }, NODE_STATUS_MS);
  leaseTimer.unref();
  statusTimer.unref();
  const agent: NodeAgent = {
    setHealth(part) {
      Object.assign(health, part);
      const next = health.arm.ok && health.subnet.ok;
      if (next === ready) return;
      ready = next;
      const c = nodeConditions(health, now())[0]!;
      out.emit({
        event: 'node-condition',
        node: cfg.nodeName,
        ready,
        reason: c.reason ?? '',
        message: c.message ?? '',
      });
      void post();
    },
    async stop(removeNode) {
      clearInterval(leaseTimer);
      clearInterval(statusTimer);
      await posting;
      // The lease goes either way, so that a provider started next under this name is not refused.
      await kube.deleteLease(cfg.nodeName).catch(() => undefined);
      if (removeNode) await kube.deleteNode(cfg.nodeName);
    },
  };
  return agent;
}

const reasonOf = (node: V1Node): { reason: string; message: string } => {
  const c = node.status?.conditions?.find((x) => x.type === 'Ready');
  return { reason: c?.reason ?? '', message: c?.message ?? '' };
};
