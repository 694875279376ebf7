import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { AzureContext, CallCounts } from '../azure/context.js';
import { clusterUserKubeconfig } from '../azure/clusters.js';
import { redactUrl } from '../util/redact.js';
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
  /** The run's call counts; the kube port adds its calls here. */
  calls: CallCounts;
}

/** Where kubeconfig comes from: --kubeconfig, then KUBECONFIG (first existing entry), then ~/.kube/config. */
export interface KubeconfigInput {
  kubeconfig?: string;
  context?: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The kubeconfig files to read: --kubeconfig, else every existing KUBECONFIG entry (merged, as kubectl does), else ~/.kube/config. */
export function kubeconfigPaths(input: KubeconfigInput): string[] {
  if (input.kubeconfig) {
    if (!existsSync(input.kubeconfig)) {
      throw new UsageError(
        `--kubeconfig "${input.kubeconfig}" does not exist.`,
        'Pass the path of a kubeconfig file, or omit it to let vnodes ask Azure for credentials.',
      );
    }
    return [input.kubeconfig];
  }
  const fromEnv = (input.env.KUBECONFIG ?? '').split(delimiter).filter((p) => p && existsSync(p));
  if (fromEnv.length) return fromEnv;
  const home = join(input.env.HOME || homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

/** Loads and merges kubeconfig files; a file that does not parse is the user's to fix (exit 2), not a crash. */
export function loadKubeconfigs(k8s: typeof import('@kubernetes/client-node'), paths: string[]): KubeConfig {
  const config = new k8s.KubeConfig();
  for (const path of paths) {
    try {
      const one = new k8s.KubeConfig();
      one.loadFromFile(path);
      if (paths.length === 1) return one;
      config.mergeConfig(one);
      if (!config.getCurrentContext() && one.getCurrentContext()) config.setCurrentContext(one.getCurrentContext());
    } catch (error) {
      throw new UsageError(
        `Kubeconfig ${path} cannot be read: ${(error as Error).message.split('\n')[0]}`,
        'Fix the file, point --kubeconfig elsewhere, or unset KUBECONFIG.',
        'VNODES_BAD_KUBECONFIG',
      );
    }
  }
  return config;
}

/** Host names under which AKS serves this cluster's API server. */
function clusterHosts(cluster: ManagedCluster): string[] {
  return [cluster.fqdn, cluster.privateFqdn, cluster.azurePortalFqdn]
    .filter((h): h is string => Boolean(h))
    .map((h) => h.toLowerCase());
}

/**
 * The kubeconfig files and --context vnodes will use, read and checked with no network call, so that a missing or
 * garbage file or an unknown context is reported before anything is written (exit 2). Undefined: no kubeconfig, so
 * credentials will come from Azure.
 */
export async function resolveKubeconfig(
  input: KubeconfigInput,
): Promise<{ config: KubeConfig; paths: string[] } | undefined> {
  const paths = kubeconfigPaths(input);
  if (input.context && paths.length === 0) {
    throw new UsageError(
      `--context ${input.context} was given but there is no kubeconfig to find it in.`,
      'Pass --kubeconfig FILE, set KUBECONFIG, or omit --context to let vnodes ask Azure for credentials.',
    );
  }
  if (paths.length === 0) return undefined;
  const config = loadKubeconfigs(await import('@kubernetes/client-node'), paths);
  if (input.context && !config.getContextObject(input.context)) {
    throw new UsageError(
      `--context "${input.context}" is not in ${paths.join(', ')}.`,
      `Pick one of: ${
        config
          .getContexts()
          .map((c) => c.name)
          .join(', ') || '(none: the file has no contexts)'
      }.`,
      'VNODES_UNKNOWN_CONTEXT',
    );
  }
  return { config, paths };
}

/**
 * A client for the cluster: the user's kubeconfig context when it points at this cluster's API server (so their own
 * identity and kubelogin set-up are used), else user credentials fetched through ARM, as `az aks get-credentials`
 * does. The config is never written to disk.
 */
export async function connectToCluster(
  input: KubeconfigInput & {
    azure: AzureContext;
    resourceGroup: string;
    clusterName: string;
    /** Or how to read it: only a kubeconfig to match needs it, so without one the credentials need not wait for it. */
    cluster: ManagedCluster | (() => Promise<ManagedCluster>);
  },
): Promise<KubeAccess> {
  const loaded = await resolveKubeconfig(input);
  if (loaded) {
    const k8s = await import('@kubernetes/client-node');
    const { config } = loaded;
    const hosts = clusterHosts(typeof input.cluster === 'function' ? await input.cluster() : input.cluster);
    // The context asked for; else the current one if it points at this cluster; else any context that does.
    const serverHost = (name: string) => {
      const cluster = config.getContextObject(name)?.cluster;
      const server = cluster ? config.getCluster(cluster)?.server : undefined;
      return server ? safeHost(server) : undefined;
    };
    let context: string | undefined = input.context;
    if (!context) {
      const current = config.getCurrentContext();
      const matches = (name: string) => hosts.includes(serverHost(name) ?? '');
      context = current && matches(current) ? current : config.getContexts().find((c) => matches(c.name))?.name;
    }
    if (context) {
      config.setCurrentContext(context);
      const server = config.getCurrentCluster()?.server ?? '';
      const core = coreClient(k8s, config, input.azure);
      return { source: 'kubeconfig', server, context, config, core, calls: input.azure.calls };
    }
  }
  // The request goes out first; the client library (a large one) loads while it is in flight.
  const [value, k8s] = await Promise.all([
    clusterUserKubeconfig(input.azure, input.resourceGroup, input.clusterName),
    import('@kubernetes/client-node'),
  ]);
  if (!value) {
    throw new VnodesError(`Azure returned no kubeconfig for cluster ${input.clusterName}.`, {
      code: 'VNODES_NO_KUBECONFIG',
      remediation: `Run az aks get-credentials -g ${input.resourceGroup} -n ${input.clusterName} and pass --context.`,
    });
  }
  const config = new k8s.KubeConfig();
  config.loadFromString(value);
  const server = config.getCurrentCluster()?.server ?? '';
  return {
    source: 'listClusterUserCredential',
    server,
    context: config.getCurrentContext(),
    config,
    core: coreClient(k8s, config, input.azure),
    calls: input.azure.calls,
  };
}

/**
 * The CoreV1Api for the config's current context, as `makeApiClient` builds it, with one --debug line per HTTP call:
 * method, URL (user-info redacted), status and time. Headers are never logged, so the bearer token or client
 * certificate the kubeconfig adds cannot reach the output.
 */
function coreClient(
  k8s: typeof import('@kubernetes/client-node'),
  config: KubeConfig,
  azure: Pick<AzureContext, 'debug' | 'clientOptions'>,
): CoreV1Api {
  const server = config.getCurrentCluster()?.server;
  if (!server) return config.makeApiClient(k8s.CoreV1Api); // throws its own "No active cluster!"
  const fetch = new k8s.IsomorphicFetchHttpLibrary();
  const httpApi = k8s.wrapHttpLibrary({
    async send(request) {
      const t0 = performance.now();
      const line = `kube ${request.getHttpMethod()} ${redactUrl(request.getUrl())}`;
      try {
        const response = await fetch.send(request).toPromise();
        azure.debug(`${line} -> ${response.httpStatusCode} in ${Math.round(performance.now() - t0)} ms`);
        return response;
      } catch (error) {
        azure.debug(`${line} -> ${(error as Error).message} after ${Math.round(performance.now() - t0)} ms`);
        throw error;
      }
    },
  });
  const configuration = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(server, {}),
    authMethods: { default: config },
    httpApi,
    middleware: [k8s.setHeaderMiddleware('User-Agent', azure.clientOptions.userAgentOptions.userAgentPrefix)],
  });
  return new k8s.CoreV1Api(configuration);
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The user's kubeconfig (--kubeconfig, KUBECONFIG, ~/.kube/config) at --context or its current context, without Azure. */
export async function loadKubeconfig(input: KubeconfigInput): Promise<KubeConfig> {
  const k8s = await import('@kubernetes/client-node');
  const paths = kubeconfigPaths(input);
  if (paths.length === 0)
    throw new UsageError('No kubeconfig found.', 'Pass --kubeconfig FILE, set KUBECONFIG, or give --cluster and -g.');
  const config = loadKubeconfigs(k8s, paths);
  if (input.context) {
    if (!config.getContextObject(input.context))
      throw new UsageError(
        `Context "${input.context}" is not in ${paths.join(', ')}.`,
        'Pick a context kubectl config get-contexts lists.',
      );
    config.setCurrentContext(input.context);
  }
  return config;
}
