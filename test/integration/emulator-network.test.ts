// The emulated Microsoft.Network and Microsoft.ContainerService: scenarios, Azure's subnet rules with their real
// error codes, long-running writes, and the spec examples loaded as they are.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { AKS_API, armGet, armRequest, NETWORK_API, withSharedEtag } from '../helpers/arm.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const VNET = `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const CLUSTER = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo`;

const credential = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }),
});
const options = (emu: Emulator) =>
  ({ endpoint: emu.armEndpoint, tlsOptions: { ca: emu.caPem }, updateIntervalInMs: 5 }) as never;
const network = (emu: Emulator) => new NetworkManagementClient(credential(emu.token), emu.subscriptionId, options(emu));
const aks = (emu: Emulator) => new ContainerServiceClient(credential(emu.token), emu.subscriptionId, options(emu));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** PUTs a subnet body and returns ARM's answer (no polling). */
const putSubnet = (
  emu: Emulator,
  name: string,
  properties: Record<string, unknown>,
  headers?: Record<string, string>,
) => armRequest(emu, 'PUT', `${VNET}/subnets/${name}`, NETWORK_API, { properties }, headers);

describe('emulator: clusters and VNets (healthy)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 5 });
  });
  afterAll(() => emu.close());

  it('serves the cluster through the SDK, by name and by resource group, with its eTag', async () => {
    const cluster = await aks(emu).managedClusters.get('rg-aks', 'aks-demo');
    expect(cluster).toMatchObject({
      networkProfile: {
        networkPlugin: 'azure',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        ipFamilies: ['IPv4'],
      },
      nodeResourceGroup: 'MC_rg-aks_aks-demo_eastus',
      eTag: 'b6d1e0a4c2f3',
    });
    expect(cluster.agentPoolProfiles?.[0]?.vnetSubnetID).toBe(`${VNET}/subnets/aks-subnet`);
    const listed = await collect(aks(emu).managedClusters.listByResourceGroup('rg-aks'));
    expect(listed.map((c) => c.name)).toEqual(['aks-demo']);
    const raw = await armGet(emu, CLUSTER, AKS_API);
    expect(raw.headers.etag).toBe('b6d1e0a4c2f3');
  });

  it('answers unknown clusters and groups with ARM codes', async () => {
    expect(
      (
        await armGet(
          emu,
          `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/nope`,
          AKS_API,
        )
      ).body.error.code,
    ).toBe('ResourceNotFound');
    expect(
      (
        await armGet(
          emu,
          `${SUB}/resourceGroups/nope/providers/Microsoft.ContainerService/managedClusters/aks-demo`,
          AKS_API,
        )
      ).body.error.code,
    ).toBe('ResourceGroupNotFound');
  });

  it('creates the node resource group, managed by the cluster', async () => {
    const group = await armGet(emu, `${SUB}/resourceGroups/MC_rg-aks_aks-demo_eastus`, '2025-04-01');
    expect(group.body).toMatchObject({ managedBy: CLUSTER, tags: { 'aks-managed-cluster-name': 'aks-demo' } });
  });

  it('composes the VNet from its subnets, and lists subnets on their own', async () => {
    const vnet = await network(emu).virtualNetworks.get('rg-network', 'aks-vnet');
    expect(vnet.addressSpace?.addressPrefixes).toEqual(['10.0.0.0/8']);
    expect(vnet.subnets?.map((s) => [s.name, s.addressPrefix])).toEqual([['aks-subnet', '10.240.0.0/16']]);
    expect(vnet.subnets?.[0]?.ipConfigurations).toHaveLength(3);
    const subnets = await collect(network(emu).subnets.list('rg-network', 'aks-vnet'));
    expect(subnets.map((s) => s.name)).toEqual(['aks-subnet']);
  });

  it.each([
    ['a range outside the VNet', { addressPrefix: '192.168.0.0/24' }, 'NetcfgSubnetRangeOutsideVnet'],
    ['a range overlapping the node subnet', { addressPrefix: '10.240.128.0/24' }, 'NetcfgSubnetRangesOverlap'],
    ['host bits set', { addressPrefix: '10.1.0.1/24' }, 'InvalidCIDRNotation'],
    ['no prefix length', { addressPrefix: '10.1.0.0' }, 'InvalidAddressPrefixFormat'],
    ['a /30 (Azure keeps 5 addresses)', { addressPrefix: '10.1.0.0/30' }, 'NetcfgInvalidSubnet'],
    [
      'a route table that does not exist',
      {
        addressPrefix: '10.1.0.0/24',
        routeTable: { id: `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/routeTables/ghost` },
      },
      'InvalidResourceReference',
    ],
  ])('rejects a subnet with %s', async (_what, properties, code) => {
    const reply = await putSubnet(emu, 'probe', properties);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
  });

  it('rejects an illegal subnet name with InvalidResourceName', async () => {
    const reply = await putSubnet(emu, 'bad-', { addressPrefix: '10.1.0.0/24' });
    expect(reply.body.error).toMatchObject({ code: 'InvalidResourceName' });
    expect(reply.body.error.message).toContain('up to 80 characters');
  });

  it('creates a delegated subnet as a long-running operation and fills the delegation', async () => {
    const subnet = await network(emu).subnets.createOrUpdate('rg-network', 'aks-vnet', 'aci', {
      addressPrefix: '10.1.0.0/24',
      delegations: [{ name: 'aciDelegation', serviceName: 'Microsoft.ContainerInstance/containerGroups' }],
    });
    expect(subnet).toMatchObject({ provisioningState: 'Succeeded', addressPrefix: '10.1.0.0/24' });
    expect(subnet.delegations?.[0]).toMatchObject({
      serviceName: 'Microsoft.ContainerInstance/containerGroups',
      actions: ['Microsoft.Network/virtualNetworks/subnets/action'],
      id: `${VNET}/subnets/aci/delegations/aciDelegation`,
    });
    const put = emu.requests.entries.find(
      (e) => e.operation === 'Subnets_CreateOrUpdate' && e.path.endsWith('/subnets/aci'),
    );
    expect(put?.status).toBe(201);
    const vnet = await network(emu).virtualNetworks.get('rg-network', 'aks-vnet');
    expect(vnet.subnets?.map((s) => s.name)).toEqual(['aks-subnet', 'aci']);
    expect(vnet.subnets?.[1]?.etag).toBe(subnet.etag);
  });

  it('keeps read-only fields (ipConfigurations) whatever a PUT body says, and honours If-Match', async () => {
    const before = await armGet(emu, `${VNET}/subnets/aks-subnet`, NETWORK_API);
    const stale = await putSubnet(emu, 'aks-subnet', { addressPrefix: '10.240.0.0/16' }, { 'If-Match': 'W/"stale"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PreconditionFailed');
    const ok = await putSubnet(
      emu,
      'aks-subnet',
      { ...before.body.properties, ipConfigurations: [] },
      { 'If-Match': before.headers.etag as string },
    );
    expect(ok.status).toBe(200);
    const after = await network(emu).subnets.get('rg-network', 'aks-vnet', 'aks-subnet');
    expect(after.ipConfigurations).toHaveLength(3);
  });

  it('refuses to delete or change an in-use subnet, and deletes an empty one', async () => {
    const del = await armRequest(emu, 'DELETE', `${VNET}/subnets/aks-subnet`, NETWORK_API);
    expect(del.body.error.code).toBe('InUseSubnetCannotBeDeleted');
    expect(del.body.error.message).toContain('aks-nodepool1-41772208-vmss');
    const grow = await putSubnet(emu, 'aks-subnet', { addressPrefix: '10.240.0.0/15' });
    expect(grow.body.error.code).toBe('InUseSubnetCannotBeUpdated');
    const delegate = await putSubnet(emu, 'aks-subnet', {
      addressPrefix: '10.240.0.0/16',
      delegations: [{ name: 'aci', properties: { serviceName: 'Microsoft.ContainerInstance/containerGroups' } }],
    });
    expect(delegate.body.error.code).toBe('SubnetDelegationsCannotChangeWhenSubnetUsedByResource');
    expect(delegate.body.error.message).toContain(
      'cannot be changed from [] to [Microsoft.ContainerInstance/containerGroups]',
    );
    await network(emu).subnets.createOrUpdate('rg-network', 'aks-vnet', 'scratch', { addressPrefix: '10.2.0.0/24' });
    await network(emu).subnets.delete('rg-network', 'aks-vnet', 'scratch');
    expect((await armGet(emu, `${VNET}/subnets/scratch`, NETWORK_API)).status).toBe(404);
  });

  it('replaces the subnet list on a VNet PUT: growing the space keeps them, dropping an in-use one fails', async () => {
    const vnet = await network(emu).virtualNetworks.get('rg-network', 'aks-vnet');
    const dropped = await armRequest(emu, 'PUT', VNET, NETWORK_API, {
      location: 'eastus',
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/8'] } },
    });
    expect(dropped.body.error.code).toBe('InUseSubnetCannotBeDeleted');
    const grown = await network(emu).virtualNetworks.createOrUpdate('rg-network', 'aks-vnet', {
      ...vnet,
      addressSpace: { addressPrefixes: ['10.0.0.0/8', '172.16.0.0/16'] },
    });
    expect(grown.addressSpace?.addressPrefixes).toEqual(['10.0.0.0/8', '172.16.0.0/16']);
    expect(grown.subnets?.map((s) => s.name)).toEqual(vnet.subnets?.map((s) => s.name));
    expect(grown.subnets?.[0]?.ipConfigurations).toHaveLength(3);
  });
});

