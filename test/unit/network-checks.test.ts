import { describe, expect, it } from 'vitest';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { Subnet, VirtualNetworkPeering } from '@azure/arm-network';
import { networkChecks } from '../../src/checks/network/index.js';
import { runChecks as runEngine } from '../../src/checks/engine.js';
import { createFactsContext } from '../../src/checks/facts.js';
import type { CheckStatus } from '../../src/checks/model.js';
import type { NetworkFacts } from '../../src/network/facts.js';
import { example } from '../fixtures/network/arm.js';
import { fixtureCluster, fixtureVnet, healthyFacts, NODE_SUBNET_ID, VNET_ID } from '../fixtures/network/facts.js';

const check = (id: string) => {
  const found = networkChecks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const run = async (id: string, facts: NetworkFacts) => check(id).run({ network: facts });
const runChecks = (checks: typeof networkChecks, facts: NetworkFacts) =>
  runEngine(checks, createFactsContext({}, { network: facts }));

// Changes to the healthy setup, one concern at a time.
const withNetwork = (over: NonNullable<ManagedCluster['networkProfile']>): Partial<NetworkFacts> => {
  const cluster = healthyFacts().cluster;
  return { cluster: { ...cluster, networkProfile: { ...cluster.networkProfile, ...over } } };
};
const withCluster = (over: Partial<ManagedCluster>): Partial<NetworkFacts> => ({
  cluster: { ...healthyFacts().cluster, ...over },
});
const newSubnet = (over: Partial<NetworkFacts> = {}): Partial<NetworkFacts> => ({
  subnetName: 'virtual-node-aci',
  subnet: undefined,
  ...over,
});
// The fixture VNet with peerings to a hub: Connected and FullyInSync unless `over` says otherwise.
const peered = (
  over: Partial<VirtualNetworkPeering>,
  ...more: Partial<VirtualNetworkPeering>[]
): Partial<NetworkFacts> => {
  const hub = (p: Partial<VirtualNetworkPeering>): VirtualNetworkPeering => ({
    name: 'aks-to-hub',
    peeringState: 'Connected',
    peeringSyncLevel: 'FullyInSync',
    remoteVirtualNetwork: { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/hub' },
    remoteAddressSpace: { addressPrefixes: ['172.16.0.0/16'] },
    ...p,
  });
  return { vnet: { ...fixtureVnet(), virtualNetworkPeerings: [hub(over), ...more.map(hub)] } };
};
const nic =
  '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/vm1-nic/ipConfigurations/ipconfig1';

describe('the catalog', () => {
  it('has unique network.* ids, a title and a pain.md catalog tag on every check', () => {
    const ids = networkChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of networkChecks) {
      expect(c.id).toMatch(/^network\.[a-z-]+$/);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.tags).toContain('network');
      expect(c.tags.some((t) => /^VN-[A-Z]+-\d{3}$/.test(t))).toBe(true);
    }
  });

  it('passes (or skips what does not apply) on a healthy setup', async () => {
    const results = await runChecks(networkChecks, healthyFacts());
    const notOk = results.filter((r) => r.status !== 'pass' && r.status !== 'skip');
    expect(notOk).toEqual([]);
  });

  it.each<[string, NetworkFacts]>([
    ['a bare cluster and nothing else', { cluster: { location: 'westus' }, vnetManaged: false }],
    [
      'the fixture cluster with a subnet name and a CIDR',
      { cluster: fixtureCluster(), vnetManaged: true, subnetName: 'aci', cidr: '10.0.0.0/24' },
    ],
    ['a subnet with no prefixes', healthyFacts({}, { addressPrefix: undefined })],
    ['an invalid CIDR', healthyFacts({ cidr: 'fd00::/64' })],
  ])('never errors on sparse input: %s', async (_label, facts) => {
    const results = await runChecks(networkChecks, facts);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
    for (const r of results) {
      expect(r.summary.length).toBeGreaterThan(0);
      if (r.status === 'fail' || r.status === 'warn') {
        expect(r.remediation).toBeTruthy();
        expect(r.evidence.length).toBeGreaterThan(0);
      }
    }
  });
});

