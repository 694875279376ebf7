// `provider logs`: a pod's container logs through ARM (ACI's ListLogs), for pods run by `provider run` and by the
// add-on alike (both tag groups with Namespace and PodName). -f polls and prints only lines not printed before,
// which azure-aci's `kubectl logs -f` never did (research/azure-aci.md §5, issue #147).
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type { ContainerGroupsPort } from '../azure/container-groups.js';
import { VnodesError } from '../errors.js';
import { podOfTags } from './names.js';

/** The pod's group: by tags, else by azure-aci's `<ns>-<pod>` name. */
export async function findPodGroup(
  aci: ContainerGroupsPort,
  resourceGroup: string,
  namespace: string,
  name: string,
): Promise<ContainerGroup> {
  const all = await aci.list(resourceGroup);
  const byTags = all.find((g) => {
    const ref = podOfTags(g.tags);
    return ref?.namespace === namespace && ref.name === name;
  });
  const found = byTags ?? all.find((g) => g.name === `${namespace}-${name}`);
  if (found === undefined)
    throw new VnodesError(`No container group for pod ${namespace}/${name} in ${resourceGroup}.`, {
      code: 'VNODES_POD_GROUP_NOT_FOUND',
      remediation:
        'Check the pod name and namespace (-n), and that it runs on a virtual node (kubectl get pod -o wide).',
    });
  return found;
}

const STAMP = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (.*)$/;

/** A log line split into its ACI timestamp (when asked for with timestamps=true) and text. */
export function splitLine(line: string): { at?: number; text: string } {
  const m = STAMP.exec(line);
  return m ? { at: Date.parse(m[1]!), text: m[2]! } : { text: line };
}

/** What -f remembers between polls. */
export interface FollowState {
  /** Timestamp of the last line printed, and how many lines carried it (lines can share a timestamp). */
  lastAt?: number;
  atLast: number;
  /** Without timestamps: lines printed so far of the current run. */
  printed: number;
}

/**
 * The lines of `content` (fetched with timestamps) not yet printed. A container restart starts a new run whose log
 * begins again: lines older than the last printed are skipped, newer ones printed.
 */
export function newLines(content: string, state: FollowState): string[] {
  const lines = content.split('\n').filter((l) => l !== '');
  if (lines.every((l) => splitLine(l).at === undefined)) {
    // No timestamps to go by: count lines, and start over when the log shrank (a new run).
    const fresh = lines.slice(lines.length < state.printed ? 0 : state.printed);
    state.printed = lines.length;
    return fresh;
  }
  const out: string[] = [];
  let sameAt = 0;
  for (const line of lines) {
    const { at } = splitLine(line);
    if (at === undefined) continue;
    if (state.lastAt !== undefined && at < state.lastAt) continue;
    if (state.lastAt !== undefined && at === state.lastAt) {
      sameAt++;
      if (sameAt <= state.atLast) continue;
    }
    out.push(line);
  }
  for (const line of out) {
    const { at } = splitLine(line);
    if (at === state.lastAt) state.atLast++;
    else {
      state.lastAt = at;
      state.atLast = 1;
    }
  }
  return out;
}

/** Lines printed at or after `sinceMs` (lines without a timestamp are kept). */
export const since = (lines: string[], sinceMs: number | undefined): string[] =>
  sinceMs === undefined ? lines : lines.filter((l) => (splitLine(l).at ?? Infinity) >= sinceMs);
