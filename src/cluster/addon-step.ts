// Turning the add-on on or off: GET the cluster, change only addonProfiles.aciConnectorLinux, PUT it back with
// If-Match so a concurrent change is never overwritten; on 412 read again and retry, a bounded number of times.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { getCluster, putCluster } from '../azure/clusters.js';
import type { AzureContext } from '../azure/context.js';
import type { RecordedRequest } from '../azure/record.js';
import { AzureError, VnodesError } from '../errors.js';
import type { Reporter } from '../deps.js';
import { addonState } from '../network/addon.js';
import { clusterWithAddon } from './addon.js';
import { isBusy, isBusyError, waitWhileBusy } from './busy.js';

/** How many times a PUT that lost an ETag race is re-read and re-sent. */
const ETAG_RETRIES = 3;

/** What the add-on step did. */
export interface AddonStepResult {
  action: 'enabled' | 'disabled' | 'unchanged';
  cluster: ManagedCluster;
  request?: RecordedRequest;
  /** PUTs answered 412 and retried. */
  conflicts: number;
}

/** The add-on already points at another subnet: moving it is a disable and an enable, never a side effect. */
export function otherSubnet(name: string, group: string, current: string | undefined, wanted: string): VnodesError {
  return new VnodesError(`The virtual-node add-on on ${name} already uses subnet ${current}, not ${wanted}.`, {
    code: 'VNODES_ADDON_OTHER_SUBNET',
    remediation: `Keep it (omit --subnet-name, or pass --subnet-name ${current}), or move it: vnodes disable --cluster ${name} -g ${group}, then enable again.`,
  });
}

/**
 * Sets the add-on to the wanted state. `dryRun` records the PUT the SDK would send and sends nothing.
 * `consent` is called once, right before the first write.
 */
export async function setAddon(input: {
  azure: AzureContext;
  group: string;
  name: string;
  want: { enabled: true; subnetName: string } | { enabled: false };
  dryRun: boolean;
  reporter: Reporter;
  consent: () => Promise<void>;
  /** A cluster just read, to save one GET. */
  current?: ManagedCluster;
  signal?: AbortSignal;
  /** How often to look again while another operation runs on the cluster (default 2 s). */
  pollMs?: number;
}): Promise<AddonStepResult> {
  const { azure, group, name, want } = input;
  let cluster = input.current ?? (await getCluster(azure, group, name));
  let conflicts = 0;
  const waitForOthers = (seen: ManagedCluster) =>
    waitWhileBusy({
      cluster: seen,
      read: () => getCluster(azure, group, name),
      name,
      group,
      reporter: input.reporter,
      signal: input.signal ?? new AbortController().signal,
      pollMs: input.pollMs ?? 2000,
    });
  for (;;) {
    // Someone else's operation is running: its outcome decides what is left to do (a dry run only plans).
    if (!input.dryRun && isBusy(cluster)) cluster = await waitForOthers(cluster);
    const state = addonState(cluster);
    // A cluster whose last operation failed holds the wanted config without having applied it: send it again,
    // as `az aks update` does to reconcile. Turning off an add-on that is not on writes only after a failed
    // operation left its profile there (a disable that failed); a cluster that never had the add-on is never touched.
    const failed = cluster.provisioningState?.toLowerCase() === 'failed';
    if (want.enabled && state.enabled) {
      if (state.subnetName?.toLowerCase() !== want.subnetName.toLowerCase())
        throw otherSubnet(name, group, state.subnetName, want.subnetName);
      if (!failed) return { action: 'unchanged', cluster, conflicts };
    }
    if (!want.enabled && !state.enabled && !(failed && state.key)) return { action: 'unchanged', cluster, conflicts };

    const body = clusterWithAddon(cluster, want);
    const put = (dryRun: boolean, onProgress?: (status: string) => void) =>
      putCluster(azure, group, name, body, {
        dryRun,
        ...(cluster.eTag ? { ifMatch: cluster.eTag } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
    if (input.dryRun) {
      const { request } = await put(true);
      return { action: want.enabled ? 'enabled' : 'disabled', cluster, conflicts, ...(request ? { request } : {}) };
    }
    // consentOnce also stops here if the run was interrupted since.
    await input.consent();
    try {
      const label = want.enabled
        ? `Enabling the aciConnectorLinux add-on on ${name}`
        : `Disabling the aciConnectorLinux add-on on ${name}`;
      const { request, result } = await input.reporter.step(label, (update) => put(false, update));
      // The poller's final body is the cluster as AKS left it (with the add-on identity); without one, read it.
      const after = result ?? (await getCluster(azure, group, name));
      return {
        action: want.enabled ? 'enabled' : 'disabled',
        cluster: after,
        conflicts,
        ...(request ? { request } : {}),
      };
    } catch (error) {
      if (isBusyError(error) && conflicts < ETAG_RETRIES) {
        conflicts++;
        input.reporter.warn(`Another operation is running on cluster ${name} (${error.arm.armCode}); waiting for it.`);
        cluster = await waitForOthers(cluster);
        continue;
      }
      if (error instanceof AzureError && error.arm.statusCode === 412 && conflicts < ETAG_RETRIES) {
        conflicts++;
        input.reporter.warn(
          `Cluster ${name} changed while vnodes was updating it (412); reading it again (${conflicts}/${ETAG_RETRIES}).`,
        );
        cluster = await getCluster(azure, group, name);
        continue;
      }
      throw error;
    }
  }
}
