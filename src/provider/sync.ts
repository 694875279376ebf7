// One status sync pass: one list of the resource group, GETs only where sync-plan.ts says, each read applied to its
// pod. A failed list makes the node NotReady (ARM unreachable) until one succeeds.
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type { ProviderConfig, ProviderPorts } from './config.js';
import type { Controller } from './controller.js';
import type { ProviderOutput } from './events.js';
import { podKey, podOfTags, TAGS } from './names.js';
import type { NodeAgent } from './node-agent.js';
import type { PodEntry } from './pod-state.js';
import { fingerprint, planReads, type TrackedGroup } from './sync-plan.js';

/** Runs sync passes over a controller's state. */
export function createSync(
  cfg: ProviderConfig,
  ports: ProviderPorts,
  controller: Controller,
  node: NodeAgent | undefined,
  out: ProviderOutput,
) {
  const tracked = new Map<string, TrackedGroup>();
  const timing = { intervalMs: cfg.syncIntervalMs, refreshMs: cfg.refreshMs };
  const { state } = controller;
  let tick = 0;
  let since: [number, number, number] = [0, 0, 0];

  const entryFor = (name: string, g: ContainerGroup): PodEntry | undefined => {
    const ref = podOfTags(g.tags);
    const entry = ref ? state.pods.get(podKey(ref)) : undefined;
    return entry && (!ref?.uid || entry.pod.metadata?.uid === ref.uid) && (entry.group ?? name) === name
      ? entry
      : undefined;
  };

  /** Remembers a read: steady pods wait for their refresh slot, transitional ones are read every pass. */
  function track(name: string, entry: PodEntry, print: string): void {
    const phase = entry.pod.status?.phase;
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    const steady = phase === 'Running' && (entry.pod.status?.containerStatuses ?? []).every((c) => c.state?.running);
    tracked.set(name, { fingerprint: print, lastReadTick: tick, terminal, transitional: !steady && !terminal });
  }
  // A create's final body is a GET too: it counts as this group's first read, not one more to make.
  controller.onRead = (name, entry, group) => track(name, entry, fingerprint(group));

  /** Lists this node's groups; undefined when ARM did not answer. */
  async function list(): Promise<ContainerGroup[] | undefined> {
    try {
      const all = await ports.aci.list(cfg.resourceGroup);
      node?.setHealth({ arm: { ok: true } });
      return all.filter((g) => g.tags?.[TAGS.node] === cfg.nodeName);
    } catch (error) {
      node?.setHealth({ arm: { ok: false, message: (error as Error).message } });
      out.emit({ event: 'trouble', message: `listing container groups: ${(error as Error).message}` });
      return undefined;
    }
  }

  /** Loads the groups before the informer starts, so pods find theirs (adoption after a restart). */
  async function load(): Promise<boolean> {
    const groups = await list();
    if (groups === undefined) return false;
    for (const g of groups) state.groups.set(g.name!, g);
    return true;
  }

  async function pass(): Promise<void> {
    tick++;
    // Counted since the previous pass, so what pods did between passes (creates, their LROs) is in the figures.
    const [sent0, throttled0, writes0] = since;
    const groups = await list();
    controller.retry();
    if (groups === undefined) return;
    const listed = new Map<string, string>();
    for (const g of groups) {
      listed.set(g.name!, fingerprint(g));
      if (!state.groups.has(g.name!) || state.groups.get(g.name!)?.instanceView === undefined)
        state.groups.set(g.name!, g);
    }
    // A group that vanished while its pod was running: the pod is told, not left Running forever.
    for (const entry of state.pods.values()) {
      if (entry.state === 'running' && entry.group && !listed.has(entry.group) && state.groups.has(entry.group)) {
        state.groups.delete(entry.group);
        void controller.lost(entry);
      }
    }
    for (const name of [...tracked.keys()]) if (!listed.has(name)) tracked.delete(name);
    const busy = new Set(
      [...state.pods.values()]
        // A create's own LRO follows it for a few intervals; after that (a poll that never came back) it is read.
        .filter(
          (e) =>
            e.state === 'deleting' ||
            (e.state === 'creating' && Date.now() - (e.since ?? Date.now()) < 3 * cfg.syncIntervalMs),
        )
        .flatMap((e) => (e.group ? [e.group] : [])),
    );
    const plan = planReads(listed, tracked, tick, timing);
    const reasons: Record<string, number> = {};
    const reads = [...plan].filter(
      ([name]) => !busy.has(name) && entryFor(name, state.groups.get(name)!) !== undefined,
    );
    await Promise.all(
      reads.map(async ([name, reason]) => {
        reasons[reason] = (reasons[reason] ?? 0) + 1;
        const g = await ports.aci.get(cfg.resourceGroup, name).catch((error: Error) => {
          out.emit({ event: 'trouble', message: `reading ${name}: ${error.message}` });
          return null;
        });
        if (g === null) return;
        if (g === undefined) {
          tracked.delete(name);
          return;
        }
        state.groups.set(name, g);
        const entry = entryFor(name, g);
        if (entry === undefined) return;
        await controller.applyGroup(entry, g);
        track(name, entry, listed.get(name)!);
      }),
    );
    out.emit({
      event: 'sync',
      tick,
      pods: state.pods.size,
      listed: groups.length,
      reads: reads.length,
      reasons,
      statusWrites: state.stats.statusWrites - writes0,
      armRequests: (ports.throttle?.stats.sent ?? 0) - sent0,
      throttled: (ports.throttle?.stats.throttled ?? 0) - throttled0,
    });
    since = [ports.throttle?.stats.sent ?? 0, ports.throttle?.stats.throttled ?? 0, state.stats.statusWrites];
  }

  return { load, pass, tracked };
}
