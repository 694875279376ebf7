// The managed cluster: GET (with a not-found fix line naming the flag to check), the conditional PUT, and the user
// credentials `az aks get-credentials` fetches.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { AzureError } from '../errors.js';
import { armCall } from './arm-errors.js';
import type { AzureContext } from './context.js';
import { recordRequest, type Recorded } from './record.js';

/** Reads a cluster, mapping ARM's not-found answers to a fix line that names the flag to check. */
export async function getCluster(azure: AzureContext, group: string, name: string): Promise<ManagedCluster> {
  const aks = await azure.containerService();
  try {
    return await armCall(`reading cluster ${name} in resource group ${group}`, () =>
      aks.managedClusters.get(group, name),
    );
  } catch (error) {
    if (!(error instanceof AzureError) || error.arm.statusCode !== 404) throw error;
    const remediation =
      error.arm.armCode === 'ResourceGroupNotFound'
        ? `Check the resource group (-g ${group}) and the subscription: az group list -o table`
        : `Check the cluster name (--cluster ${name}): az aks list -g ${group} -o table`;
    throw new AzureError(error.message, error.arm, { code: 'VNODES_CLUSTER_NOT_FOUND', remediation, cause: error });
  }
}

/** How a write is sent: recorded and stopped (`dryRun`), or sent with progress from its long-running operation. */
export interface WriteOptions {
  dryRun: boolean;
  signal?: AbortSignal;
  /** Extra request headers (preconditions). */
  headers?: Record<string, string>;
  onProgress?: (status: string) => void;
}

/** PUTs the whole cluster with If-Match on the ETag read, and waits for the operation. */
export async function putCluster(
  azure: AzureContext,
  group: string,
  name: string,
  body: ManagedCluster,
  options: WriteOptions & { ifMatch?: string },
): Promise<Recorded<ManagedCluster>> {
  const aks = await azure.containerService();
  const send = (headers: Record<string, string>) => {
    const poller = aks.managedClusters.createOrUpdate(group, name, body, {
      ...(options.ifMatch ? { ifMatch: options.ifMatch } : {}),
      abortSignal: options.signal,
      requestOptions: { headers: { ...options.headers, ...headers } },
    });
    if (options.onProgress) poller.onProgress((s) => options.onProgress!(s.status));
    return poller;
  };
  if (options.dryRun) return recordRequest(aks.pipeline, true, send);
  return armCall(`updating cluster ${name}`, () => recordRequest(aks.pipeline, false, send));
}

/** The kubeconfig ARM hands out for the signed-in user (never written to disk). */
export async function clusterUserKubeconfig(
  azure: AzureContext,
  group: string,
  name: string,
): Promise<string | undefined> {
  const aks = await azure.containerService();
  const creds = await armCall(`fetching user credentials of cluster ${name}`, () =>
    aks.managedClusters.listClusterUserCredentials(group, name),
  );
  const value = creds.kubeconfigs?.[0]?.value;
  return value ? Buffer.from(value).toString('utf8') : undefined;
}
