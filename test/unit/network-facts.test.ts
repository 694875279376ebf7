import { describe, expect, it } from 'vitest';
import type { ManagedCluster } from '@azure/arm-containerservice';
import {
  clusterVnetId,
  findSubnet,
  poolSubnets,
  subnetPrefixes,
  takenRanges,
  vnetAddressSpace,
} from '../../src/network/facts.js';
import { planSubnetCidr } from '../../src/network/plan.js';
import { addonState } from '../../src/network/addon.js';
import { example } from '../fixtures/network/arm.js';
import { fixtureCluster, fixtureVnet, healthyFacts, NODE_SUBNET_ID, VNET_ID } from '../fixtures/network/facts.js';

describe('the fixtures, read as SDK models', () => {
  it('flattens properties like the SDK does', () => {
    const cluster = fixtureCluster();
    expect(cluster.networkProfile?.networkPlugin).toBe('kubenet');
    expect(cluster.agentPoolProfiles?.[0]?.name).toBe('nodepool1');
    expect(fixtureVnet().subnets?.[0]?.addressPrefix).toBe('10.0.1.0/24');
  });
});

describe('clusterVnetId', () => {
  it('is undefined for the AKS-managed VNet (the fixture cluster names no subnet)', () => {
    expect(clusterVnetId(fixtureCluster())).toBeUndefined();
  });

  it.each<[string, ManagedCluster['agentPoolProfiles'], string | undefined]>([
    ['first pool with a subnet', [{ name: 'a', vnetSubnetID: NODE_SUBNET_ID }], VNET_ID],
    ['a later pool', [{ name: 'a' }, { name: 'b', vnetSubnetID: NODE_SUBNET_ID }], VNET_ID],
    ['no pools', [], undefined],
    ['malformed id', [{ name: 'a', vnetSubnetID: 'subnet1' }], undefined],
  ])('%s', (_label, agentPoolProfiles, expected) => {
    expect(clusterVnetId({ location: 'x', agentPoolProfiles })).toBe(expected);
  });
});

describe('poolSubnets', () => {
  it('lists node and pod subnets with their pool', () => {
    const cluster: ManagedCluster = {
      location: 'x',
      agentPoolProfiles: [
        { name: 'sys', vnetSubnetID: NODE_SUBNET_ID, podSubnetID: `${VNET_ID}/subnets/pods` },
        { name: 'user' },
      ],
    };
    expect(poolSubnets(cluster)).toEqual([
      { pool: 'sys', role: 'nodes', id: NODE_SUBNET_ID },
      { pool: 'sys', role: 'pods', id: `${VNET_ID}/subnets/pods` },
    ]);
  });
});

describe('addonState', () => {
  it.each<[string, ManagedCluster['addonProfiles'], Partial<ReturnType<typeof addonState>>]>([
    ['absent', undefined, { enabled: false, subnetName: undefined }],
    [
      'enabled',
      { aciConnectorLinux: { enabled: true, config: { SubnetName: 'aci' } } },
      { enabled: true, subnetName: 'aci' },
    ],
    [
      'keys in other case',
      { ACIConnectorLinux: { enabled: true, config: { subnetName: 'aci' } } },
      { enabled: true, subnetName: 'aci' },
    ],
    ['disabled', { aciConnectorLinux: { enabled: false } }, { enabled: false, subnetName: undefined }],
  ])('%s', (_label, addonProfiles, expected) => {
    expect(addonState({ addonProfiles })).toMatchObject(expected);
  });
});

describe('subnets', () => {
  it.each([
    [{ addressPrefix: '10.0.0.0/24' }, ['10.0.0.0/24']],
    [{ addressPrefix: '10.0.0.0/24', addressPrefixes: ['10.0.0.0/24', 'fd00::/64'] }, ['10.0.0.0/24', 'fd00::/64']],
    [{ addressPrefixes: [] }, []],
  ])('prefixes of %j', (subnet, prefixes) => expect(subnetPrefixes(subnet)).toEqual(prefixes));

  it('finds the ACI subnet in the VNet by name, case-insensitively', () => {
    const facts = healthyFacts({ subnet: undefined, subnetName: 'SUBNET1' });
    expect(findSubnet(facts)?.id).toBe(NODE_SUBNET_ID);
    expect(findSubnet(healthyFacts({ subnet: undefined, subnetName: 'missing' }))).toBeUndefined();
    expect(vnetAddressSpace(facts.vnet)).toEqual(['10.0.0.0/16']);
  });
});

describe('takenRanges', () => {
  it('lists other subnets, service CIDR, DNS IP, pod CIDR and peered VNets, not the ACI subnet', () => {
    const facts = healthyFacts();
    facts.cluster = {
      ...facts.cluster,
      networkProfile: { ...facts.cluster.networkProfile, podCidrs: ['10.244.0.0/16'] },
    };
    facts.vnet = {
      ...facts.vnet,
      virtualNetworkPeerings: [
        {
          name: 'to-hub',
          remoteVirtualNetwork: {
            id: '/subscriptions/s/resourceGroups/h/providers/Microsoft.Network/virtualNetworks/hub',
          },
          remoteAddressSpace: { addressPrefixes: ['10.100.0.0/16'] },
        },
      ],
    };
    expect(takenRanges(facts)).toEqual([
      { name: 'subnet1', cidr: '10.0.1.0/24' },
      { name: 'the service CIDR', cidr: '10.96.0.0/16' },
      { name: 'the DNS service IP', cidr: '10.96.0.10' },
      { name: 'the pod CIDR', cidr: '10.244.0.0/16' },
      { name: 'peered VNet hub', cidr: '10.100.0.0/16' },
    ]);
  });

  it('counts every prefix of a multi-prefix subnet', () => {
    const facts = healthyFacts({ subnetName: 'new', subnet: undefined });
    facts.vnet = { ...facts.vnet, subnets: [{ name: 'multi', addressPrefixes: ['10.0.0.0/24', '10.0.1.0/24'] }] };
    expect(
      takenRanges(facts)
        .filter((t) => t.name === 'multi')
        .map((t) => t.cidr),
    ).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
  });

  it('the fixture cluster and VNet as they are: the service CIDR covers the VNet, so no range is free', () => {
    const facts = { cluster: fixtureCluster(), vnet: fixtureVnet(), vnetManaged: false };
    const plan = planSubnetCidr({
      addressSpace: vnetAddressSpace(facts.vnet),
      taken: takenRanges(facts),
      prefixLength: 24,
    });
    expect(plan).toMatchObject({ error: 'no-free-range' });
  });

  it('plans next to the fixture subnet once services are off the VNet', () => {
    const facts = healthyFacts({ subnetName: 'virtual-node-aci', subnet: undefined });
    facts.vnet = fixtureVnet();
    const plan = planSubnetCidr({
      addressSpace: vnetAddressSpace(facts.vnet),
      taken: takenRanges(facts),
      prefixLength: 24,
    });
    expect(plan).toEqual({ cidr: '10.0.0.0/24', addressSpacePrefix: '10.0.0.0/16' });
  });

  it('reads a VNet with subnet delegations from its fixture', () => {
    const vnet = example<NonNullable<ReturnType<typeof fixtureVnet>>>('VirtualNetworkGetWithSubnetDelegation.json');
    expect(vnet.subnets?.[0]?.delegations?.[0]?.serviceName).toBe('Microsoft.Provider/resourceType');
  });
});