describe('emulator: network scenarios', () => {
  it('subnet-in-use: delegating the occupied subnet fails the way Azure does', async () => {
    const emu = await startEmulator({ scenario: 'subnet-in-use', lroDelayMs: 5 });
    try {
      const reply = await putSubnet(emu, 'virtual-node-aci', {
        addressPrefix: '10.241.0.0/16',
        delegations: [
          { name: 'aciDelegation', properties: { serviceName: 'Microsoft.ContainerInstance/containerGroups' } },
        ],
      });
      expect(reply.body.error.code).toBe('SubnetDelegationsCannotChangeWhenSubnetUsedByResource');
      expect(reply.body.error.message).toContain('networkInterfaces/jumpbox-nic/ipConfigurations/ipconfig1');
    } finally {
      await emu.close();
    }
  });

  it('managed-vnet: the cluster names no subnet and its VNet sits in the node resource group', async () => {
    const emu = await startEmulator({ scenario: 'managed-vnet', lroDelayMs: 5 });
    try {
      const cluster = await aks(emu).managedClusters.get('rg-aks', 'aks-demo');
      expect(cluster.agentPoolProfiles?.every((p) => p.vnetSubnetID === undefined)).toBe(true);
      const vnets = await collect(network(emu).virtualNetworks.list('MC_rg-aks_aks-demo_eastus'));
      expect(vnets.map((v) => [v.name, v.addressSpace?.addressPrefixes])).toEqual([
        ['aks-vnet-27811542', ['10.224.0.0/12']],
      ]);
    } finally {
      await emu.close();
    }
  });

  it('dual-stack: IPv6 prefixes load and validate (a /64 inside the VNet space)', async () => {
    // lroDelayMs 0: the second PUT must not meet the first's operation (409 AnotherOperationInProgress).
    const emu = await startEmulator({ scenario: 'dual-stack', lroDelayMs: 0 });
    try {
      const subnet = await network(emu).subnets.get('rg-network', 'aks-vnet', 'aks-subnet');
      expect(subnet.addressPrefixes).toEqual(['10.240.0.0/16', 'fd00:db8:deca::/64']);
      const v6 = await putSubnet(emu, 'v6', { addressPrefixes: ['10.9.0.0/24', 'fd00:db8:deca:1::/64'] });
      expect(v6.status).toBe(201);
      const wide = await putSubnet(emu, 'v6wide', { addressPrefixes: ['10.9.1.0/24', 'fd00:db8:deca:2::/63'] });
      expect(wide.body.error.code).toBe('NetcfgInvalidSubnet');
    } finally {
      await emu.close();
    }
  });
});