type Case = [
  label: string,
  id: string,
  facts: Partial<NetworkFacts>,
  subnet: Partial<Subnet>,
  status: CheckStatus,
  text: string,
  fix?: string,
];

describe.each<Case>([
  // network.plugin (VN-NET-001)
  [
    'kubenet (the fixture cluster)',
    'network.plugin',
    { cluster: fixtureCluster() },
    {},
    'fail',
    'kubenet',
    'az aks create -g rg1 -n <new-cluster> --network-plugin azure',
  ],
  [
    'Azure CNI overlay',
    'network.plugin',
    withNetwork({ networkPluginMode: 'overlay' }),
    {},
    'fail',
    'Overlay',
    '--network-plugin azure',
  ],
  [
    'BYO CNI',
    'network.plugin',
    withNetwork({ networkPlugin: 'none' }),
    {},
    'fail',
    'Bring-your-own CNI',
    'az aks create',
  ],
  [
    'plugin not reported',
    'network.plugin',
    withCluster({ networkProfile: undefined }),
    {},
    'fail',
    'not reported',
    'az aks create',
  ],
  [
    'dynamic pod IPs',
    'network.plugin',
    withCluster({
      agentPoolProfiles: [{ name: 'np', vnetSubnetID: NODE_SUBNET_ID, podSubnetID: `${VNET_ID}/subnets/pods` }],
    }),
    {},
    'warn',
    'podSubnetID',
    'test pod',
  ],
  ['Azure CNI node subnet', 'network.plugin', {}, {}, 'pass', 'node-subnet'],
  // network.dataplane (VN-NET-002)
  [
    'Cilium dataplane',
    'network.dataplane',
    withNetwork({ networkDataplane: 'cilium', networkPolicy: 'cilium' }),
    {},
    'warn',
    'Cilium dataplane',
    'NetworkPolicies',
  ],
  [
    'Calico policy',
    'network.dataplane',
    withNetwork({ networkPolicy: 'calico' }),
    {},
    'warn',
    'not enforced on ACI pods',
    'default-deny',
  ],
  // network.ip-families (VN-NET-003)
  [
    'dual-stack cluster',
    'network.ip-families',
    withNetwork({ ipFamilies: ['IPv4', 'IPv6'] }),
    {},
    'fail',
    'IPv4 only',
    'IPv4-only cluster',
  ],
  [
    'IPv6 prefix on the ACI subnet',
    'network.ip-families',
    {},
    { addressPrefixes: ['10.0.2.0/24', 'fd00:db8:deca::/64'] },
    'fail',
    'fd00:db8:deca::/64',
    'vnodes subnet create',
  ],
  // network.authorized-ip-ranges (VN-API-001)
  [
    'authorized IP ranges',
    'network.authorized-ip-ranges',
    withCluster({ apiServerAccessProfile: { authorizedIPRanges: ['73.140.245.0/24'] } }),
    {},
    'fail',
    'egress addresses that are not in the list',
    'az aks update -g rg1 -n clustername1 --api-server-authorized-ip-ranges ""',
  ],
  [
    'empty authorized IP ranges',
    'network.authorized-ip-ranges',
    withCluster({ apiServerAccessProfile: { authorizedIPRanges: [] } }),
    {},
    'pass',
    'any address',
  ],
  // network.private-cluster (VN-API-002)
  [
    'private cluster',
    'network.private-cluster',
    withCluster({
      apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: 'system' },
      privateFqdn: 'c-1.privatelink.westus.azmk8s.io',
    }),
    {},
    'warn',
    'c-1.privatelink.westus.azmk8s.io',
    'linked to VNet test-vnet',
  ],
  [
    'private cluster without DNS zone',
    'network.private-cluster',
    withCluster({ apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: 'none' } }),
    {},
    'fail',
    'cannot resolve',
    'az aks update -g rg1 -n clustername1 --enable-public-fqdn',
  ],
  [
    'no DNS zone but a public FQDN',
    'network.private-cluster',
    withCluster({
      apiServerAccessProfile: {
        enablePrivateCluster: true,
        privateDNSZone: 'none',
        enablePrivateClusterPublicFqdn: true,
      },
    }),
    {},
    'warn',
    'Private API server',
  ],
  [
    'API server VNet integration',
    'network.private-cluster',
    withCluster({ apiServerAccessProfile: { enableVnetIntegration: true } }),
    {},
    'warn',
    'TCP 443',
  ],
  // network.vnet (VN-SUB-001, VN-SUB-006)
  [
    'VNet not found',
    'network.vnet',
    { vnet: undefined },
    {},
    'fail',
    `VNet ${VNET_ID} was not found`,
    '--subscription',
  ],
  [
    'no VNet at all',
    'network.vnet',
    { vnet: undefined, vnetId: undefined, cluster: fixtureCluster() },
    {},
    'fail',
    'MC_rg1_clustername1_location1',
    'Reader',
  ],
  [
    'VNet in another subscription',
    'network.vnet',
    { cluster: fixtureCluster() },
    {},
    'fail',
    'subscription subid, the cluster in 00000000',
    'same subscription',
  ],
  ['AKS-managed VNet', 'network.vnet', { vnetManaged: true }, {}, 'pass', 'AKS-managed VNet test-vnet (10.0.0.0/16)'],
  // network.vnet-dns (VN-DNS-002), network.vnet-peering (VN-PEER-001)
  [
    'custom VNet DNS',
    'network.vnet-dns',
    { vnet: { ...fixtureVnet(), dhcpOptions: { dnsServers: ['10.0.0.4'] } } },
    {},
    'warn',
    'do not inherit VNet DNS',
    'dnsConfig.nameservers (10.0.0.4)',
  ],
  [
    'peering Connected, in sync, clear of the ACI subnet',
    'network.vnet-peering',
    peered({}),
    {},
    'pass',
    '1 peering(s), Connected and in sync, none overlapping the ACI subnet. Virtual nodes list VNet peering',
  ],
  [
    'peering Disconnected',
    'network.vnet-peering',
    peered({ peeringState: 'Disconnected', peeringSyncLevel: 'RemoteNotInSync' }),
    {},
    'warn',
    "peering aks-to-hub to hub is Disconnected (the remote side's peering was deleted)",
    'az network vnet peering delete -g rg1 --vnet-name test-vnet -n aks-to-hub, then create it again on both VNets',
  ],
  [
    'peering Initiated',
    'network.vnet-peering',
    peered({ peeringState: 'Initiated' }),
    {},
    'warn',
    'is only Initiated: hub has no peering back',
    'Create the peering from hub back to test-vnet',
  ],
  [
    'peering Connected but LocalNotInSync',
    'network.vnet-peering',
    peered({ peeringSyncLevel: 'LocalNotInSync' }),
    {},
    'warn',
    'is LocalNotInSync: an address space changed',
    'az network vnet peering sync -g rg1 --vnet-name test-vnet -n aks-to-hub',
  ],
  [
    'peered space overlaps the ACI subnet (worse than a Disconnected sibling)',
    'network.vnet-peering',
    peered(
      { remoteAddressSpace: { addressPrefixes: ['10.0.2.128/25'] } },
      { name: 'other', peeringState: 'Disconnected' },
    ),
    {},
    'fail',
    '2 peering(s): peering aks-to-hub to hub reaches 10.0.2.128/25, which overlaps ACI subnet aci (10.0.2.0/24)',
    'Give ACI subnet aci a range outside 10.0.2.128/25',
  ],
  [
    'peered space next to the ACI subnet, not on it',
    'network.vnet-peering',
    peered({ remoteAddressSpace: { addressPrefixes: ['10.0.3.0/24'] } }),
    {},
    'pass',
    'none overlapping the ACI subnet',
  ],
  // network.subnet-exists (VN-SUB-001)
  [
    'no subnet named',
    'network.subnet-exists',
    { subnetName: undefined, subnet: undefined },
    {},
    'skip',
    'No ACI subnet named',
  ],
  [
    'subnet id instead of a name',
    'network.subnet-exists',
    { subnetName: `${VNET_ID}/subnets/aci` },
    {},
    'fail',
    'resource id',
    '--subnet-name aci',
  ],
  [
    'subnet to be created',
    'network.subnet-exists',
    newSubnet(),
    {},
    'pass',
    '`vnodes subnet create --cluster clustername1 -g rg1 --name virtual-node-aci` will create it',
  ],
  [
    'subnet unknown: no VNet',
    'network.subnet-exists',
    newSubnet({ vnet: undefined }),
    {},
    'skip',
    'VNet was not found',
  ],
  [
    'subnet checks without a VNet',
    'network.subnet-route-table',
    newSubnet({ vnet: undefined }),
    {},
    'skip',
    'VNet was not found',
  ],
  [
    'add-on points at a missing subnet',
    'network.subnet-exists',
    newSubnet(
      withCluster({
        addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } } },
      }),
    ),
    {},
    'fail',
    'connector cannot start',
    'vnodes subnet create',
  ],
  // network.subnet-not-node (VN-SUB-002)
  [
    'the node subnet named as ACI subnet',
    'network.subnet-not-node',
    { subnetName: 'subnet1', subnet: undefined },
    {},
    'fail',
    'SubnetDelegationsCannotChangeWhenSubnetUsedByResource',
    '--name <new-subnet>',
  ],
  [
    'the pod subnet named as ACI subnet',
    'network.subnet-not-node',
    withCluster({
      agentPoolProfiles: [{ name: 'np', vnetSubnetID: NODE_SUBNET_ID, podSubnetID: `${VNET_ID}/subnets/aci` }],
    }),
    {},
    'fail',
    'pods of pool np',
  ],
  [
    'the API server subnet named as ACI subnet',
    'network.subnet-not-node',
    withCluster({ apiServerAccessProfile: { enableVnetIntegration: true, subnetId: `${VNET_ID}/subnets/ACI` } }),
    {},
    'fail',
    'API server',
  ],
  // network.subnet-dedicated (VN-SUB-002)
  [
    'subnet with a load balancer (fixture ipConfigurations)',
    'network.subnet-dedicated',
    {},
    { ipConfigurations: fixtureVnet().subnets?.[0]?.ipConfigurations },
    'fail',
    'used by 1 other resource',
    'new, empty subnet',
  ],
  [
    'subnet with NICs and a private endpoint',
    'network.subnet-dedicated',
    {},
    {
      ipConfigurations: [{ id: nic }],
      privateEndpoints: [{ id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateEndpoints/pe' }],
    },
    'fail',
    'used by 2 other',
  ],
  [
    'subnet linked to another service',
    'network.subnet-dedicated',
    {},
    { serviceAssociationLinks: [{ name: 'appservice', linkedResourceType: 'Microsoft.Web/serverfarms' }] },
    'fail',
    'other resource',
  ],
  [
    'ACI network profile in the subnet',
    'network.subnet-dedicated',
    {},
    {
      ipConfigurations: [
        {
          id: '/subscriptions/s/resourceGroups/MC_x/providers/Microsoft.Network/networkProfiles/aci-network-profile-x/containerNetworkInterfaceConfigurations/eth0/ipConfigurations/ipconfigprofile',
        },
      ],
    },
    'pass',
    'holds no other resources',
  ],
  // network.subnet-route-table (VN-SUB-003)
  [
    'route table',
    'network.subnet-route-table',
    {},
    {
      routeTable: {
        id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/RT_NetworkName',
      },
    },
    'fail',
    'RT_NetworkName',
    'az network vnet subnet update -g rg1 --vnet-name test-vnet -n aci --route-table ""',
  ],
  // network.subnet-delegation (VN-SUB-004)
  [
    'delegated to another service (fixture)',
    'network.subnet-delegation',
    {},
    { delegations: example<Subnet>('SubnetGetWithDelegation.json').delegations },
    'fail',
    'Microsoft.Provider/resourceType',
    'vnodes subnet create',
  ],
  [
    'not delegated yet',
    'network.subnet-delegation',
    {},
    { delegations: [] },
    'warn',
    'not delegated yet',
    '--delegations Microsoft.ContainerInstance/containerGroups',
  ],
  // network.subnet-size (VN-SUB-005)
  [
    'a /29 subnet',
    'network.subnet-size',
    {},
    { addressPrefix: '10.0.2.0/29' },
    'warn',
    'only 3 usable',
    '--prefix-length 24',
  ],
  [
    'two /29 prefixes',
    'network.subnet-size',
    {},
    { addressPrefixes: ['10.0.2.0/29', '10.0.2.8/29'] },
    'warn',
    'only 6 usable',
  ],
  ['a /28 subnet', 'network.subnet-size', {}, { addressPrefix: '10.0.2.0/28' }, 'pass', '11 usable'],
  // network.subnet-egress (VN-EGR-001)
  [
    'no NAT gateway',
    'network.subnet-egress',
    {},
    { natGateway: undefined },
    'warn',
    'only a NAT gateway',
    '--nat-gateway <nat-gateway-name-or-id>',
  ],
  [
    'private subnet without NAT gateway',
    'network.subnet-egress',
    {},
    { natGateway: undefined, defaultOutboundAccess: false },
    'warn',
    'images from public registries',
    '--nat-gateway',
  ],
  [
    'NAT gateway but UDR egress',
    'network.subnet-egress',
    withNetwork({ outboundType: 'userDefinedRouting' }),
    {},
    'warn',
    'user-defined routes',
  ],
  // network.subnet-nsg (VN-NSG-001)
  [
    'NSG with a deny rule',
    'network.subnet-nsg',
    {},
    {
      networkSecurityGroup: {
        id: '/subscriptions/subid/resourceGroups/nsg-rg/providers/Microsoft.Network/networkSecurityGroups/aci-nsg',
        securityRules: [
          {
            name: 'deny-out',
            access: 'Deny',
            direction: 'Outbound',
            priority: 100,
            destinationPortRange: '*',
            protocol: '*',
          },
        ],
      },
    },
    'warn',
    'aci-nsg with 1 deny rule',
    'az network nsg rule list --nsg-name aci-nsg -g nsg-rg',
  ],
  // network.cidr-* (VN-SUB-006)
  [
    'host bits in --cidr',
    'network.cidr-valid',
    newSubnet({ cidr: '10.0.3.1/24' }),
    {},
    'fail',
    'did you mean 10.0.3.0/24?',
    'omit it',
  ],
  ['IPv6 --cidr', 'network.cidr-valid', newSubnet({ cidr: 'fd00::/64' }), {}, 'fail', 'IPv4 only'],
  [
    '--cidr outside the VNet',
    'network.cidr-in-address-space',
    newSubnet({ cidr: '192.168.0.0/24' }),
    {},
    'fail',
    'outside the address space of VNet test-vnet (10.0.0.0/16)',
    'e.g. --cidr 10.0.0.0/24',
  ],
  [
    '--cidr inside the VNet',
    'network.cidr-in-address-space',
    newSubnet({ cidr: '10.0.3.0/24' }),
    {},
    'pass',
    'inside the VNet',
  ],
  [
    '--cidr on another subnet',
    'network.cidr-overlap',
    newSubnet({ cidr: '10.0.1.0/24' }),
    {},
    'fail',
    '10.0.1.0/24 overlaps subnet1 (10.0.1.0/24).',
    'Pick another with --cidr (e.g. --cidr 10.0.0.0/24), or omit it',
  ],
  [
    '--cidr on a subnet and the services',
    'network.cidr-overlap',
    newSubnet({ ...withNetwork({ serviceCidrs: ['10.0.0.0/16'] }), cidr: '10.0.1.0/24' }),
    {},
    'fail',
    '10.0.1.0/24 overlaps subnet1 (10.0.1.0/24) and overlaps the service CIDR (10.0.0.0/16).',
  ],
  [
    '--cidr holding the DNS IP',
    'network.cidr-overlap',
    newSubnet({
      ...withNetwork({ serviceCidr: '10.0.4.0/24', serviceCidrs: undefined, dnsServiceIP: '10.0.4.10' }),
      cidr: '10.0.4.0/24',
    }),
    {},
    'fail',
    'contains the DNS service IP (10.0.4.10)',
  ],
  [
    'existing subnet inside the service CIDR',
    'network.cidr-overlap',
    withNetwork({ serviceCidrs: ['10.0.0.0/16'], dnsServiceIP: '10.0.0.10' }),
    {},
    'fail',
    '10.0.2.0/24 overlaps the service CIDR (10.0.0.0/16)',
    'vnodes subnet create --cluster clustername1 -g rg1 --name <new-subnet>',
  ],
  [
    '--cidr differs from the existing subnet',
    'network.cidr-subnet-match',
    { cidr: '10.0.3.0/24' },
    {},
    'fail',
    'exists with 10.0.2.0/24, not 10.0.3.0/24',
    'Drop --cidr',
  ],
  [
    '--cidr equals the existing subnet',
    'network.cidr-subnet-match',
    { cidr: '10.0.2.0/24' },
    {},
    'pass',
    'already has',
  ],
  [
    'room for a new subnet',
    'network.subnet-free-range',
    newSubnet(),
    {},
    'pass',
    'would use 10.0.0.0/24 (251 usable addresses)',
  ],
  [
    'room for a smaller block only',
    'network.subnet-free-range',
    newSubnet({ vnet: { ...fixtureVnet(), addressSpace: { addressPrefixes: ['10.0.1.0/24', '10.0.2.0/25'] } } }),
    {},
    'fail',
    'a /25 would fit',
    'vnodes subnet create --cluster clustername1 -g rg1 --prefix-length 25',
  ],
  [
    'a full VNet',
    'network.subnet-free-range',
    newSubnet({ vnet: { ...fixtureVnet(), addressSpace: { addressPrefixes: ['10.0.1.0/24'] } } }),
    {},
    'fail',
    'No free /24',
    'az network vnet update -g rg1 -n test-vnet --address-prefixes 10.0.1.0/24 <new-ipv4-cidr>',
  ],
  ['a bad --prefix-length', 'network.subnet-free-range', newSubnet({ prefixLength: 30 }), {}, 'fail', 'outside 16-28'],
])('%s', (_label, id, over, subnet, status, text, fix) => {
  it(`${id} → ${status}`, async () => {
    const result = await run(id, healthyFacts(over, subnet));
    expect(result.status).toBe(status);
    expect(result.summary).toContain(text);
    if (fix) expect(result.remediation).toContain(fix);
  });
});

