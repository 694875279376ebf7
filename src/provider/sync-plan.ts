// Which container groups to GET in one sync pass. ACI's list carries no instanceView, so azure-aci GETs every group
// twice per 5 s pass (~24 reads/pod/min, research/azure-aci.md §4.5). vnodes lists once per interval and GETs only
// groups that are new, whose list entry changed, or whose pod is in transition; steady groups are refreshed once
// per refresh period, spread evenly over the period's ticks by a hash of the name.
import { createHash } from 'node:crypto';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { canonical } from './status.js';

/** What the sync remembers about one group between passes. */
export interface TrackedGroup {
  /** Fingerprint of its last list entry. */
  fingerprint?: string;
  /** The pod is in transition (Pending, starting, terminating, or not yet read): read it every pass. */
  transitional: boolean;
  /** The pod reached Succeeded or Failed: nothing left to read unless the list entry changes. */
  terminal: boolean;
  /** Tick of the last GET (-1: never). */
  lastReadTick: number;
}

/** Sync timing. */
export interface SyncTiming {
  intervalMs: number;
  /** How often a steady group is read anyway (catches container restarts the list cannot show). */
  refreshMs: number;
}

/** Why a group is read this pass. */
export type ReadReason = 'new' | 'changed' | 'transition' | 'refresh';

/** The parts of a list entry that change with the group's life (the list has no instanceView; a GET body gives the same). */
export function fingerprint(entry: ContainerGroup): string {
  return canonical({
    p: entry.provisioningState,
    ip: entry.ipAddress?.ip,
    c: entry.containers.map((c) => [c.name, c.image]),
    t: entry.tags,
  });
}

const slotOf = (name: string, slots: number): number =>
  createHash('sha1').update(name).digest().readUInt32BE(0) % slots;

/** The groups to GET at `tick`, each with its reason; groups missing from `listed` are not read. */
export function planReads(
  listed: ReadonlyMap<string, string>,
  tracked: ReadonlyMap<string, TrackedGroup>,
  tick: number,
  timing: SyncTiming,
): Map<string, ReadReason> {
  const slots = Math.max(1, Math.round(timing.refreshMs / timing.intervalMs));
  const reads = new Map<string, ReadReason>();
  for (const [name, print] of listed) {
    const t = tracked.get(name);
    if (t === undefined || t.lastReadTick < 0) reads.set(name, 'new');
    else if (t.fingerprint !== print) reads.set(name, 'changed');
    else if (t.terminal) continue;
    else if (t.transitional) reads.set(name, 'transition');
    else if ((tick + slotOf(name, slots)) % slots === 0 && tick !== t.lastReadTick) reads.set(name, 'refresh');
  }
  return reads;
}

/** Steady-state ARM reads per pod per minute the plan implies: one GET per refresh, plus the list's pages. */
export function steadyReadsPerPodMinute(pods: number, timing: SyncTiming, pageSize: number): number {
  if (pods === 0) return 0;
  const perMinute = 60_000 / timing.intervalMs;
  return 60_000 / timing.refreshMs + (perMinute * Math.ceil(pods / pageSize)) / pods;
}
