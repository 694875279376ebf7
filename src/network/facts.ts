// The data the network checks and the subnet planner read, as the Azure SDK returns it. The caller fetches; this
// module only derives (no I/O), so every rule can be tested from a JSON fixture.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { Subnet, VirtualNetwork } from '@azure/arm-network';
import { parentResourceId, sameResourceId } from './ids.js';
import type { TakenRange } from './plan.js';

/** What the network checks read: the cluster, its VNet and the ACI subnet, fetched beforehand by the caller. */
export interface NetworkFacts {
  cluster: ManagedCluster;
  /** The cluster VNet, when it was found. */
  vnet?: VirtualNetwork;
  vnetId?: string;
  /** Why the VNet could not be read (403, server error), when it could not: the VNet checks are `error`, not `fail`. */
  vnetError?: string;
  /** True for the AKS-managed `aks-vnet-*` in the node resource group (no agent pool names a subnet). */
  vnetManaged: boolean;
  /** The ACI subnet's name (`--subnet-name`, or the add-on's `SubnetName`). */
  subnetName?: string;
  /** The ACI subnet, when it exists. */
  subnet?: Subnet;
  /** A CIDR the user asked for (`--cidr`), not yet validated. */
  cidr?: string;
  /** The block size to plan when no CIDR is given (`--prefix-length`); defaults to DEFAULT_SUBNET_PREFIX_LENGTH. */
  prefixLength?: number;
  /** The first agent pool's subnet, which AKS uses as "the" node subnet. */
  nodeSubnetId?: string;
}

/** A subnet a node pool uses for its nodes or pods, with the pool name for messages. */
export interface PoolSubnet {
  pool: string;
  role: 'nodes' | 'pods';
  id: string;
}

/** The one delegation ACI container groups need. */
export const ACI_DELEGATION = 'Microsoft.ContainerInstance/containerGroups';

/** The cluster VNet id from the agent pools' `vnetSubnetID`; undefined for the AKS-managed VNet. */
export function clusterVnetId(cluster: ManagedCluster): string | undefined {
  const subnetId = cluster.agentPoolProfiles?.find((p) => p.vnetSubnetID)?.vnetSubnetID;
  return subnetId ? parentResourceId(subnetId) : undefined;
}

/** Every subnet the node pools use, for nodes (`vnetSubnetID`) and for pods (`podSubnetID`). */
export function poolSubnets(cluster: ManagedCluster): PoolSubnet[] {
  return (cluster.agentPoolProfiles ?? []).flatMap((p) => [
    ...(p.vnetSubnetID ? [{ pool: p.name, role: 'nodes' as const, id: p.vnetSubnetID }] : []),
    ...(p.podSubnetID ? [{ pool: p.name, role: 'pods' as const, id: p.podSubnetID }] : []),
  ]);
}

/** A subnet's prefixes: `addressPrefixes` when set, else the single `addressPrefix`. */
export function subnetPrefixes(subnet: Subnet): string[] {
  if (subnet.addressPrefixes?.length) return subnet.addressPrefixes;
  return subnet.addressPrefix ? [subnet.addressPrefix] : [];
}

/** The ACI subnet: the one fetched, else the VNet's subnet of that name (subnet names are case-insensitive). */
export function findSubnet(facts: NetworkFacts): Subnet | undefined {
  if (facts.subnet) return facts.subnet;
  const name = facts.subnetName?.toLowerCase();
  return name === undefined ? undefined : facts.vnet?.subnets?.find((s) => s.name?.toLowerCase() === name);
}

/** The VNet's IPv4 and IPv6 prefixes, in order (the planner skips the IPv6 ones). */
export function vnetAddressSpace(vnet: VirtualNetwork | undefined): string[] {
  return vnet?.addressSpace?.addressPrefixes ?? [];
}

/**
 * Every range the ACI subnet must not overlap: the VNet's other subnets, the service CIDR(s) and DNS service IP
 * (routed inside the cluster, so an overlap breaks ClusterIP traffic from ACI pods), pod CIDR(s), and the address
 * space of peered VNets. The ACI subnet itself is left out, so an existing subnet does not collide with itself.
 */
export function takenRanges(facts: NetworkFacts): TakenRange[] {
  const aci = facts.subnetName?.toLowerCase();
  const own = facts.subnet?.id;
  const subnets = (facts.vnet?.subnets ?? []).filter(
    (s) => !(aci !== undefined && s.name?.toLowerCase() === aci) && !sameResourceId(s.id, own),
  );
  const net = facts.cluster.networkProfile ?? {};
  const list = (many: string[] | undefined, one: string | undefined) => (many?.length ? many : one ? [one] : []);
  return [
    ...subnets.flatMap((s) => subnetPrefixes(s).map((cidr) => ({ name: s.name ?? 'a subnet', cidr }))),
    ...list(net.serviceCidrs, net.serviceCidr).map((cidr) => ({ name: 'the service CIDR', cidr })),
    ...(net.dnsServiceIP ? [{ name: 'the DNS service IP', cidr: net.dnsServiceIP }] : []),
    ...list(net.podCidrs, net.podCidr).map((cidr) => ({ name: 'the pod CIDR', cidr })),
    ...(facts.vnet?.virtualNetworkPeerings ?? []).flatMap((p) => {
      const name = `peered VNet ${peerName(p.remoteVirtualNetwork?.id, p.name)}`;
      return (p.remoteAddressSpace?.addressPrefixes ?? []).map((cidr) => ({ name, cidr }));
    }),
  ];
}

function peerName(remoteId: string | undefined, fallback: string | undefined): string {
  return remoteId?.split('/').pop() ?? fallback ?? 'peering';
}
