// Egress from the ACI subnet (catalog VN-EGR-001, VN-NSG-001). ACI's docs make a NAT gateway the only supported
// outbound path for container groups in a VNet, and the connector refuses route tables, so the cluster's own
// firewall/UDR path never applies to virtual-node pods.
import type { SecurityRule } from '@azure/arm-network';
import { poolSubnets, type NetworkFacts } from '../../network/facts.js';
import { parseResourceId, sameResourceId } from '../../network/ids.js';
import type { AnyCheck } from '../engine.js';
import { ACI_VNET_DOC, ev, outcome, subnetCheck, subnetUpdate, VIRTUAL_NODES_DOC } from './common.js';

// A NAT gateway already serving the node subnet is the natural one to attach to the ACI subnet too.
function nodeNatGateway(facts: NetworkFacts): string | undefined {
  const nodeSubnet = facts.nodeSubnetId ?? poolSubnets(facts.cluster).find((p) => p.role === 'nodes')?.id;
  return facts.vnet?.subnets?.find((s) => sameResourceId(s.id, nodeSubnet))?.natGateway?.id;
}

const egress = subnetCheck(
  {
    id: 'network.subnet-egress',
    title: 'Outbound access from the ACI subnet',
    tags: ['network', 'subnet', 'egress', 'VN-EGR-001'],
    docs: ACI_VNET_DOC,
  },
  ({ facts, subnet, source, n }) => {
    const nat = subnet.natGateway?.id;
    const outboundType = facts.cluster.networkProfile?.outboundType;
    const evidence = [
      ev('properties.natGateway.id', nat, source),
      ev('properties.defaultOutboundAccess', subnet.defaultOutboundAccess, source),
      ev('properties.networkProfile.outboundType', outboundType, facts.cluster.id),
    ];
    const fix = subnetUpdate(n, `--nat-gateway ${nodeNatGateway(facts) ?? '<nat-gateway-name-or-id>'}`);
    const udr =
      outboundType?.toLowerCase() === 'userdefinedrouting'
        ? ' The cluster egresses through user-defined routes, which do not apply to the ACI subnet ' +
          '(it cannot have a route table).'
        : '';
    if (nat) {
      const summary = `Subnet ${n.subnet} egresses through NAT gateway ${nat.split('/').pop()}.${udr}`;
      return outcome(udr ? 'warn' : 'pass', summary, evidence);
    }
    const why =
      subnet.defaultOutboundAccess === false
        ? 'is private (defaultOutboundAccess false) and has no NAT gateway: container groups have no outbound ' +
          'internet, so images from public registries (MCR, Docker Hub) cannot be pulled.'
        : 'has no NAT gateway; ACI supports only a NAT gateway for outbound traffic from a VNet, and default ' +
          'outbound access is being retired.';
    return outcome('warn', `Subnet ${n.subnet} ${why}${udr}`, evidence, fix);
  },
);

const ports = (r: SecurityRule) =>
  [r.destinationPortRange, ...(r.destinationPortRanges ?? [])].filter(Boolean).join(',');
const describe = (r: SecurityRule) =>
  `${r.name ?? '?'} (${r.direction ?? '?'} deny, priority ${r.priority ?? '?'}, ports ${ports(r) || '*'})`;

const nsg = subnetCheck(
  {
    id: 'network.subnet-nsg',
    title: 'Network security group on the ACI subnet',
    tags: ['network', 'subnet', 'egress', 'VN-NSG-001', 'VN-EGR-001'],
    docs: VIRTUAL_NODES_DOC,
  },
  ({ subnet, source, n }) => {
    const group = subnet.networkSecurityGroup;
    const evidence = [ev('properties.networkSecurityGroup.id', group?.id, source)];
    if (!group?.id) return outcome('pass', `Subnet ${n.subnet} has no network security group.`, evidence);
    // A subnet GET returns only the NSG's id; rules are listed only when the caller fetched the NSG itself.
    const denies = (group.securityRules ?? []).filter((r) => r.access?.toLowerCase() === 'deny');
    if (denies.length) evidence.push(ev('properties.securityRules[access=Deny]', denies.map(describe), group.id));
    const name = group.id.split('/').pop();
    const nsgGroup = parseResourceId(group.id)?.resourceGroup ?? '<nsg-resource-group>';
    const rules = denies.length ? ` with ${denies.length} deny rule(s)` : '';
    return outcome(
      'warn',
      `Subnet ${n.subnet} has NSG ${name}${rules}. Virtual nodes do not support restricting internet egress with ` +
        'NSGs; ACI pods need outbound TCP 443 (API server, registries), DNS (53) to CoreDNS, and traffic to and ' +
        'from the node subnet.',
      evidence,
      `Check the rules: az network nsg rule list --nsg-name ${name} -g ${nsgGroup} -o table`,
    );
  },
);

/** Checks on how traffic leaves the ACI subnet. */
export const egressChecks: AnyCheck[] = [egress, nsg];
