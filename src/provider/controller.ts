// The pod controller: pods bound to the node become container groups, deleted pods lose theirs, and after a restart
// both sides are reconciled by the groups' tags (never by name alone).
import { createHash } from 'node:crypto';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { AzureError } from '../errors.js';
import type { ProviderConfig, ProviderPorts } from './config.js';
import type { ProviderOutput } from './events.js';
import { containerGroupName, podKey, podOfTags, TAGS } from './names.js';
import { GroupIndex } from './group-index.js';
import { enqueue, keyOfPod, type PodEntry, sayOnce, writeStatus, type WriteStats } from './pod-state.js';
import { redactBody } from './redact.js';
import { groupEvents, newEvents, podStatusOf, rejectedStatus, waitingStatus, type GroupEvent } from './status.js';
import { translatePod, type ObjectData, type ObjectRef } from './translate.js';

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const refKey = (r: ObjectRef): string => `${r.kind}/${r.namespace}/${r.name}`;

/** An ARM failure worth retrying later: throttled, unavailable, or not answered at all. */
export function transient(error: unknown): boolean {
  if (!(error instanceof AzureError)) return true;
  const status = error.arm.statusCode;
  if (status === undefined) return error.code === 'VNODES_AZURE_UNREACHABLE';
  return status === 429 || status === 408 || status >= 500;
}

/** The controller's shared state, read by the sync. */
export interface ControllerState {
  pods: Map<string, PodEntry>;
  /** This node's groups as last listed or read, by name. */
  groups: GroupIndex;
  stats: WriteStats & { created: number; deleted: number };
}

