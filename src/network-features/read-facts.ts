// The I/O behind the network checks and `subnet create`, as fact loaders: the cluster, then its VNet (from the node
// subnet's id, or the AKS-managed one in the node resource group), then, when asked, the ACI subnet's NSG. Each read
// depends on the one before, so this is a chain of two or three ARM calls; everything else is derived from the answers.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { NetworkSecurityGroup, VirtualNetwork } from '@azure/arm-network';
import { isNotFound } from '../azure/arm-errors.js';
import { getCluster } from '../azure/clusters.js';
import { getNsg, getVnet, listVnets } from '../azure/networks.js';
import { createFactsContext, type FactLoaders } from '../checks/facts.js';
import type { Deps } from '../deps.js';
import { AzureError } from '../errors.js';
import { addonState } from '../network/addon.js';
import { clusterVnetId, findSubnet, type NetworkFacts } from '../network/facts.js';
import { parseResourceId } from '../network/ids.js';

/** What to read: the cluster, and the ACI subnet and range the caller is asking about. */
export interface ReadFactsRequest {
  cluster: string;
  resourceGroup: string;
  /** The ACI subnet; default the add-on's configured SubnetName, if any. */
  subnetName?: string;
  cidr?: string;
  prefixLength?: number;
  /** Also read the ACI subnet's network security group, so the NSG check can name its deny rules. */
  nsgRules?: boolean;
  /** The cluster, when the caller has just read it (so it can read other things alongside). */
  known?: ManagedCluster;
}

/** The facts, and where the VNet lives (for writes). */
export interface ReadFacts {
  facts: NetworkFacts;
  /** Subscription, resource group and name of the cluster VNet, when found. */
  vnet?: { subscriptionId: string; resourceGroup: string; name: string };
}

/** Reads a cluster, mapping ARM's not-found answers to a fix line that names the flag to check. */
export async function readCluster(deps: Pick<Deps, 'azure'>, name: string, group: string): Promise<ManagedCluster> {
  return getCluster(await deps.azure(), group, name);
}

/** The AKS-managed VNet: the `aks-vnet-*` in the node resource group (or its only VNet); none when the group is gone. */
async function readManagedVnet(deps: Pick<Deps, 'azure'>, group: string): Promise<VirtualNetwork | undefined> {
  try {
    const vnets = await listVnets(await deps.azure(), group);
    return (
      vnets.find((v) => v.name?.toLowerCase().startsWith('aks-vnet-')) ?? (vnets.length === 1 ? vnets[0] : undefined)
    );
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function readVnet(deps: Pick<Deps, 'azure'>, id: string): Promise<VirtualNetwork | undefined> {
  const where = resourceAt(id);
  return where && absentIfNotFound(getVnet(await deps.azure(), where));
}

// The subnet GET in a VNet carries only the NSG's id; its rules need one more read.
async function readNsg(deps: Pick<Deps, 'azure'>, id: string): Promise<NetworkSecurityGroup | undefined> {
  const where = resourceAt(id);
  return where && absentIfNotFound(getNsg(await deps.azure(), where));
}

/** Subscription, group and name of a resource id, or undefined when the id names no resource. */
function resourceAt(id: string): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const p = parseResourceId(id);
  return p?.resourceGroup && p.name
    ? { subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, name: p.name }
    : undefined;
}

/** A read whose 404 means "not there": undefined, where any other failure is still thrown. */
async function absentIfNotFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The loaders of the cluster, its VNet, the ACI subnet, the subnet's NSG and the `network` facts the network checks
 * read, each a step for people. Reads that do not depend on each other start together; the VNet waits for the
 * cluster (it names the VNet), the NSG for the subnet.
 */
export function networkLoaders(request: ReadFactsRequest, deps: Pick<Deps, 'azure' | 'reporter'>): FactLoaders {
  const { reporter } = deps;
  const subnetNameOf = (cluster: ManagedCluster) => request.subnetName ?? addonState(cluster).subnetName;
  return {
    cluster: async () =>
      request.known ??
      reporter.step(`Reading cluster ${request.cluster}`, () =>
        readCluster(deps, request.cluster, request.resourceGroup),
      ),
    vnet: async (get) => {
      const cluster = await get('cluster');
      const customId = clusterVnetId(cluster);
      const nodeGroup = cluster.nodeResourceGroup;
      if (customId)
        return reporter.step(`Reading VNet ${parseResourceId(customId)?.name ?? customId}`, () =>
          readVnet(deps, customId),
        );
      if (nodeGroup)
        return reporter.step(`Finding the AKS-managed VNet in ${nodeGroup}`, () => readManagedVnet(deps, nodeGroup));
      return undefined;
    },
    subnet: async (get) => {
      const [cluster, vnet] = await Promise.all([get('cluster'), get('vnet')]);
      const subnetName = subnetNameOf(cluster);
      return findSubnet({ cluster, vnet, vnetManaged: false, ...(subnetName ? { subnetName } : {}) });
    },
    nsg: async (get) => {
      const id = (await get('subnet'))?.networkSecurityGroup?.id;
      return id ? reporter.step('Reading the subnet NSG', () => readNsg(deps, id)) : undefined;
    },
    network: async (get) => {
      const cluster = await get('cluster');
      const customId = clusterVnetId(cluster);
      // A VNet Azure refuses to show (403, 5xx after retries) is a check that could not run, not a missing VNet.
      let vnetError: string | undefined;
      const vnet = await get('vnet').catch((error: unknown) => {
        if (!(error instanceof AzureError) || error.arm.statusCode === undefined) throw error;
        vnetError = error.message;
        return undefined;
      });
      const vnetId = customId ?? vnet?.id;
      const subnetName = subnetNameOf(cluster);
      const facts: NetworkFacts = {
        cluster,
        ...(vnet ? { vnet } : {}),
        ...(vnetId ? { vnetId } : {}),
        ...(vnetError ? { vnetError } : {}),
        vnetManaged: customId === undefined,
        ...(subnetName ? { subnetName } : {}),
        ...(request.cidr !== undefined ? { cidr: request.cidr } : {}),
        ...(request.prefixLength !== undefined ? { prefixLength: request.prefixLength } : {}),
      };
      const nodeSubnetId =
        cluster.agentPoolProfiles?.[0]?.vnetSubnetID ?? vnet?.subnets?.find((s) => s.name === 'aks-subnet')?.id;
      if (nodeSubnetId) facts.nodeSubnetId = nodeSubnetId;
      const subnet = vnet ? await get('subnet') : undefined;
      if (subnet) {
        // Best effort: a missing or unreadable NSG leaves the reference as it was, and the NSG check still warns on it.
        const nsg = request.nsgRules ? await get('nsg').catch(() => undefined) : undefined;
        facts.subnet = nsg ? { ...subnet, networkSecurityGroup: nsg } : subnet;
      }
      return facts;
    },
  };
}

/** Where the cluster VNet lives (for writes), from the facts. */
export function vnetRef(facts: NetworkFacts): ReadFacts['vnet'] {
  const where = parseResourceId(facts.vnetId ?? '');
  return where?.resourceGroup && where.name
    ? { subscriptionId: where.subscriptionId, resourceGroup: where.resourceGroup, name: where.name }
    : undefined;
}

/** Reads what the network checks need about a cluster, showing each read as a step. */
export async function readNetworkFacts(
  request: ReadFactsRequest,
  deps: Pick<Deps, 'azure' | 'reporter'>,
): Promise<ReadFacts> {
  const facts = await createFactsContext(networkLoaders(request, deps)).get('network');
  const vnet = vnetRef(facts);
  return { facts, ...(vnet ? { vnet } : {}) };
}
