// The cluster VNet: found, same subscription, room for IPv4, and the VNet settings ACI does not follow (custom
// DNS, peering). Catalog VN-SUB-001, VN-SUB-006, VN-DNS-002, VN-PEER-001 (peering.ts).
import type { NetworkFacts } from '../../network/facts.js';
import { vnetAddressSpace } from '../../network/facts.js';
import { parseResourceId } from '../../network/ids.js';
import { toIpv4Network } from '../../network/cidr.js';
import type { AnyCheck } from '../engine.js';
import { vnetPeering } from './peering.js';
import {
  ACI_VNET_DOC,
  ev,
  names,
  noVnet,
  outcome,
  vnetAddPrefixes,
  VIRTUAL_NODES_DOC,
  type Outcome,
  networkCheck,
} from './common.js';

function notFound(facts: NetworkFacts): string {
  if (facts.vnetId) return `VNet ${facts.vnetId} was not found.`;
  const group = facts.cluster.nodeResourceGroup ?? 'the node resource group';
  return `Could not find the cluster VNet: no agent pool sets vnetSubnetID and no aks-vnet-* is in ${group}.`;
}

const vnet = networkCheck({
  id: 'network.vnet',
  title: 'Cluster VNet found',
  tags: ['network', 'vnet', 'VN-SUB-001', 'VN-SUB-006'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    const n = names(facts);
    const evidence = [
      ev(
        'properties.agentPoolProfiles[0].vnetSubnetID',
        facts.cluster.agentPoolProfiles?.[0]?.vnetSubnetID,
        facts.cluster.id,
      ),
      ev('vnetId', facts.vnetId ?? facts.vnet?.id),
    ];
    // runChecks reports a thrown error as `error`: the check could not run.
    if (facts.vnetError) throw new Error(facts.vnetError);
    if (!facts.vnet) {
      const fix =
        'Check the subscription (--subscription) and that you can read the VNet (Reader on its resource group).';
      return outcome('fail', notFound(facts), evidence, fix);
    }
    const space = vnetAddressSpace(facts.vnet);
    evidence.push(ev('properties.addressSpace.addressPrefixes', space, facts.vnet.id));
    const vnetSub = parseResourceId(facts.vnet.id ?? facts.vnetId ?? '')?.subscriptionId;
    const clusterSub = parseResourceId(facts.cluster.id ?? '')?.subscriptionId;
    if (vnetSub && clusterSub && vnetSub.toLowerCase() !== clusterSub.toLowerCase()) {
      return outcome(
        'fail',
        `VNet ${n.vnet} is in subscription ${vnetSub}, the cluster in ${clusterSub}: ACI container groups ` +
          '(created in the node resource group) can only join a subnet of their own subscription.',
        evidence,
        'Use virtual nodes on a cluster whose VNet is in the same subscription.',
      );
    }
    if (!space.some((p) => toIpv4Network(p))) {
      const summary = `VNet ${n.vnet} has no IPv4 address prefix for an ACI subnet.`;
      return outcome('fail', summary, evidence, vnetAddPrefixes(n, space, ['<ipv4-cidr>']));
    }
    const kind = facts.vnetManaged ? 'AKS-managed VNet' : 'VNet';
    return outcome(
      'pass',
      `${kind} ${n.vnet} (${space.join(', ')}) in resource group ${n.vnetResourceGroup}.`,
      evidence,
    );
  },
});

const vnetDns = networkCheck({
  id: 'network.vnet-dns',
  title: 'VNet custom DNS servers',
  tags: ['network', 'vnet', 'dns', 'VN-DNS-002'],
  docs: ACI_VNET_DOC,
  run(facts): Outcome {
    if (!facts.vnet) return noVnet();
    const servers = facts.vnet.dhcpOptions?.dnsServers ?? [];
    const evidence = [ev('properties.dhcpOptions.dnsServers', servers, facts.vnet.id)];
    if (!servers.length) return outcome('pass', 'The VNet uses Azure DNS.', evidence);
    const list = servers.join(', ');
    return outcome(
      'warn',
      `The VNet sets DNS servers ${list}, but container groups do not inherit VNet DNS: pods with dnsPolicy ` +
        'Default on the virtual node will use Azure DNS instead.',
      evidence,
      `Set spec.dnsConfig.nameservers (${list}) on virtual-node pods that need your DNS, or keep dnsPolicy ClusterFirst.`,
    );
  },
});

/** Checks on the cluster VNet itself. */
export const vnetChecks: AnyCheck[] = [vnet, vnetDns, vnetPeering];