/** The pod controller over its ports. */
export function createController(
  cfg: ProviderConfig,
  ports: ProviderPorts,
  out: ProviderOutput,
  dnsServiceIp: string | undefined,
) {
  const { aci, kube } = ports;
  const state: ControllerState = {
    pods: new Map(),
    groups: new GroupIndex(),
    stats: { statusWrites: 0, conflicts: 0, created: 0, deleted: 0 },
  };
  const pollMs = Math.max(200, Math.min(cfg.syncIntervalMs, 5000));
  /** Set by the sync: told of reads the controller made itself (a create's final body). */
  const hooks: { onRead?: (name: string, entry: PodEntry, group: ContainerGroup) => void } = {};
  const write = (entry: PodEntry, compute: Parameters<typeof writeStatus>[1]) =>
    writeStatus(entry, compute, kube, out, state.stats);

  const groupOf = (pod: V1Pod): string | undefined => state.groups.groupOfPod(keyOfPod(pod), pod.metadata?.uid);

  async function readRefs(needs: ObjectRef[]): Promise<Map<string, ObjectData | null>> {
    const data = new Map<string, ObjectData | null>();
    for (const ref of needs) {
      if (data.has(refKey(ref))) continue;
      const o = await kube.getObject(ref.kind, ref.namespace, ref.name);
      data.set(
        refKey(ref),
        o
          ? {
              data: o.data ?? {},
              ...(o.binaryData ? { binaryData: o.binaryData } : {}),
              ...(o.type ? { type: o.type } : {}),
            }
          : null,
      );
    }
    return data;
  }

  async function event(
    entry: PodEntry,
    e: {
      type: 'Normal' | 'Warning';
      reason: string;
      message: string;
      container?: string;
      count?: number;
      first?: string;
      last?: string;
      id?: string;
    },
  ): Promise<void> {
    const pod = entry.pod;
    const id = createHash('sha256')
      .update(e.id ?? `${e.reason}|${e.message}`)
      .digest('hex')
      .slice(0, 16);
    const body: CoreV1Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata!.name}.${id}`, namespace: pod.metadata!.namespace ?? 'default' },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: pod.metadata!.name,
        namespace: pod.metadata!.namespace ?? 'default',
        uid: pod.metadata!.uid,
        ...(e.container ? { fieldPath: `spec.containers{${e.container}}` } : {}),
      },
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: e.count ?? 1,
      firstTimestamp: (e.first ?? now()) as unknown as Date,
      lastTimestamp: (e.last ?? e.first ?? now()) as unknown as Date,
      source: { component: `${cfg.nodeName}/pod-controller`, host: cfg.nodeName },
      reportingComponent: 'vnodes-provider',
      reportingInstance: cfg.nodeName,
    };
    await kube.recordEvent(body);
  }

  /** ACI events as Kubernetes events, once each (their names are stable, so a restart raises counts, not copies). */
  const aciEvents = (entry: PodEntry, events: GroupEvent[]): Promise<unknown> =>
    Promise.all(
      events.map((e) =>
        event(entry, {
          type: e.type,
          reason: e.reason,
          message: e.message,
          count: e.count,
          id: e.key,
          ...(e.container ? { container: e.container } : {}),
          ...(e.firstTimestamp ? { first: e.firstTimestamp } : {}),
          ...(e.lastTimestamp ? { last: e.lastTimestamp } : {}),
        }),
      ),
    );

  async function failCreate(entry: PodEntry, group: string, error: unknown): Promise<void> {
    const arm = error instanceof AzureError ? error.arm : undefined;
    const retrying = transient(error);
    const message = (error as Error).message;
    entry.state = retrying ? 'retry' : 'failed';
    out.emit({ event: 'create-failed', pod: entry.key, group, code: arm?.armCode ?? 'Error', message, retrying });
    if (retrying) return;
    await write(entry, (pod) => rejectedStatus(pod, `${arm?.armCode ?? 'Error'}: ${message}`, now()));
    await event(entry, { type: 'Warning', reason: 'ProviderCreateFailed', message });
  }

  /** Translates (reading the ConfigMaps and Secrets it needs) and creates the group; failures reach the pod. */
  async function create(entry: PodEntry): Promise<void> {
    const pod = entry.pod;
    const name =
      entry.group ??
      containerGroupName(pod.metadata!.namespace ?? 'default', pod.metadata!.name!, {
        get: (n) => state.groups.holder(n),
      });
    const base = {
      region: cfg.region,
      nodeName: cfg.nodeName,
      name,
      ...(cfg.subnetId ? { subnetId: cfg.subnetId } : {}),
      ...(dnsServiceIp ? { dnsServiceIp } : {}),
      ...(cfg.clusterDomain ? { clusterDomain: cfg.clusterDomain } : {}),
    };
    const data = await readRefs(translatePod(pod, base).needs);
    const t = translatePod(pod, { ...base, lookup: { get: (r) => data.get(refKey(r)) ?? null } });
    if (t.rejections.length) {
      entry.state = 'rejected';
      out.emit({ event: 'rejected', pod: entry.key, rejections: t.rejections });
      const message = t.rejections
        .map((r) => `${r.rule} ${r.path}: ${r.message}${r.fix ? ` Fix: ${r.fix}` : ''}`)
        .join(' ');
      await write(entry, (p) => rejectedStatus(p, message, now()));
      await event(entry, { type: 'Warning', reason: 'ProviderFailed', message });
      return;
    }
    sayOnce(entry, out, { event: 'translated', pod: entry.key, group: name, warnings: t.warnings });
    if (t.missing.length) {
      entry.state = 'waiting';
      const message = t.missing.map((m) => m.message).join(' ');
      sayOnce(entry, out, { event: 'waiting', pod: entry.key, reason: 'CreateContainerConfigError', message });
      await write(entry, (p) => waitingStatus(p, 'CreateContainerConfigError', message, now()));
      return;
    }
    if (cfg.dryRun) {
      entry.state = 'dry-run';
      out.emit({ event: 'would-create', pod: entry.key, group: name, body: redactBody(t.body) });
      return;
    }
    entry.group = name;
    entry.state = 'creating';
    out.emit({ event: 'put', pod: entry.key, group: name });
    let accepted;
    try {
      accepted = await aci.create(cfg.resourceGroup, name, t.body, pollMs);
    } catch (error) {
      return failCreate(entry, name, error);
    }
    state.stats.created++;
    state.groups.set(name, { ...t.body, name });
    await write(entry, (p) => waitingStatus(p, 'ContainerCreating', undefined, now()));
    // Followed in the background: the pod's queue moves on, and the outcome is queued behind what came meanwhile.
    entry.since = Date.now();
    accepted.done.then(
      (group) =>
        void enqueue(entry, out, async () => {
          if (!created(entry, group)) return;
          state.groups.set(name, group);
          await applyGroup(entry, group);
          hooks.onRead?.(name, entry, group);
        }),
      (error) =>
        void enqueue(entry, out, () =>
          entry.state === 'creating' ? failCreate(entry, name, error) : Promise.resolve(),
        ),
    );
  }

  /** The create finished (its LRO, or a read that shows the group provisioned): once only. */
  function created(entry: PodEntry, group: ContainerGroup): boolean {
    if (entry.state !== 'creating') return false;
    entry.state = 'running';
    out.emit({
      event: 'created',
      pod: entry.key,
      group: entry.group ?? group.name ?? '',
      ...(group.provisioningState ? { provisioningState: group.provisioningState } : {}),
    });
    return true;
  }

  /** A group read (GET or the create's final body): ACI state line, events, pod status. */
  async function applyGroup(entry: PodEntry, group: ContainerGroup): Promise<void> {
    const containers = group.containers.map(
      (c) =>
        `${c.name} ${c.instanceView?.currentState?.state ?? '-'}${c.instanceView?.currentState?.exitCode !== undefined ? `(${c.instanceView.currentState.exitCode})` : ''}`,
    );
    const line = `${group.provisioningState ?? '?'}/${group.instanceView?.state ?? '-'} ${containers.join(',')}`;
    if (line !== entry.aci) {
      entry.aci = line;
      out.emit({
        event: 'aci-state',
        pod: entry.key,
        group: entry.group ?? group.name ?? '',
        state: `${group.provisioningState ?? '?'}/${group.instanceView?.state ?? '-'}`,
        containers,
      });
    }
    await aciEvents(entry, newEvents(groupEvents(group), entry.events));
    await write(entry, (pod) => podStatusOf(group, pod, { now: now(), ...(cfg.nodeIP ? { hostIP: cfg.nodeIP } : {}) }));
  }

  /** The pod is being deleted: delete its group (ACI has no graceful stop), then the pod object. */
  async function terminate(entry: PodEntry): Promise<void> {
    if (entry.state === 'deleting') return;
    const pod = entry.pod;
    const name = entry.group ?? groupOf(pod);
    entry.state = 'deleting';
    if (name !== undefined && !cfg.dryRun) {
      out.emit({
        event: 'deleting',
        pod: entry.key,
        group: name,
        ...(pod.metadata?.deletionGracePeriodSeconds !== undefined
          ? { gracePeriodSeconds: pod.metadata.deletionGracePeriodSeconds }
          : {}),
      });
      try {
        await (
          await aci.delete(cfg.resourceGroup, name, pollMs)
        ).done;
      } catch (error) {
        entry.state = 'retry';
        throw error;
      }
      state.groups.delete(name);
      state.stats.deleted++;
      out.emit({ event: 'deleted', pod: entry.key, group: name });
    }
    if (!cfg.dryRun) await kube.deletePod(pod.metadata!.namespace ?? 'default', pod.metadata!.name!, pod.metadata?.uid);
    state.pods.delete(entry.key);
  }

  /** Deletes a group whose pod is gone (an orphan), or any of the node's groups when the provider drains. */
  async function deleteOrphan(name: string, pod: string, drain = false): Promise<void> {
    if (cfg.dryRun) return;
    await (
      await aci.delete(cfg.resourceGroup, name, pollMs)
    ).done;
    state.groups.delete(name);
    state.stats.deleted++;
    out.emit(drain ? { event: 'deleted', pod, group: name } : { event: 'orphan-deleted', group: name, pod });
  }

  const entryOf = (pod: V1Pod): PodEntry => {
    const key = keyOfPod(pod);
    let entry = state.pods.get(key);
    if (entry === undefined || entry.pod.metadata?.uid !== pod.metadata?.uid) {
      entry = { key, pod, state: 'new', events: new Map(), chain: Promise.resolve() };
      state.pods.set(key, entry);
      out.emit({ event: 'pod-seen', pod: key, ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}) });
      const found = groupOf(pod);
      if (found !== undefined) {
        Object.assign(entry, { group: found, state: 'running' });
        out.emit({ event: 'adopted', pod: key, group: found });
      }
    } else entry.pod = pod;
    return entry;
  };

  return Object.assign(hooks, {
    state,
    /** Informer upsert: new pods are created, pods with a deletionTimestamp terminated. */
    upsert(pod: V1Pod): void {
      const entry = entryOf(pod);
      if (pod.metadata?.deletionTimestamp) void enqueue(entry, out, () => terminate(entry));
      else if (entry.state === 'new') {
        entry.state = 'creating';
        void enqueue(entry, out, () => create(entry));
      }
    },
    /** Informer delete: the pod object is gone; its group goes too. */
    remove(pod: V1Pod): void {
      const entry = state.pods.get(keyOfPod(pod));
      if (entry === undefined || entry.pod.metadata?.uid !== pod.metadata?.uid) return;
      state.pods.delete(entry.key);
      const name = entry.group ?? groupOf(pod);
      if (name !== undefined && entry.state !== 'deleting')
        void enqueue(entry, out, () => deleteOrphan(name, entry.key));
    },
    /** Groups of this node whose pod does not exist (or is another pod of the same name): deleted. */
    async reconcileOrphans(): Promise<void> {
      const jobs: Promise<void>[] = [];
      for (const [name, g] of state.groups) {
        const ref = podOfTags(g.tags);
        if (ref === undefined || g.tags?.[TAGS.node] !== cfg.nodeName) continue;
        const entry = state.pods.get(podKey(ref));
        if (entry === undefined || (ref.uid && entry.pod.metadata?.uid !== ref.uid))
          jobs.push(
            deleteOrphan(name, podKey(ref)).catch((e: unknown) =>
              out.emit({ event: 'trouble', message: `deleting orphan ${name}: ${(e as Error).message}` }),
            ),
          );
      }
      await Promise.all(jobs);
    },
    /** Pods whose last try failed transiently (or waited for a ConfigMap/Secret) try again. */
    retry(): void {
      for (const entry of state.pods.values()) {
        if (entry.state !== 'retry' && entry.state !== 'waiting') continue;
        if (entry.pod.metadata?.deletionTimestamp)
          void enqueue(entry, out, () => terminate(Object.assign(entry, { state: 'running' as const })));
        else void enqueue(entry, out, () => create(Object.assign(entry, { state: 'creating' as const })));
      }
    },
    /** A read of the group; one that shows it provisioned also ends a create whose LRO has not answered yet. */
    applyGroup: (entry: PodEntry, group: ContainerGroup) =>
      enqueue(entry, out, () => {
        if (group.provisioningState === 'Succeeded') created(entry, group);
        return applyGroup(entry, group);
      }),
    /** The group vanished from ACI while the pod ran: the pod fails, as a node that lost its pod would say. */
    lost: (entry: PodEntry) =>
      enqueue(entry, out, async () => {
        entry.state = 'failed';
        await write(entry, (pod) => ({
          ...rejectedStatus(pod, `Container group ${entry.group} no longer exists in ACI.`, now()),
          phase: 'Failed',
          reason: 'ContainerGroupGone',
        }));
      }),
    deleteGroup: deleteOrphan,
  });
}

/** The controller type. */
export type Controller = ReturnType<typeof createController>;
