// Where the emulator used to differ from Azure, each checked over real HTTPS: Network's one ETag per VNet, AKS's
// bare-GUID eTags, the busy codes of each provider, role assignment updates and deletes.
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { AKS_API, armGet, armRequest, NETWORK_API } from '../helpers/arm.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const VNET = `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const CLUSTER = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo`;
const AUTHZ_API = '2022-04-01';
const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const NETWORK_CONTRIBUTOR = '4d97b98b-1d4f-4787-a291-c67834d212e7';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const KUBELET = '7f3e1b9d-4a2c-4d6e-8b0f-1a3c5e7d9b2f';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const subnet = (emu: Emulator, name: string, prefix: string, headers: Record<string, string> = {}) =>
  armRequest(emu, 'PUT', `${VNET}/subnets/${name}`, NETWORK_API, { properties: { addressPrefix: prefix } }, headers);

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('emulator parity: ETags', () => {
  it('shares one ETag across a VNet and its subnets: a subnet write changes the VNet and every sibling', async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 0 });
    const vnet = await armGet(emu, VNET, NETWORK_API);
    // Scenario subnets loaded without an etag have one, the VNet's.
    expect(vnet.body.etag).toMatch(/^W\/"[0-9a-f-]{36}"$/);
    for (const s of vnet.body.properties.subnets) expect(s.etag).toBe(vnet.body.etag);
    const sibling = await armGet(emu, `${VNET}/subnets/aks-subnet`, NETWORK_API);
    expect([sibling.body.etag, sibling.headers.etag]).toEqual([vnet.body.etag, vnet.body.etag]);

    expect((await subnet(emu, 'other', '10.241.0.0/24')).status).toBe(201);
    const after = await armGet(emu, VNET, NETWORK_API);
    expect(after.body.etag).not.toBe(vnet.body.etag);
    for (const s of after.body.properties.subnets) expect(s.etag).toBe(after.body.etag);
    // An If-Match with the sibling's old etag now fails, as it does on Azure.
    const stale = await armRequest(emu, 'PUT', `${VNET}/subnets/aks-subnet`, NETWORK_API, sibling.body, {
      'If-Match': sibling.body.etag,
    });
    expect([stale.status, stale.body.error.code]).toEqual([412, 'PreconditionFailed']);
    // Removing a subnet changes the rest too.
    expect((await armRequest(emu, 'DELETE', `${VNET}/subnets/other`, NETWORK_API)).status).toBe(202);
    await armGet(emu, VNET, NETWORK_API); // settles the delete
    const gone = await armGet(emu, VNET, NETWORK_API);
    expect(gone.body.etag).not.toBe(after.body.etag);
    expect(gone.body.properties.subnets.map((s: any) => s.etag)).toEqual([gone.body.etag]);
  });

  it('gives a new ETag when a long-running operation finishes; AKS eTags are bare GUIDs and change with the add-on identity', async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 0, principalPropagationMs: 0 });
    const made = await subnet(emu, 'virtual-node-aci', '10.241.0.0/24');
    const settled = await armGet(emu, `${VNET}/subnets/virtual-node-aci`, NETWORK_API);
    expect(settled.body.properties.provisioningState).toBe('Succeeded');
    expect(settled.body.etag).not.toBe(made.body.etag);

    const before = await armGet(emu, CLUSTER, AKS_API);
    const { properties } = before.body;
    const addonProfiles = { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } } };
    const put = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      location: before.body.location,
      properties: { ...properties, addonProfiles },
    });
    expect(put.status).toBe(200);
    expect(put.body.eTag).toMatch(/^[0-9a-f-]{36}$/);
    expect(put.headers.etag).toBe(put.body.eTag);
    const after = await armGet(emu, CLUSTER, AKS_API);
    expect(after.body.properties.addonProfiles.aciConnectorLinux.identity?.objectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.body.eTag).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.body.eTag).not.toBe(put.body.eTag);
    expect(after.headers.etag).toBe(after.body.eTag);
  });
});

describe('emulator parity: operations in progress', () => {
  it('refuses a cluster write while another runs with AKS OperationNotAllowed', async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 2000 });
    const { body } = await armGet(emu, CLUSTER, AKS_API);
    const first = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      location: body.location,
      properties: body.properties,
      tags: { a: '1' },
    });
    expect(first.status).toBe(200);
    const second = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      location: body.location,
      properties: body.properties,
      tags: { a: '2' },
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toEqual({
      code: 'OperationNotAllowed',
      message:
        'Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details',
    });
  });

  it('refuses a subnet write while its VNet is being written, and a VNet write while a subnet is (AnotherOperationInProgress); Network says Updating on create', async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 300 });
    const created = await subnet(emu, 'a', '10.241.0.0/24');
    expect([created.status, created.body.properties.provisioningState]).toEqual([201, 'Updating']);
    const vnet = await armGet(emu, VNET, NETWORK_API);
    const vnetWrite = await armRequest(emu, 'PUT', VNET, NETWORK_API, vnet.body);
    expect([vnetWrite.status, vnetWrite.body.error.code]).toEqual([409, 'AnotherOperationInProgress']);
    const siblingWrite = await subnet(emu, 'b', '10.242.0.0/24');
    expect([siblingWrite.status, siblingWrite.body.error.code]).toEqual([409, 'AnotherOperationInProgress']);
    await sleep(350);

    const now = await armGet(emu, VNET, NETWORK_API);
    const rewrite = await armRequest(emu, 'PUT', VNET, NETWORK_API, now.body);
    expect(rewrite.status).toBe(200);
    const during = await subnet(emu, 'c', '10.243.0.0/24');
    expect([during.status, during.body.error.code]).toEqual([409, 'AnotherOperationInProgress']);
  });
});

describe('emulator parity: role assignments', () => {
  it('refuses another role under the same name (RoleAssignmentUpdateNotPermitted); DELETE answers 200 with the assignment', async () => {
    emu = await startEmulator({ scenario: 'healthy', principalPropagationMs: 0 });
    const id = `${VNET}/subnets/aks-subnet/providers/Microsoft.Authorization/roleAssignments/0f1e2d3c-4b5a-4978-8877-665544332299`;
    const properties = {
      roleDefinitionId: roleId(NETWORK_CONTRIBUTOR),
      principalId: KUBELET,
      principalType: 'ServicePrincipal',
    };
    expect((await armRequest(emu, 'PUT', id, AUTHZ_API, { properties })).status).toBe(201);
    expect((await armRequest(emu, 'PUT', id, AUTHZ_API, { properties })).status).toBe(200);
    const other = await armRequest(emu, 'PUT', id, AUTHZ_API, {
      properties: { ...properties, roleDefinitionId: roleId(READER) },
    });
    expect([other.status, other.body.error]).toEqual([
      400,
      {
        code: 'RoleAssignmentUpdateNotPermitted',
        message: 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
      },
    ]);
    const deleted = await armRequest(emu, 'DELETE', id, AUTHZ_API);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({
      id,
      properties: { principalId: KUBELET, roleDefinitionId: roleId(NETWORK_CONTRIBUTOR) },
    });
    expect((await armRequest(emu, 'DELETE', id, AUTHZ_API)).status).toBe(204);
  });
});
