import type { ManagedCluster } from '@azure/arm-containerservice';
import type { AzureContext } from '../azure/context.js';
import type { KubeAccess } from '../kube/connect.js';

/** Which cluster, and the user's kubeconfig choices (--kubeconfig, --context). */
export interface KubeTarget {
  cluster: string;
  resourceGroup: string;
  kubeconfig?: string;
  context?: string;
}

/** Connects to the cluster's API server; @kubernetes/client-node loads only here, when a command gets this far. */
export async function openCluster(
  target: KubeTarget,
  azure: AzureContext,
  cluster: ManagedCluster,
  env: Readonly<Record<string, string | undefined>>,
): Promise<KubeAccess> {
  const { connectToCluster } = await import('../kube/connect.js');
  return connectToCluster({
    azure,
    resourceGroup: target.resourceGroup,
    clusterName: target.cluster,
    cluster,
    env,
    ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
    ...(target.context ? { context: target.context } : {}),
  });
}
