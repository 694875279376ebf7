// What the provider tracks per pod, and the status write every step shares: only when something changed, with the
// live resourceVersion, re-reading the pod and recomputing on a 409 (research/azure-aci.md §4.6, §8.1).
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { KubeHttpError, type ProviderKube } from '../kube/provider-objects.js';
import type { ProviderOutput } from './events.js';
import { podKey } from './names.js';
import { sameStatus } from './status.js';

/** Where a pod stands with the provider. */
export type PodPhase =
  'new' | 'creating' | 'running' | 'rejected' | 'waiting' | 'retry' | 'failed' | 'dry-run' | 'deleting';

/** One pod bound to the node. */
export interface PodEntry {
  key: string;
  pod: V1Pod;
  state: PodPhase;
  /** Its container group, once named (or found by tags). */
  group?: string;
  /** ACI events already reported (key → count). */
  events: Map<string, number>;
  /** Last ACI state line reported. */
  aci?: string;
  /** Serialises the work on this pod. */
  chain: Promise<void>;
  /** When its create was accepted (ms): a create whose LRO stays silent is read like any other after a while. */
  since?: number;
  /** The last translated/waiting line said, so a retry that changes nothing says nothing. */
  said?: string;
}

/** Emits an event unless it repeats the pod's last one of its kind (retries of a waiting pod stay quiet). */
export function sayOnce(entry: PodEntry, out: ProviderOutput, event: Parameters<ProviderOutput['emit']>[0]): void {
  const key = JSON.stringify(event);
  if (entry.said?.includes(key)) return;
  entry.said = event.event === 'translated' ? key : `${entry.said ?? ''}${key}`;
  out.emit(event);
}

export const keyOfPod = (pod: V1Pod): string =>
  podKey({ namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '' });

/** Runs `step` after the pod's earlier steps; failures are reported, never thrown. */
export function enqueue(entry: PodEntry, out: ProviderOutput, step: () => Promise<void>): Promise<void> {
  entry.chain = entry.chain
    .then(step)
    .catch((error: unknown) => out.emit({ event: 'trouble', pod: entry.key, message: (error as Error).message }));
  return entry.chain;
}

/** Counters the sync reports. */
export interface WriteStats {
  statusWrites: number;
  conflicts: number;
}

/** Writes `compute(pod)` as the pod's status when it differs; true when written. */
export async function writeStatus(
  entry: PodEntry,
  compute: (pod: V1Pod) => V1PodStatus,
  kube: ProviderKube,
  out: ProviderOutput,
  stats: WriteStats,
): Promise<boolean> {
  let pod = entry.pod;
  for (let attempt = 0, conflicts = 0; attempt < 5; attempt++) {
    const status = compute(pod);
    if (sameStatus(pod.status, status)) return false;
    try {
      entry.pod = await kube.replacePodStatus(pod, status);
      stats.statusWrites++;
      out.emit({
        event: 'status-written',
        pod: entry.key,
        phase: status.phase ?? 'Unknown',
        ...(status.reason
          ? { reason: status.reason }
          : status.containerStatuses?.[0]?.state?.waiting?.reason
            ? { reason: status.containerStatuses[0].state.waiting.reason }
            : {}),
        conflicts,
      });
      return true;
    } catch (error) {
      if (!(error instanceof KubeHttpError)) throw error;
      if (error.code === 404) return false;
      if (error.code !== 409) throw error;
      conflicts++;
      stats.conflicts++;
      const fresh = await kube.getPod(pod.metadata!.namespace!, pod.metadata!.name!);
      if (fresh === undefined || fresh.metadata?.uid !== pod.metadata?.uid) return false;
      pod = entry.pod = fresh;
    }
  }
  return false;
}
