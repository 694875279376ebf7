// Container groups in a subnet, as ACI and Network treat them: the subnet must exist and be delegated to ACI, the
// group puts ACI's service association link on it, and the link keeps the subnet (and its delegation) in place
// until the last group in it is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { armGet, armRequest, NETWORK_API } from '../helpers/arm.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const VNET = `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const GROUPS = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerInstance/containerGroups`;
const ACI_API = '2023-05-01';
const DELEGATION = [{ name: 'aci', properties: { serviceName: 'Microsoft.ContainerInstance/containerGroups' } }];

const group = (subnetId: string) => ({
  location: 'eastus',
  properties: {
    osType: 'Linux',
    containers: [
      {
        name: 'app',
        properties: { image: 'nginx:1.27', ports: [{ port: 80 }], resources: { requests: { cpu: 1, memoryInGB: 1 } } },
      },
    ],
    ipAddress: { type: 'Private', ports: [{ port: 80 }] },
    subnetIds: [{ id: subnetId }],
  },
});

/** PUTs a subnet and waits for its operation. */
async function putSubnet(emu: Emulator, name: string, properties: Record<string, unknown>) {
  const r = await armRequest(emu, 'PUT', `${VNET}/subnets/${name}`, NETWORK_API, { properties });
  await armGet(emu, `${VNET}/subnets/${name}`, NETWORK_API);
  return r;
}

const links = async (emu: Emulator, name: string): Promise<string[]> =>
  ((await armGet(emu, `${VNET}/subnets/${name}`, NETWORK_API)).body.properties.serviceAssociationLinks ?? []).map(
    (l: { name: string }) => l.name,
  );

describe('emulator: container groups in a subnet', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 0 });
  });
  afterAll(() => emu.close());

  it('refuses a subnet that does not exist or is not delegated to ACI', async () => {
    const missing = await armRequest(emu, 'PUT', `${GROUPS}/cg-missing`, ACI_API, group(`${VNET}/subnets/nowhere`));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('SubnetNotFound');
    expect((await putSubnet(emu, 'plain', { addressPrefix: '10.242.0.0/24' })).status).toBeLessThan(300);
    const plain = await armRequest(emu, 'PUT', `${GROUPS}/cg-plain`, ACI_API, group(`${VNET}/subnets/plain`));
    expect(plain.status).toBe(400);
    expect(plain.body.error).toMatchObject({
      code: 'SubnetMissingRequiredDelegation',
      message: expect.stringContaining("delegation 'Microsoft.ContainerInstance' for container group 'cg-plain'"),
    });
  });

  it('links the subnet (acisal): deleting it or dropping its delegation is refused until the last group is deleted', async () => {
    await putSubnet(emu, 'aci', { addressPrefix: '10.243.0.0/24', delegations: DELEGATION });
    for (const name of ['cg-1', 'cg-2'])
      expect((await armRequest(emu, 'PUT', `${GROUPS}/${name}`, ACI_API, group(`${VNET}/subnets/aci`))).status).toBe(
        201,
      );
    expect(await links(emu, 'aci')).toEqual(['acisal']);
    const sal = (await armGet(emu, `${VNET}/subnets/aci/serviceAssociationLinks`, NETWORK_API)).body.value;
    expect(sal).toEqual([
      expect.objectContaining({
        name: 'acisal',
        properties: expect.objectContaining({ linkedResourceType: 'Microsoft.ContainerInstance/containerGroups' }),
      }),
    ]);

    const del = await armRequest(emu, 'DELETE', `${VNET}/subnets/aci`, NETWORK_API);
    expect(del.status).toBe(400);
    expect(del.body.error.code).toBe('InUseSubnetCannotBeDeleted');
    const undelegate = await armRequest(emu, 'PUT', `${VNET}/subnets/aci`, NETWORK_API, {
      properties: { addressPrefix: '10.243.0.0/24', delegations: [] },
    });
    expect(undelegate.status).toBe(400);
    expect(undelegate.body.error.code).toBe('SubnetMissingRequiredDelegation');

    await armRequest(emu, 'DELETE', `${GROUPS}/cg-1`, ACI_API);
    expect(await links(emu, 'aci')).toEqual(['acisal']);
    await armRequest(emu, 'DELETE', `${GROUPS}/cg-2`, ACI_API);
    expect(await links(emu, 'aci')).toEqual([]);
    expect((await armRequest(emu, 'DELETE', `${VNET}/subnets/aci`, NETWORK_API)).status).toBe(202);
  });
});

describe('emulator: ACI lets go of a subnet late (serviceAssociationLinkReleaseMs)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 0, serviceAssociationLinkReleaseMs: 300 });
  });
  afterAll(() => emu.close());

  it('keeps the link for the configured time after the last group is deleted', async () => {
    await putSubnet(emu, 'aci', { addressPrefix: '10.243.0.0/24', delegations: DELEGATION });
    await armRequest(emu, 'PUT', `${GROUPS}/cg-1`, ACI_API, group(`${VNET}/subnets/aci`));
    await armRequest(emu, 'DELETE', `${GROUPS}/cg-1`, ACI_API);
    expect(await links(emu, 'aci')).toEqual(['acisal']);
    expect((await armRequest(emu, 'DELETE', `${VNET}/subnets/aci`, NETWORK_API)).body.error.code).toBe(
      'InUseSubnetCannotBeDeleted',
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(await links(emu, 'aci')).toEqual([]);
  });
});