describe('evidence', () => {
  it('names the wire field and the value seen', async () => {
    const result = await run('network.plugin', { cluster: fixtureCluster(), vnetManaged: true });
    expect(result.evidence).toContainEqual({
      field: 'properties.networkProfile.networkPlugin',
      value: 'kubenet',
      source:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1',
    });
  });

  it('points subnet evidence at the subnet', async () => {
    const routeTable = { id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt' };
    const result = await run('network.subnet-route-table', healthyFacts({}, { routeTable }));
    expect(result.evidence).toEqual([
      { field: 'properties.routeTable.id', value: routeTable.id, source: `${VNET_ID}/subnets/aci` },
    ]);
  });

  it('suggests the NAT gateway the node subnet already uses', async () => {
    const natGw = '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/natGateways/cluster-nat';
    const facts = healthyFacts({}, { natGateway: undefined });
    facts.vnet = {
      ...facts.vnet,
      subnets: (facts.vnet?.subnets ?? []).map((s) => (s.name === 'subnet1' ? { ...s, natGateway: { id: natGw } } : s)),
    };
    expect((await run('network.subnet-egress', facts)).remediation).toContain(`--nat-gateway ${natGw}`);
  });
});

describe('subnet checks skip when the subnet does not exist yet', () => {
  it.each(
    networkChecks
      .filter((c) =>
        ['dedicated', 'route-table', 'delegation', 'size', 'egress', 'nsg'].some((s) => c.id === `network.subnet-${s}`),
      )
      .map((c) => [c.id]),
  )('%s', async (id) => {
    const result = await run(id, healthyFacts(newSubnet()));
    expect(result).toMatchObject({ status: 'skip' });
    expect(result.summary).toContain('`vnodes subnet create` will create it');
  });
});
