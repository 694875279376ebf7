import type { CallCounts } from '../azure/context.js';
import { countByStatus, runChecks } from '../checks/engine.js';
import { createFactsContext } from '../checks/facts.js';
import { worstStatus, type CheckResult, type CheckStatus } from '../checks/model.js';
import { checksWhere } from '../checks/registry.js';
import type { Deps } from '../deps.js';
import { vnetAddressSpace } from '../network/facts.js';
import { readNetworkFacts } from './read-facts.js';

/** Options of `vnodes check-network`, as plain data (CIDR and subnet name already validated). */
export interface CheckNetworkOptions {
  cluster: string;
  resourceGroup: string;
  subnetName?: string;
  cidr?: string;
}

/** The result of `vnodes check-network`. */
export interface CheckNetworkResult {
  cluster: string;
  resourceGroup: string;
  /** The cluster VNet, when found. */
  vnet?: { id: string; managed: boolean; addressSpace: string[] };
  /** The ACI subnet looked at: --subnet-name, else the add-on's SubnetName. */
  subnetName?: string;
  cidr?: string;
  checks: CheckResult[];
  /** How many checks ended in each status. */
  counts: Record<CheckStatus, number>;
  /** The worst status. */
  status: CheckStatus;
  /** No check failed and none could not run (warnings allowed). */
  passed: boolean;
  /** The HTTP calls the run made. */
  calls: CallCounts;
}

/** Reads the cluster and its VNet (and the ACI subnet's NSG), then runs every network check over what it found. */
export async function checkNetwork(
  options: CheckNetworkOptions,
  deps: Pick<Deps, 'azure' | 'reporter'>,
): Promise<CheckNetworkResult> {
  const { facts } = await readNetworkFacts({ ...options, nsgRules: true }, deps);
  const checks = await runChecks(checksWhere({ area: 'network' }), createFactsContext({}, { network: facts }));
  const counts = countByStatus(checks);
  return {
    cluster: options.cluster,
    resourceGroup: options.resourceGroup,
    ...(facts.vnet?.id
      ? { vnet: { id: facts.vnet.id, managed: facts.vnetManaged, addressSpace: vnetAddressSpace(facts.vnet) } }
      : {}),
    ...(facts.subnetName ? { subnetName: facts.subnetName } : {}),
    ...(options.cidr ? { cidr: options.cidr } : {}),
    checks,
    counts,
    status: worstStatus(checks),
    passed: counts.fail === 0 && counts.error === 0,
    calls: { ...(await deps.azure()).calls },
  };
}
