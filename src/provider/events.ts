// The provider's event stream: one object per step, with a stable `event` field. `provider run` renders it as lines
// on a terminal or NDJSON with -o json; the emulator's in-process connector drops it or logs it.
import type { Finding } from './translate-model.js';

/** Every step the provider reports. Fields are only ever added. */
export type ProviderEvent =
  | {
      event: 'started';
      node: string;
      resourceGroup: string;
      region: string;
      subnet?: string;
      syncIntervalMs: number;
      dryRun: boolean;
    }
  | { event: 'node-registered'; node: string; capacity: Record<string, string> }
  | { event: 'node-condition'; node: string; ready: boolean; reason: string; message: string }
  | { event: 'pod-seen'; pod: string; uid?: string }
  | { event: 'translated'; pod: string; group: string; warnings: Finding[] }
  | { event: 'rejected'; pod: string; rejections: Finding[] }
  | { event: 'waiting'; pod: string; reason: string; message: string }
  | { event: 'would-create'; pod: string; group: string; body: unknown }
  | { event: 'put'; pod: string; group: string }
  | { event: 'created'; pod: string; group: string; provisioningState?: string }
  | { event: 'create-failed'; pod: string; group: string; code: string; message: string; retrying: boolean }
  | { event: 'adopted'; pod: string; group: string }
  | { event: 'aci-state'; pod: string; group: string; state: string; containers: string[] }
  | { event: 'status-written'; pod: string; phase: string; reason?: string; conflicts: number }
  | { event: 'deleting'; pod: string; group: string; gracePeriodSeconds?: number }
  | { event: 'deleted'; pod: string; group: string }
  | { event: 'orphan-deleted'; group: string; pod: string }
  | {
      event: 'sync';
      tick: number;
      pods: number;
      listed: number;
      reads: number;
      reasons: Record<string, number>;
      statusWrites: number;
      armRequests: number;
      throttled: number;
    }
  | { event: 'trouble'; message: string; pod?: string }
  | { event: 'draining'; groups: number; keep: boolean }
  | { event: 'stopped'; kept: boolean; deleted: number };

/** Where events go. */
export interface ProviderOutput {
  emit(event: ProviderEvent): void;
}

/** One readable line for a terminal; '' for a sync pass that read and wrote nothing (JSON still gets it). */
export function eventLine(e: ProviderEvent): string {
  switch (e.event) {
    case 'started':
      return `provider ${e.node}: container groups in ${e.resourceGroup} (${e.region})${e.subnet ? `, subnet ${e.subnet.split('/').pop()}` : ''}, sync every ${e.syncIntervalMs / 1000}s${e.dryRun ? ', DRY RUN' : ''}`;
    case 'node-registered':
      return `node ${e.node} registered: cpu ${e.capacity.cpu}, memory ${e.capacity.memory}, pods ${e.capacity.pods}`;
    case 'node-condition':
      return `node ${e.node} ${e.ready ? 'Ready' : `NotReady (${e.reason}): ${e.message}`}`;
    case 'pod-seen':
      return `${e.pod}: seen`;
    case 'translated':
      return `${e.pod}: translated → ${e.group}${e.warnings.length ? ` (${e.warnings.length} warning(s): ${e.warnings.map((w) => `${w.rule} ${w.path}`).join('; ')})` : ''}`;
    case 'rejected':
      return `${e.pod}: REJECTED ${e.rejections.map((r) => `${r.rule} ${r.path}: ${r.message}`).join('; ')}`;
    case 'waiting':
      return `${e.pod}: waiting (${e.reason}) ${e.message}`;
    case 'would-create':
      return `${e.pod}: would PUT container group ${e.group} (dry run)`;
    case 'put':
      return `${e.pod}: PUT container group ${e.group}`;
    case 'created':
      return `${e.pod}: ${e.group} provisioned (${e.provisioningState ?? 'accepted'})`;
    case 'create-failed':
      return `${e.pod}: ${e.group} failed: ${e.code}: ${e.message}${e.retrying ? ' (will retry)' : ''}`;
    case 'adopted':
      return `${e.pod}: found its container group ${e.group}`;
    case 'aci-state':
      return `${e.pod}: ACI ${e.state}${e.containers.length ? ` [${e.containers.join(', ')}]` : ''}`;
    case 'status-written':
      return `${e.pod}: pod status ${e.phase}${e.reason ? ` (${e.reason})` : ''}${e.conflicts ? `, after ${e.conflicts} conflict(s)` : ''}`;
    case 'deleting':
      return `${e.pod}: deleting ${e.group}`;
    case 'deleted':
      return `${e.pod}: ${e.group} deleted`;
    case 'orphan-deleted':
      return `orphan ${e.group} (pod ${e.pod} is gone): deleted`;
    case 'sync':
      if (e.reads === 0 && e.statusWrites === 0 && e.throttled === 0) return '';
      return `sync #${e.tick}: ${e.pods} pod(s), listed ${e.listed}, read ${e.reads}${
        Object.keys(e.reasons).length
          ? ` (${Object.entries(e.reasons)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')})`
          : ''
      }, ${e.statusWrites} status write(s), ${e.armRequests} ARM request(s)${e.throttled ? `, ${e.throttled} throttled` : ''}`;
    case 'trouble':
      return `${e.pod ? `${e.pod}: ` : ''}! ${e.message}`;
    case 'draining':
      return e.keep
        ? `stopping: keeping ${e.groups} container group(s) and the node (--keep)`
        : `stopping: deleting ${e.groups} container group(s) and the node`;
    case 'stopped':
      return e.kept ? 'stopped (kept everything)' : `stopped (deleted ${e.deleted} container group(s) and the node)`;
  }
}
