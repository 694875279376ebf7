// VN-PEER-001: the cluster VNet's peerings. A peering only carries traffic when it is Connected and in sync
// (learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering: Initiated until the remote side peers
// back, Disconnected once the remote side's peering is deleted, which then needs this side deleted and re-created;
// peeringSyncLevel is LocalNotInSync/RemoteNotInSync/LocalAndRemoteNotInSync after an address space change until
// `az network vnet peering sync`). A remote space overlapping the ACI subnet breaks routing to it (pain.md P17,
// VN-SUB-006). Even a healthy peering is a caveat for v1: the virtual nodes docs list VNet peering among the
// virtual network limitations, so a pass says to test reachability.
import type { VirtualNetworkPeering } from '@azure/arm-network';
import { toIpv4Network, overlaps } from '../../network/cidr.js';
import { findSubnet, subnetPrefixes, type NetworkFacts } from '../../network/facts.js';
import type { AnyCheck } from '../engine.js';
import { ev, names, networkCheck, noVnet, outcome, VIRTUAL_NODES_DOC, type Outcome } from './common.js';

/** What is wrong with one peering, worst first; undefined when it is Connected, in sync and clear of the subnet. */
interface PeeringProblem {
  status: 'fail' | 'warn';
  says: string;
  fix: string;
}

const remoteName = (p: VirtualNetworkPeering) => p.remoteVirtualNetwork?.id?.split('/').pop() ?? p.name ?? 'peering';

/** The remote prefixes that overlap one of the ACI subnet's. */
function overlapping(p: VirtualNetworkPeering, aci: string[]): string[] {
  const mine = aci.flatMap((c) => toIpv4Network(c) ?? []);
  return (p.remoteAddressSpace?.addressPrefixes ?? []).filter((r) => {
    const net = toIpv4Network(r);
    return net !== undefined && mine.some((m) => overlaps(m, net));
  });
}

function problemOf(p: VirtualNetworkPeering, aci: string[], facts: NetworkFacts): PeeringProblem | undefined {
  const n = names(facts);
  const name = p.name ?? '<peering>';
  const remote = remoteName(p);
  const clash = overlapping(p, aci);
  if (clash.length)
    return {
      status: 'fail',
      says: `peering ${name} to ${remote} reaches ${clash.join(', ')}, which overlaps ACI subnet ${n.subnet} (${aci.join(', ')}): traffic from container groups to that range cannot be routed`,
      fix: `Give ACI subnet ${n.subnet} a range outside ${clash.join(', ')} (vnodes subnet create --cluster ${n.cluster} -g ${n.resourceGroup} --name <new-subnet>), or re-address ${remote}.`,
    };
  const recreate = `az network vnet peering delete -g ${n.vnetResourceGroup} --vnet-name ${n.vnet} -n ${name}, then create it again on both VNets (az network vnet peering create … --remote-vnet <id>)`;
  if (p.peeringState === 'Disconnected')
    return {
      status: 'warn',
      says: `peering ${name} to ${remote} is Disconnected (the remote side's peering was deleted): no traffic flows to ${remote}`,
      fix: recreate,
    };
  if (p.peeringState === 'Initiated')
    return {
      status: 'warn',
      says: `peering ${name} to ${remote} is only Initiated: ${remote} has no peering back, so no traffic flows`,
      fix: `Create the peering from ${remote} back to ${n.vnet} (az network vnet peering create -g <remote-group> --vnet-name ${remote} -n <name> --remote-vnet ${facts.vnet?.id ?? '<vnet-id>'}).`,
    };
  if (p.peeringSyncLevel && p.peeringSyncLevel !== 'FullyInSync')
    return {
      status: 'warn',
      says: `peering ${name} to ${remote} is ${p.peeringSyncLevel}: an address space changed and the peering does not route the new ranges yet`,
      fix: `az network vnet peering sync -g ${n.vnetResourceGroup} --vnet-name ${n.vnet} -n ${name} (and on ${remote}'s side when it is the one out of sync)`,
    };
  return undefined;
}

/** network.vnet-peering (VN-PEER-001). */
export const vnetPeering: AnyCheck = networkCheck({
  id: 'network.vnet-peering',
  title: 'VNet peering',
  tags: ['network', 'vnet', 'VN-PEER-001'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    if (!facts.vnet) return noVnet();
    const source = facts.vnet.id;
    const peerings = facts.vnet.virtualNetworkPeerings ?? [];
    if (!peerings.length) {
      return outcome('pass', 'The VNet has no peerings.', [ev('properties.virtualNetworkPeerings', [], source)]);
    }
    const subnet = findSubnet(facts);
    const aci = subnet ? subnetPrefixes(subnet) : [];
    const at = (i: number, field: string) => `properties.virtualNetworkPeerings[${i}].${field}`;
    const evidence = peerings.flatMap((p, i) => [
      ev(at(i, 'remoteVirtualNetwork.id'), p.remoteVirtualNetwork?.id, source),
      ev(at(i, 'peeringState'), p.peeringState, source),
      ev(at(i, 'peeringSyncLevel'), p.peeringSyncLevel, source),
      ev(at(i, 'remoteAddressSpace.addressPrefixes'), p.remoteAddressSpace?.addressPrefixes ?? [], source),
    ]);
    if (subnet) evidence.push(ev('aciSubnet.addressPrefixes', aci, subnet.id));
    const problems = peerings.flatMap((p) => problemOf(p, aci, facts) ?? []);
    const worst = problems.some((p) => p.status === 'fail') ? 'fail' : problems.length ? 'warn' : undefined;
    if (worst === undefined) {
      return outcome(
        'pass',
        `The VNet has ${peerings.length} peering(s), Connected and in sync, none overlapping the ACI subnet` +
          `${subnet ? '' : ' (not created yet)'}. Virtual nodes list VNet peering as a limitation and ACI does not ` +
          'support global peering: test that virtual-node pods reach the peered networks.',
        evidence,
      );
    }
    const shown = [...problems].sort((a, b) => (a.status === b.status ? 0 : a.status === 'fail' ? -1 : 1));
    return outcome(
      worst,
      `The VNet has ${peerings.length} peering(s): ${shown.map((p) => p.says).join('; ')}.`,
      evidence,
      shown.map((p) => p.fix).join(' Then: '),
    );
  },
});
