// From `provider run`'s options to a ProviderConfig and its ports: the cluster (or a kubeconfig), where container
// groups go (the node resource group and region by default), the subnet (the add-on's by default), the throttle.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { parentResourceId, parseResourceId } from '../network/ids.js';
import { containerGroupsPort } from '../azure/container-groups.js';
import { armCall } from '../azure/arm-errors.js';
import { createThrottle } from '../azure/throttle.js';
import { addonState } from '../network/addon.js';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { connectToCluster, loadKubeconfig } from '../kube/connect.js';
import { providerKube } from '../kube/provider-objects.js';
import { readCluster } from '../network-features/read-facts.js';
import type { ProviderConfig, ProviderPorts } from './config.js';
import { ADDON_NODE } from './node.js';

/** Options of `provider run`. */
export interface ProviderRunOptions {
  cluster?: string;
  resourceGroup?: string;
  kubeconfig?: string;
  context?: string;
  aciResourceGroup?: string;
  region?: string;
  subnet?: string;
  nodeName?: string;
  syncIntervalMs: number;
  refreshMs: number;
  dryRun: boolean;
  once: boolean;
  keep: boolean;
  armRate: number;
  armConcurrency: number;
}

const ACI = 'microsoft.containerinstance/containergroups';

/** The default node name: never the add-on's, so the two never fight. */
function defaultNodeName(env: Readonly<Record<string, string | undefined>>): string {
  let user = env.USER ?? env.USERNAME ?? '';
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'user';
    }
  }
  return `vnodes-debug-${
    user
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'user'
  }`;
}

/** Resolves everything a run needs; bad combinations are usage errors (exit 2). */
export async function setupProvider(
  options: ProviderRunOptions,
  deps: Pick<Deps, 'azure' | 'env' | 'version' | 'reporter'>,
): Promise<{ cfg: ProviderConfig; ports: ProviderPorts }> {
  const nodeName = options.nodeName ?? defaultNodeName(deps.env);
  if (nodeName === ADDON_NODE)
    throw new UsageError(
      `--node-name ${ADDON_NODE} is the add-on's node.`,
      'Pick another name (default vnodes-debug-<user>), so the two providers never fight over pods.',
    );
  if (!options.cluster && (!options.aciResourceGroup || !options.region))
    throw new UsageError(
      'Without --cluster, vnodes does not know where container groups go.',
      'Pass --cluster C -g RG, or --aci-resource-group RG and --region R with --kubeconfig/--context.',
    );
  const azure = await deps.azure();
  let resourceGroup = options.aciResourceGroup;
  let region = options.region;
  let subnetId = options.subnet && parseResourceId(options.subnet) ? options.subnet : undefined;
  let kubeConfig;
  if (options.cluster) {
    const cluster = await readCluster(deps, options.cluster, options.resourceGroup!);
    resourceGroup ??= cluster.nodeResourceGroup;
    region ??= cluster.location;
    const subnetName =
      options.subnet && !subnetId ? options.subnet : subnetId ? undefined : addonState(cluster).subnetName;
    const poolSubnet = cluster.agentPoolProfiles?.find((p) => p.vnetSubnetID)?.vnetSubnetID;
    if (subnetName && poolSubnet) subnetId = `${parentResourceId(poolSubnet)}/subnets/${subnetName}`;
    else if (subnetName && !subnetId)
      throw new UsageError(
        `--subnet ${subnetName}: cluster ${options.cluster} has no custom VNet to find it in.`,
        'Pass the subnet resource id instead.',
      );
    const access = await connectToCluster({
      ...options,
      env: deps.env,
      azure,
      resourceGroup: options.resourceGroup!,
      clusterName: options.cluster,
      cluster,
    });
    kubeConfig = access.config;
  } else {
    if (options.subnet && !subnetId)
      throw new UsageError(
        `--subnet ${options.subnet}: without --cluster, give the subnet's resource id.`,
        'Pass /subscriptions/…/subnets/NAME.',
      );
    kubeConfig = await loadKubeconfig({ ...options, env: deps.env });
  }
  if (!resourceGroup || !region)
    throw new UsageError(
      'The cluster reports no node resource group or location.',
      'Pass --aci-resource-group and --region.',
    );
  const throttle = createThrottle({
    ratePerSecond: options.armRate,
    burst: Math.max(10, options.armRate * 2),
    concurrency: options.armConcurrency,
  });
  const aci = await containerGroupsPort(azure, throttle);
  const kube = await providerKube(
    kubeConfig,
    deps.reporter.debugEnabled ? (line) => deps.reporter.debug(line) : undefined,
  );
  const subnet = subnetId;
  const ports: ProviderPorts = {
    aci,
    kube,
    throttle,
    ...(subnet
      ? {
          subnetHealth: async () => {
            const id = parseResourceId(subnet);
            const vnet = parseResourceId(parentResourceId(subnet) ?? '');
            const net = await azure.network(id?.subscriptionId);
            const s = await armCall(`reading subnet ${subnet}`, () =>
              net.subnets.get(vnet!.resourceGroup!, vnet!.name!, id!.name!),
            );
            const delegated = (s.delegations ?? []).some((d) => d.serviceName?.toLowerCase() === ACI);
            if (s.routeTable?.id) return { ok: false, message: `it references route table ${s.routeTable.id}` };
            return delegated
              ? { ok: true }
              : {
                  ok: false,
                  message:
                    'it is not delegated to Microsoft.ContainerInstance/containerGroups (vnodes subnet create does that)',
                };
          },
        }
      : {}),
  };
  const cfg: ProviderConfig = {
    nodeName,
    resourceGroup,
    region: region.toLowerCase().replace(/\s+/g, ''),
    ...(subnetId ? { subnetId } : {}),
    syncIntervalMs: options.syncIntervalMs,
    refreshMs: options.refreshMs,
    dryRun: options.dryRun,
    drain: options.keep ? 'none' : 'all',
    once: options.once,
    version: deps.version,
    holder: `vnodes@${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
  };
  return { cfg, ports };
}
