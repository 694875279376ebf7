import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { AzureContext } from '../azure/context.js';
import { armCall } from '../azure/arm-errors.js';
import { UsageError, VnodesError } from '../errors.js';

/** How vnodes reached the cluster's API server, for status output and --debug. */
export type KubeSource = 'kubeconfig' | 'listClusterUserCredential';

/** A Kubernetes client for one cluster. */
export interface KubeAccess {
  source: KubeSource;
  server: string;
  context?: string;
  config: KubeConfig;
  core: CoreV1Api;
}

/** Where kubeconfig comes from: --kubeconfig, then KUBECONFIG (first existing entry), then ~/.kube/config. */
export interface KubeconfigInput {
  kubeconfig?: string;
  context?: string;
  env: Readonly<Record<string, string | undefined>>;
}

function kubeconfigPath(input: KubeconfigInput): string | undefined {
  if (input.kubeconfig) {
    if (!existsSync(input.kubeconfig)) {
      throw new UsageError(`--kubeconfig "${input.kubeconfig}" does not exist.`, 'Pass the path of a kubeconfig file, or omit it to let vnodes ask Azure for credentials.');
    }
    return input.kubeconfig;
  }
  const fromEnv = input.env.KUBECONFIG?.split(delimiter).find((p) => p && existsSync(p));
  if (fromEnv) return fromEnv;
  const home = join(input.env.HOME || homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}

/** Host names under which AKS serves this cluster's API server. */
function clusterHosts(cluster: ManagedCluster): string[] {
  return [cluster.fqdn, cluster.privateFqdn, cluster.azurePortalFqdn].filter((h): h is string => Boolean(h)).map((h) => h.toLowerCase());
}

/**
 * A client for the cluster: the user's kubeconfig context when it points at this cluster's API server (so their own
 * identity and kubelogin set-up are used), else user credentials fetched through ARM, as `az aks get-credentials`
 * does. The config is never written to disk.
 */
export async function connectToCluster(input: KubeconfigInput & {
  azure: AzureContext;
  resourceGroup: string;
  clusterName: string;
  cluster: ManagedCluster;
}): Promise<KubeAccess> {
  const k8s = await import('@kubernetes/client-node');
  const hosts = clusterHosts(input.cluster);
  const path = kubeconfigPath(input);
  if (path) {
    const config = new k8s.KubeConfig();
    config.loadFromFile(path);
    if (input.context) {
      if (!config.getContextObject(input.context)) {
        throw new UsageError(`Context "${input.context}" is not in ${path}.`, `Pick one of: ${config.getContexts().map((c) => c.name).join(', ') || '(none)'}.`);
      }
      config.setCurrentContext(input.context);
    }
    const server = config.getCurrentCluster()?.server;
    const host = server ? safeHost(server) : undefined;
    if (server && (input.context || (host && hosts.includes(host)))) {
      return { source: 'kubeconfig', server, context: config.getCurrentContext(), config, core: config.makeApiClient(k8s.CoreV1Api) };
    }
  }
  const aks = await input.azure.containerService();
  const creds = await armCall(`fetching user credentials of cluster ${input.clusterName}`, () =>
    aks.managedClusters.listClusterUserCredentials(input.resourceGroup, input.clusterName),
  );
  const value = creds.kubeconfigs?.[0]?.value;
  if (!value) {
    throw new VnodesError(`Azure returned no kubeconfig for cluster ${input.clusterName}.`, {
      code: 'VNODES_NO_KUBECONFIG',
      remediation: `Run az aks get-credentials -g ${input.resourceGroup} -n ${input.clusterName} and pass --context.`,
    });
  }
  const config = new k8s.KubeConfig();
  config.loadFromString(Buffer.from(value).toString('utf8'));
  const server = config.getCurrentCluster()?.server ?? '';
  return { source: 'listClusterUserCredential', server, context: config.getCurrentContext(), config, core: config.makeApiClient(k8s.CoreV1Api) };
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
