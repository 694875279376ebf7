// enable's preflight: the region and network checks, from one read of the cluster and its VNet.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { networkChecks } from '../checks/network/index.js';
import { runChecks, type CheckResult } from '../checks/model.js';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { DEFAULT_SUBNET_NAME } from '../network/input.js';
import { addonState } from './addon.js';
import { readCluster, readNetworkFacts, type ReadFacts } from '../network/read-facts.js';
import { checkRegion, readAciProvider } from '../region/check-region.js';
import type { Provider } from '@azure/arm-resources';
import type { Cloud } from '../azure/cloud.js';

/** Checks that passed or failed before anything was written, with the facts they were run on. */
export interface Preflight {
  read: ReadFacts;
  cluster: ManagedCluster;
  /** The ACI subnet: the one asked for, else the one the add-on uses, else the default name. */
  subnetName: string;
  checks: CheckResult[];
  failed: CheckResult[];
}

/** Reads the cluster and its network, then runs region and network checks in parallel. */
export async function preflight(
  input: { cluster: string; resourceGroup: string; subnetName?: string; cidr?: string; prefixLength?: number },
  deps: Pick<Deps, 'azure' | 'reporter'>,
): Promise<Preflight> {
  // Two round trips on the critical path: the cluster with the provider, then its VNet with its region's ACI rows.
  const [cluster, provider] = await Promise.all([
    deps.reporter.step(`Reading cluster ${input.cluster}`, () => readCluster(deps, input.cluster, input.resourceGroup)),
    readAciProvider(deps),
  ]);
  const subnetName = input.subnetName ?? addonState(cluster).subnetName ?? DEFAULT_SUBNET_NAME;
  const [read, region] = await Promise.all([
    readNetworkFacts(
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
    regionChecks(cluster.location, provider, deps),
  ]);
  const network = await runChecks(networkChecks, read.facts);
  const checks = [...cloudChecks((await deps.azure()).cloud), ...region, ...network];
  return {
    read,
    cluster,
    subnetName,
    checks,
    failed: checks.filter((c) => c.status === 'fail' || c.status === 'error'),
  };
}

async function regionChecks(
  location: string,
  provider: Provider,
  deps: Pick<Deps, 'azure' | 'reporter'>,
): Promise<CheckResult[]> {
  try {
    const result = await checkRegion({ locations: [location], all: false, concurrency: 1 }, deps, provider);
    return [...result.checks, ...result.regions.flatMap((r) => r.checks)];
  } catch (error) {
    // The cluster's own region is not a typo: if ACI does not list it, that is a finding, not bad input.
    if (!(error instanceof UsageError)) throw error;
    return [
      {
        id: 'region.aci-available',
        title: 'ACI offers container groups in the cluster region',
        status: 'fail',
        summary: `Azure Container Instances is not offered in ${location}, the cluster's region.`,
        evidence: [{ field: 'properties.location', value: location }],
        remediation: 'Virtual nodes need ACI in the cluster region: vnodes check-region --all lists where it is.',
        target: location,
      },
    ];
  }
}

/** AKS does not offer the virtual-node add-on in every cloud; finding that out at the PUT would be late. */
function cloudChecks(cloud: Cloud): CheckResult[] {
  const unsupported = cloud.virtualNodesUnsupported === true;
  return [
    {
      id: 'cloud.virtual-nodes',
      title: 'The cloud offers virtual nodes',
      status: unsupported ? 'fail' : 'pass',
      summary: unsupported
        ? `AKS virtual nodes (the ACI connector) are not offered in ${cloud.name}.`
        : `Virtual nodes are offered in ${cloud.name}.`,
      evidence: [{ field: '--cloud', value: cloud.name }],
      ...(unsupported
        ? {
            remediation:
              'Run ACI workloads directly (az container create), or use a cluster in a cloud that offers virtual nodes.',
          }
        : {}),
    },
  ];
}
