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
  cluster: ManagedCluster | (() => Promise<ManagedCluster>),
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

/**
 * Reads and checks the kubeconfig files and --context without any network call, so a missing or garbage file or an
 * unknown context stops a command before its first call to Azure (exit 2), not after its writes.
 */
export async function checkKubeTarget(
  target: Pick<KubeTarget, 'kubeconfig' | 'context'>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const { resolveKubeconfig } = await import('../kube/connect.js');
  await resolveKubeconfig({
    env,
    ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
    ...(target.context ? { context: target.context } : {}),
  });
}
