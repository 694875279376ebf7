// Another writer on the cluster. AKS runs one operation at a time: while one runs, the cluster reads as Updating (with
// the new settings already in its body, but not yet its add-on identity) and a PUT is refused with 409
// OperationNotAllowed. Two `enable --yes` at once used to make the second say "AKS reported no identity": it now waits
// for the running operation to end, then decides afresh.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { AzureError, VnodesError } from '../errors.js';
import type { Reporter } from '../deps.js';
import { sleep } from '../util/sleep.js';

/** ARM codes that mean "another operation is running on this resource; retry when it ends". */
const BUSY_CODES = new Set(['operationnotallowed', 'anotheroperationinprogress', 'conflict']);

/** How long vnodes waits for someone else's operation on the cluster before giving up (AKS updates take minutes). */
const BUSY_TIMEOUT_MS = 15 * 60_000;

/** True while an operation runs on the cluster: any provisioningState but the terminal ones. */
export function isBusy(cluster: Pick<ManagedCluster, 'provisioningState'>): boolean {
  const state = cluster.provisioningState?.toLowerCase();
  return state !== undefined && !['succeeded', 'failed', 'canceled'].includes(state);
}

/** True for ARM's 409 that another operation holds the resource. */
export function isBusyError(error: unknown): error is AzureError {
  return error instanceof AzureError && error.arm.statusCode === 409 && BUSY_CODES.has(error.arm.armCode.toLowerCase());
}

/** Polls the cluster until no operation runs on it; returns it as it then is. Ctrl-C ends the wait (exit 130). */
export async function waitWhileBusy(input: {
  cluster: ManagedCluster;
  read: () => Promise<ManagedCluster>;
  name: string;
  group: string;
  reporter: Reporter;
  signal: AbortSignal;
  pollMs: number;
  timeoutMs?: number;
}): Promise<ManagedCluster> {
  let cluster = input.cluster;
  const timeoutMs = input.timeoutMs ?? BUSY_TIMEOUT_MS;
  const t0 = performance.now();
  return input.reporter.step(
    `Waiting for the operation in progress on cluster ${input.name} (${cluster.provisioningState ?? 'Updating'}) to end`,
    async (update) => {
      // A 409 can come before the cluster reads as busy: always look again at least once.
      for (let first = true; first || isBusy(cluster); first = false) {
        if (performance.now() - t0 > timeoutMs) {
          throw new VnodesError(
            `Another operation (${cluster.provisioningState}) is still running on cluster ${input.name} after ${Math.round(timeoutMs / 1000)} s.`,
            {
              code: 'VNODES_CLUSTER_BUSY',
              remediation: `Wait for it to finish (az aks show -g ${input.group} -n ${input.name} --query provisioningState), then re-run.`,
            },
          );
        }
        await sleep(input.pollMs, input.signal);
        cluster = await input.read();
        update(cluster.provisioningState ?? '');
      }
      return cluster;
    },
  );
}
