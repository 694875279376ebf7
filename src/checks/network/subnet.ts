// The ACI subnet as the connector will find it (catalog VN-SUB-001..005). The connector GETs the subnet, refuses a
// route table, refuses a service association link of another service, then adds its delegation: these checks say
// in advance which of those steps would fail.
import type { Subnet } from '@azure/arm-network';
import { addonState } from '../../network/addon.js';
import { ACI_DELEGATION, findSubnet, poolSubnets, subnetPrefixes } from '../../network/facts.js';
import { parseResourceId, sameResourceId } from '../../network/ids.js';
import { toIpv4Network, usableAddresses, usableForPrefixLength } from '../../network/cidr.js';
import { DEFAULT_SUBNET_PREFIX_LENGTH, PREFIX_LENGTH_RANGE } from '../../network/plan.js';
import type { AnyCheck } from '../engine.js';
import {
  ACI_VNET_DOC,
  ev,
  listText,
  names,
  noVnet,
  outcome,
  subnetCheck,
  subnetUpdate,
  VIRTUAL_NODES_DOC,
  networkCheck,
} from './common.js';
import type { Names, Outcome } from './common.js';

// Below the smallest block `subnet create` offers, a virtual node runs out of pod addresses almost at once.
const SMALLEST_SENSIBLE = PREFIX_LENGTH_RANGE.max;
const ADDON_CONFIG = 'properties.addonProfiles.aciConnectorLinux.config';
const newSubnetFix = (n: Names) =>
  `vnodes subnet create --cluster ${n.cluster} -g ${n.resourceGroup} --name <new-subnet>`;

const exists = networkCheck({
  id: 'network.subnet-exists',
  title: 'ACI subnet exists in the cluster VNet',
  tags: ['network', 'subnet', 'VN-SUB-001'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    const n = names(facts);
    if (!facts.subnetName)
      return outcome('skip', 'No ACI subnet named (--subnet-name); `vnodes subnet create` picks one.');
    const evidence = [ev('subnetName', facts.subnetName)];
    if (facts.subnetName.includes('/')) {
      const name = parseResourceId(facts.subnetName)?.name ?? facts.subnetName.split('/').pop();
      const summary = 'The subnet is given as a resource id; the add-on takes a subnet name.';
      return outcome('fail', summary, evidence, `Pass the name only: --subnet-name ${name}`);
    }
    const subnet = findSubnet(facts);
    if (!subnet && !facts.vnet) return noVnet();
    if (subnet) {
      evidence.push(ev('properties.addressPrefixes', subnetPrefixes(subnet), subnet.id));
      return outcome('pass', `Subnet ${n.subnet} exists in VNet ${n.vnet}.`, evidence);
    }
    const addon = addonState(facts.cluster);
    const create = `vnodes subnet create --cluster ${n.cluster} -g ${n.resourceGroup} --name ${n.subnet}`;
    if (addon.enabled && addon.subnetName?.toLowerCase() === facts.subnetName.toLowerCase()) {
      evidence.push(ev(`${ADDON_CONFIG}.SubnetName`, addon.subnetName, facts.cluster.id));
      const summary = `The add-on uses subnet ${n.subnet}, which is not in VNet ${n.vnet}: the connector cannot start.`;
      return outcome('fail', summary, evidence, create);
    }
    return outcome('pass', `Subnet ${n.subnet} does not exist yet; \`${create}\` will create it.`, evidence);
  },
});

const notNodeSubnet = networkCheck({
  id: 'network.subnet-not-node',
  title: 'ACI subnet is not a node, pod or API server subnet',
  tags: ['network', 'subnet', 'VN-SUB-002'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    if (!facts.subnetName) return outcome('skip', 'No ACI subnet named (--subnet-name).');
    const n = names(facts);
    const id = findSubnet(facts)?.id ?? (facts.vnetId ? `${facts.vnetId}/subnets/${facts.subnetName}` : undefined);
    const api = facts.cluster.apiServerAccessProfile?.subnetId;
    const users = [
      ...poolSubnets(facts.cluster).map((p) => ({
        what: `${p.role} of pool ${p.pool}`,
        field: `properties.agentPoolProfiles[${p.pool}].${p.role === 'nodes' ? 'vnetSubnetID' : 'podSubnetID'}`,
        id: p.id,
      })),
      ...(api
        ? [{ what: 'API server (VNet integration)', field: 'properties.apiServerAccessProfile.subnetId', id: api }]
        : []),
    ].filter((u) => sameResourceId(u.id, id));
    if (!users.length) {
      return outcome('pass', `Subnet ${n.subnet} is not used by the cluster's nodes, pods or API server.`, [
        ev('subnetId', id),
      ]);
    }
    return outcome(
      'fail',
      `Subnet ${n.subnet} holds the ${listText(users.map((u) => u.what))}; delegating it to ACI fails with ` +
        'SubnetDelegationsCannotChangeWhenSubnetUsedByResource.',
      users.map((u) => ev(u.field, u.id, facts.cluster.id)),
      `Use a separate subnet: ${newSubnetFix(n)}`,
    );
  },
});

