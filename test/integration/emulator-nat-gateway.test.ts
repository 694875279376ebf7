// Microsoft.Network/natGateways through @azure/arm-network: `properties.subnets` is read-only and lists the subnets
// that reference the gateway, composed from the subnets as Network does (learn.microsoft.com/javascript/api/
// @azure/arm-network/natgateway: "An array of references to the subnets using this nat gateway resource").
import { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const NET = `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network`;
const NAT = `${NET}/natGateways/aks-natgw`;
const AKS_SUBNET = `${NET}/virtualNetworks/aks-vnet/subnets/aks-subnet`;

const credential = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }),
});

describe('emulator: NAT gateways list the subnets that use them', () => {
  let emu: Emulator;
  let network: NetworkManagementClient;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 5 });
    network = new NetworkManagementClient(credential(emu.token), emu.subscriptionId, {
      endpoint: emu.armEndpoint,
      tlsOptions: { ca: emu.caPem },
      updateIntervalInMs: 5,
    } as never);
  });
  afterAll(() => emu.close());

  const ids = (subnets: { id?: string }[] | undefined) => (subnets ?? []).map((s) => s.id);

  it("GET shows the scenario's node subnet under properties.subnets, and so does the list", async () => {
    const nat = await network.natGateways.get('rg-network', 'aks-natgw');
    expect(ids(nat.subnets)).toEqual([AKS_SUBNET]);
    expect(nat.publicIpAddresses).toHaveLength(1);
    const listed = [];
    for await (const n of network.natGateways.list('rg-network')) listed.push(n);
    expect(listed.find((n) => n.name === 'aks-natgw')?.subnets?.map((s) => s.id)).toEqual([AKS_SUBNET]);
  });

  it('follows the subnets: one that attaches the gateway appears, and drops out when it detaches', async () => {
    const attached = await network.subnets.beginCreateOrUpdateAndWait('rg-network', 'aks-vnet', 'egress', {
      addressPrefix: '10.243.0.0/24',
      natGateway: { id: NAT },
    });
    expect(ids((await network.natGateways.get('rg-network', 'aks-natgw')).subnets)).toEqual([AKS_SUBNET, attached.id]);
    await network.subnets.beginCreateOrUpdateAndWait('rg-network', 'aks-vnet', 'egress', {
      addressPrefix: '10.243.0.0/24',
    });
    expect(ids((await network.natGateways.get('rg-network', 'aks-natgw')).subnets)).toEqual([AKS_SUBNET]);
  });

  it("ignores a PUT's own subnets (read-only), and a gateway no subnet uses has none", async () => {
    const created = await network.natGateways.beginCreateOrUpdateAndWait('rg-network', 'spare-natgw', {
      location: 'eastus',
      sku: { name: 'Standard' },
      subnets: [{ id: AKS_SUBNET }],
    });
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.subnets ?? []).toEqual([]);
    expect((await network.natGateways.get('rg-network', 'spare-natgw')).subnets ?? []).toEqual([]);
  });
});