describe('emulator: spec examples load unchanged', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vnodes-examples-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const examples = join(import.meta.dirname, '../../src/emulator/scenarios/examples');
  const body = async (file: string) => JSON.parse(await readFile(join(examples, file), 'utf8')).responses['200'].body;

  it.each([
    ['Microsoft.Network/VirtualNetworkGet.json', NETWORK_API],
    ['Microsoft.Network/VirtualNetworkGetWithSubnetDelegation.json', NETWORK_API],
    ['Microsoft.Network/SubnetGet.json', NETWORK_API],
    ['Microsoft.Network/SubnetGetWithDelegation.json', NETWORK_API],
    ['Microsoft.Network/SubnetCreateWithDelegation.json', NETWORK_API],
    ['Microsoft.ContainerService/ManagedClustersGet.json', AKS_API],
    ['Microsoft.ContainerService/ManagedClustersCreate_Update.json', AKS_API],
    ['Microsoft.ContainerService/ManagedClustersCreate_AzureKeyvaultSecretsProvider.json', AKS_API],
  ])('%s: GET returns the example body', async (file, apiVersion) => {
    const scenario = join(dir, `${file.replace(/\W/g, '-')}.yaml`);
    await writeFile(scenario, `extends: healthy\nresources:\n  - fromExample: ${file}\n`);
    const emu = await startEmulator({ scenario });
    try {
      const expected = await body(file);
      const got = await armGet(emu, expected.id, apiVersion);
      expect(got.status).toBe(200);
      if (file.startsWith('Microsoft.Network/')) {
        expect(got.body.etag).toMatch(/^W\/"[0-9a-f-]{36}"$/);
        expect(got.body).toEqual(withSharedEtag(expected, got.body.etag));
      } else {
        expect(got.body).toEqual(expected);
      }
    } finally {
      await emu.close();
    }
  });

  it('the AKS example (no vnetSubnetID, kubenet) gets its AKS-managed VNet in the node resource group', async () => {
    const scenario = join(dir, 'managed.yaml');
    await writeFile(
      scenario,
      'extends: healthy\nresources:\n  - fromExample: Microsoft.ContainerService/ManagedClustersGet.json\n',
    );
    const emu = await startEmulator({ scenario });
    try {
      const group = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MC_rg1_clustername1_location1';
      const vnets = await armGet(emu, `${group}/providers/Microsoft.Network/virtualNetworks`, NETWORK_API);
      expect(vnets.body.value).toHaveLength(1);
      const vnet = vnets.body.value[0];
      expect(vnet.name).toMatch(/^aks-vnet-\d{8}$/);
      expect(vnet.properties.addressSpace.addressPrefixes).toEqual(['10.224.0.0/12']);
      // kubenet: AKS puts a route table on the node subnet.
      expect(vnet.properties.subnets[0].properties).toMatchObject({
        addressPrefix: '10.224.0.0/16',
        routeTable: { id: expect.stringContaining('routetable') },
      });
    } finally {
      await emu.close();
    }
  });

  it('service association links and the delegations list load as they are', async () => {
    const scenario = join(dir, 'links.yaml');
    await writeFile(
      scenario,
      [
        'extends: healthy',
        'resources:',
        '  - fromExample: Microsoft.Network/VirtualNetworkGet.json',
        '  - id: /subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/test-vnet/subnets/subnet2',
        '    name: subnet2',
        '    properties: { addressPrefix: 10.0.2.0/24 }',
        '  - fromExample: Microsoft.Network/AvailableDelegationsSubscriptionGet.json',
      ].join('\n'),
    );
    const emu = await startEmulator({ scenario });
    try {
      const sal = (await body('Microsoft.Network/VirtualNetworkGetServiceAssociationLinks.json')).value[0];
      const link = {
        ...sal,
        id: sal.id.replace('virtualNetworks/vnet/subnets/subnet', 'virtualNetworks/test-vnet/subnets/subnet2'),
      };
      const file = join(dir, 'with-link.yaml');
      await writeFile(file, `extends: ${scenario}\nresources:\n  - ${JSON.stringify(link)}\n`);
      const withLink = await startEmulator({ scenario: file });
      try {
        const subnet2 =
          '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/test-vnet/subnets/subnet2';
        const listed = await armGet(withLink, `${subnet2}/ServiceAssociationLinks`, NETWORK_API);
        expect(listed.body.value).toEqual([link]);
        const got = await armGet(withLink, subnet2, NETWORK_API);
        expect(got.body.properties.serviceAssociationLinks).toEqual([link]);
      } finally {
        await withLink.close();
      }
    } finally {
      await emu.close();
    }
  });
});
