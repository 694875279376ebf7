// enable's preflight: the cloud, region and network checks of the registry, over one facts context. Two round trips
// on the critical path: the cluster with the provider, then its VNet alongside its region's ACI rows.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { runChecks } from '../checks/engine.js';
import { createFactsContext } from '../checks/facts.js';
import type { CheckResult } from '../checks/model.js';
import { checksWhere } from '../checks/registry.js';
import type { Deps } from '../deps.js';
import { addonState } from '../network/addon.js';
import { DEFAULT_SUBNET_NAME } from '../network/input.js';
import { networkLoaders, readCluster, vnetRef, type ReadFacts } from '../network-features/read-facts.js';
import { readAciProvider, regionLoaders } from '../region/check-region.js';

/** Checks that passed or failed before anything was written, with the facts they were run on. */
export interface Preflight {
  read: ReadFacts;
  cluster: ManagedCluster;
  /** The ACI subnet: the one asked for, else the one the add-on uses, else the default name. */
  subnetName: string;
  checks: CheckResult[];
  failed: CheckResult[];
}

/** Reads the cluster and its network, then runs cloud, region and network checks in parallel. */
export async function preflight(
  input: { cluster: string; resourceGroup: string; subnetName?: string; cidr?: string; prefixLength?: number },
  deps: Pick<Deps, 'azure' | 'reporter'>,
): Promise<Preflight> {
  const azure = await deps.azure();
  const [cluster, provider] = await Promise.all([
    deps.reporter.step(`Reading cluster ${input.cluster}`, () => readCluster(deps, input.cluster, input.resourceGroup)),
    readAciProvider(deps),
  ]);
  const subnetName = input.subnetName ?? addonState(cluster).subnetName ?? DEFAULT_SUBNET_NAME;
  const location = cluster.location;
  const ctx = createFactsContext(
    {
      ...regionLoaders(azure, location),
      ...networkLoaders(
        {
          cluster: input.cluster,
          resourceGroup: input.resourceGroup,
          subnetName,
          known: cluster,
          ...(input.cidr ? { cidr: input.cidr } : {}),
          ...(input.prefixLength !== undefined ? { prefixLength: input.prefixLength } : {}),
        },
        deps,
      ),
    },
    {
      cloud: azure.cloud,
      aciProvider: provider,
      subscriptionId: azure.subscriptionId,
      region: location,
      podSize: undefined,
    },
  );
  const [cloud, region, network] = await Promise.all([
    runChecks(checksWhere({ area: 'cloud' }), ctx),
    runChecks(checksWhere({ area: 'region' }), ctx, { target: location }),
    runChecks(checksWhere({ area: 'network' }), ctx),
  ]);
  // Network facts that could not be read at all (a connection lost after the retries) stop enable, as before.
  const facts = await ctx.get('network');
  const vnet = vnetRef(facts);
  const checks = [...cloud, ...region, ...network];
  return {
    read: { facts, ...(vnet ? { vnet } : {}) },
    cluster,
    subnetName,
    checks,
    failed: checks.filter((c) => c.status === 'fail' || c.status === 'error'),
  };
}