// Container groups show up on the subnet as ACI network profiles or ACI resources; everything else is a tenant.
function foreignUsers(subnet: Subnet): { field: string; ids: string[] }[] {
  const isAci = (id: string | undefined) => {
    const p = parseResourceId(id ?? '');
    const provider = p?.provider?.toLowerCase();
    return provider === 'microsoft.containerinstance' || p?.types[0]?.toLowerCase() === 'networkprofiles';
  };
  const ids = (list: { id?: string }[] | undefined) => (list ?? []).map((x) => x.id ?? '?');
  return [
    { field: 'properties.ipConfigurations', ids: ids(subnet.ipConfigurations).filter((id) => !isAci(id)) },
    { field: 'properties.privateEndpoints', ids: ids(subnet.privateEndpoints) },
    { field: 'properties.applicationGatewayIPConfigurations', ids: ids(subnet.applicationGatewayIPConfigurations) },
    {
      field: 'properties.resourceNavigationLinks',
      ids: (subnet.resourceNavigationLinks ?? []).map((l) => l.link ?? l.id ?? '?'),
    },
    {
      field: 'properties.serviceAssociationLinks',
      ids: (subnet.serviceAssociationLinks ?? [])
        .filter((l) => l.linkedResourceType?.toLowerCase() !== ACI_DELEGATION.toLowerCase())
        .map((l) => `${l.name ?? '?'} (${l.linkedResourceType ?? 'unknown service'})`),
    },
  ].filter((u) => u.ids.length);
}

const dedicated = subnetCheck(
  {
    id: 'network.subnet-dedicated',
    title: 'ACI subnet holds nothing else',
    tags: ['network', 'subnet', 'VN-SUB-002'],
    docs: ACI_VNET_DOC,
  },
  ({ subnet, source, n }) => {
    const users = foreignUsers(subnet);
    if (!users.length) {
      return outcome('pass', `Subnet ${n.subnet} holds no other resources.`, [
        ev('properties.ipConfigurations', [], source),
      ]);
    }
    const count = users.reduce((k, u) => k + u.ids.length, 0);
    return outcome(
      'fail',
      `Subnet ${n.subnet} is used by ${count} other resource(s); a subnet with container groups can hold nothing ` +
        'else (SubnetDelegationsCannotChangeWhenSubnetUsedByResource).',
      users.map((u) => ev(u.field, u.ids, source)),
      `Use a new, empty subnet: ${newSubnetFix(n)}`,
    );
  },
);

const routeTable = subnetCheck(
  {
    id: 'network.subnet-route-table',
    title: 'No route table on the ACI subnet',
    tags: ['network', 'subnet', 'VN-SUB-003'],
    docs: VIRTUAL_NODES_DOC,
  },
  ({ subnet, source, n }) => {
    const id = subnet.routeTable?.id;
    const evidence = [ev('properties.routeTable.id', id, source)];
    if (!id) return outcome('pass', `Subnet ${n.subnet} has no route table.`, evidence);
    return outcome(
      'fail',
      `Subnet ${n.subnet} references route table ${id.split('/').pop()}; the connector refuses to delegate a subnet ` +
        'with a route table and crash-loops.',
      evidence,
      `${subnetUpdate(n, '--route-table ""')}  (use a NAT gateway for controlled egress instead)`,
    );
  },
);

const delegation = subnetCheck(
  {
    id: 'network.subnet-delegation',
    title: 'ACI subnet delegated to Microsoft.ContainerInstance/containerGroups',
    tags: ['network', 'subnet', 'VN-SUB-004'],
    docs: ACI_VNET_DOC,
  },
  ({ subnet, source, n }) => {
    const services = (subnet.delegations ?? []).map((d) => d.serviceName ?? '?');
    const evidence = [ev('properties.delegations[].properties.serviceName', services, source)];
    const others = services.filter((s) => s.toLowerCase() !== ACI_DELEGATION.toLowerCase());
    if (others.length) {
      return outcome(
        'fail',
        `Subnet ${n.subnet} is delegated to ${listText(others)}; a subnet can only serve one service.`,
        evidence,
        `Use a new subnet: ${newSubnetFix(n)}`,
      );
    }
    if (services.length) return outcome('pass', `Subnet ${n.subnet} is delegated to ${ACI_DELEGATION}.`, evidence);
    return outcome(
      'warn',
      `Subnet ${n.subnet} is not delegated yet; the add-on would try, which needs write access to the subnet.`,
      evidence,
      `vnodes subnet create --cluster ${n.cluster} -g ${n.resourceGroup} --name ${n.subnet}` +
        `  (or: ${subnetUpdate(n, `--delegations ${ACI_DELEGATION}`)})`,
    );
  },
);

const size = subnetCheck(
  {
    id: 'network.subnet-size',
    title: 'ACI subnet size',
    tags: ['network', 'subnet', 'VN-SUB-005'],
    docs: ACI_VNET_DOC,
  },
  ({ subnet, source, n }) => {
    const networks = subnetPrefixes(subnet).flatMap((p) => toIpv4Network(p) ?? []);
    const usable = networks.reduce((k, net) => k + usableAddresses(net), 0);
    const evidence = [
      ev(
        'properties.addressPrefixes',
        networks.map((x) => x.cidr),
        source,
      ),
      ev('usableAddresses', usable),
    ];
    if (usable >= usableForPrefixLength(SMALLEST_SENSIBLE)) {
      return outcome(
        'pass',
        `Subnet ${n.subnet} has ${usable} usable addresses (one per pod on the virtual node).`,
        evidence,
      );
    }
    return outcome(
      'warn',
      `Subnet ${n.subnet} has only ${usable} usable addresses (Azure reserves 5 per subnet; each pod on the ` +
        'virtual node takes one).',
      evidence,
      `Use a larger subnet (at least /${SMALLEST_SENSIBLE}): ${newSubnetFix(n)} --prefix-length ${DEFAULT_SUBNET_PREFIX_LENGTH}`,
    );
  },
);

/** Checks on the named ACI subnet. */
export const subnetChecks: AnyCheck[] = [exists, notNodeSubnet, dedicated, routeTable, delegation, size];
