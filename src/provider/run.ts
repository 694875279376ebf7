// A provider run: node and lease, the groups already there, the pod informer, the sync loop, and the drain on stop.
import type { ProviderConfig, ProviderPorts } from './config.js';
import { createController } from './controller.js';
import type { ProviderOutput } from './events.js';
import { podKey, podOfTags } from './names.js';
import { startNode } from './node-agent.js';
import { createSync } from './sync.js';

/** What a run did. */
export interface ProviderRunSummary {
  created: number;
  deleted: number;
  statusWrites: number;
  pods: number;
}

/** Runs until `signal` aborts (or once with cfg.once), then drains as cfg.drain says. */
export async function runProvider(
  cfg: ProviderConfig,
  ports: ProviderPorts,
  sink: ProviderOutput,
  signal: AbortSignal,
): Promise<ProviderRunSummary> {
  // Late work (an LRO's outcome, a status write in flight) says nothing once the run has said it stopped.
  let closed = false;
  const out: ProviderOutput = { emit: (e) => void (closed || sink.emit(e)) };
  out.emit({
    event: 'started',
    node: cfg.nodeName,
    resourceGroup: cfg.resourceGroup,
    region: cfg.region,
    ...(cfg.subnetId ? { subnet: cfg.subnetId } : {}),
    syncIntervalMs: cfg.syncIntervalMs,
    dryRun: cfg.dryRun,
  });
  const node = cfg.dryRun ? undefined : await startNode(cfg, ports, out);
  const dns = cfg.subnetId ? await ports.kube.dnsServiceIp().catch(() => undefined) : undefined;
  const controller = createController(cfg, ports, out, dns);
  const sync = createSync(cfg, ports, controller, node, out);
  let informer: ReturnType<typeof ports.kube.watchPods> | undefined;
  try {
    while (!(await sync.load()) && !signal.aborted) await sleep(cfg.syncIntervalMs, signal);
    let synced = false;
    informer = ports.kube.watchPods(cfg.nodeName, {
      upsert: (pod) => controller.upsert(pod),
      remove: (pod) => controller.remove(pod),
      synced: () => {
        // The first complete list lets orphans be told from pods not yet seen; a relist only repeats it.
        if (synced) void controller.reconcileOrphans();
        synced = true;
      },
      trouble: (message) => out.emit({ event: 'trouble', message }),
    });
    await informer.ready;
    await controller.reconcileOrphans();
    if (cfg.once) {
      await settle(controller.state.pods.values());
      await sync.pass();
      await settle(controller.state.pods.values());
    } else {
      while (!signal.aborted) {
        await sleep(cfg.syncIntervalMs, signal);
        if (!signal.aborted) await sync.pass();
      }
    }
  } finally {
    informer?.stop();
    await settle(controller.state.pods.values());
    const groups = [...controller.state.groups.keys()];
    const drain = cfg.once ? 'node' : cfg.drain;
    out.emit({ event: 'draining', groups: groups.length, keep: drain !== 'all' });
    let deleted = 0;
    if (drain === 'all' && !cfg.dryRun) {
      const results = await Promise.allSettled(
        groups.map((g) => controller.deleteGroup(g, podOf(controller.state.groups.get(g)), true)),
      );
      deleted = results.filter((r) => r.status === 'fulfilled').length;
    }
    await node?.stop(drain !== 'none' && !cfg.once);
    out.emit({ event: 'stopped', kept: drain !== 'all', deleted });
    closed = true;
  }
  const { stats, pods } = controller.state;
  return { created: stats.created, deleted: stats.deleted, statusWrites: stats.statusWrites, pods: pods.size };
}

const podOf = (g: { tags?: Record<string, string> } | undefined): string => {
  const ref = podOfTags(g?.tags);
  return ref ? podKey(ref) : '?';
};

/** Waits for every pod's queued work (new work queued meanwhile included). */
async function settle(entries: Iterable<{ chain: Promise<void> }>): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.all([...entries].map((e) => e.chain));
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
