// The emulated Microsoft.Authorization: built-in role definitions, role assignments at any scope with ARM's codes,
// list filters and inheritance, and the directory's replication delay for new identities (PrincipalNotFound).
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { AKS_API, armGet, armRequest } from '../helpers/arm.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const RG = `${SUB}/resourceGroups/rg-network`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const SUBNET = `${VNET}/subnets/aks-subnet`;
const CLUSTER = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo`;
const KUBELET = '7f3e1b9d-4a2c-4d6e-8b0f-1a3c5e7d9b2f';
const NETWORK_CONTRIBUTOR = '4d97b98b-1d4f-4787-a291-c67834d212e7';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

const credential = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }),
});
const authz = (emu: Emulator) =>
  new AuthorizationManagementClient(credential(emu.token), emu.subscriptionId, {
    endpoint: emu.armEndpoint,
    tlsOptions: { ca: emu.caPem },
    retryOptions: { maxRetries: 0 },
  } as never);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The ARM error of a failing SDK call. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { statusCode?: number; code?: string; message?: string }) => ({
      status: e.statusCode,
      code: e.code,
      message: e.message,
    }),
  );

const assignment = (principalId: string, guid = NETWORK_CONTRIBUTOR, principalType?: string) => ({
  roleDefinitionId: roleId(guid),
  principalId,
  ...(principalType === undefined ? {} : { principalType }),
});

describe('emulator: role definitions and assignments (healthy)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', principalPropagationMs: 0 });
  });
  afterAll(() => emu.close());

  it('serves the built-in roles at any scope, by id and by roleName filter, with their permissions', async () => {
    const byId = await authz(emu).roleDefinitions.getById(roleId(NETWORK_CONTRIBUTOR));
    expect(byId).toMatchObject({
      roleName: 'Network Contributor',
      roleType: 'BuiltInRole',
      id: roleId(NETWORK_CONTRIBUTOR),
    });
    expect(byId.permissions?.[0]?.actions).toContain('Microsoft.Network/*');
    const atSubnet = await authz(emu).roleDefinitions.get(SUBNET, 'b24988ac-6180-42a0-ab88-20f7382dd24c');
    expect(atSubnet).toMatchObject({ roleName: 'Contributor', id: roleId('b24988ac-6180-42a0-ab88-20f7382dd24c') });
    expect(atSubnet.permissions?.[0]?.notActions).toContain('Microsoft.Authorization/*/Write');
    const listed = await collect(authz(emu).roleDefinitions.list(VNET, { filter: "roleName eq 'Reader'" }));
    expect(listed.map((r) => [r.name, r.permissions?.[0]?.actions])).toEqual([[READER, ['*/read']]]);
    expect(
      await failure(authz(emu).roleDefinitions.getById(roleId('00000000-0000-0000-0000-000000000000'))),
    ).toMatchObject({ status: 404, code: 'RoleDefinitionDoesNotExist' });
  });

  it('creates, reads and deletes an assignment on a subnet; the same PUT again succeeds; a twin is 409 RoleAssignmentExists', async () => {
    const name = '0f1e2d3c-4b5a-4978-8877-665544332211';
    const created = await authz(emu).roleAssignments.create(
      SUBNET,
      name,
      assignment(KUBELET, NETWORK_CONTRIBUTOR, 'ServicePrincipal'),
    );
    expect(created).toMatchObject({
      name,
      scope: SUBNET,
      principalId: KUBELET,
      principalType: 'ServicePrincipal',
      roleDefinitionId: roleId(NETWORK_CONTRIBUTOR),
    });
    expect(created.id).toBe(`${SUBNET}/providers/Microsoft.Authorization/roleAssignments/${name}`);
    const again = await armRequest(emu, 'PUT', created.id!, '2022-04-01', { properties: assignment(KUBELET) });
    expect(again.status).toBe(200);
    expect(again.body.properties.createdOn).toBe(created.createdOn!.toISOString());
    const twin = await failure(
      authz(emu).roleAssignments.create(SUBNET, '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', assignment(KUBELET)),
    );
    expect(twin).toEqual({ status: 409, code: 'RoleAssignmentExists', message: 'The role assignment already exists.' });
    const other = await failure(
      authz(emu).roleAssignments.create(SUBNET, name, assignment('0e4f6a2b-7c1d-4e8f-9a3b-5c6d7e8f9a0b')),
    );
    expect(other).toMatchObject({ status: 400, code: 'RoleAssignmentUpdateNotPermitted' });
    expect((await authz(emu).roleAssignments.get(SUBNET, name)).principalId).toBe(KUBELET);
    const removed = await armRequest(emu, 'DELETE', created.id!, '2022-04-01');
    expect(removed.status).toBe(200);
    expect(await failure(authz(emu).roleAssignments.get(SUBNET, name))).toMatchObject({
      status: 404,
      code: 'RoleAssignmentNotFound',
    });
    expect((await armRequest(emu, 'DELETE', created.id!, '2022-04-01')).status).toBe(204);
  });

  it.each([
    ['a name that is not a GUID', 'not-a-guid', assignment(KUBELET), 'InvalidRoleAssignmentId'],
    [
      'a role that does not exist',
      '1a2b3c4d-0000-4000-8000-000000000001',
      assignment(KUBELET, '11111111-2222-3333-4444-555555555555'),
      'RoleDefinitionDoesNotExist',
    ],
    [
      'no principal',
      '1a2b3c4d-0000-4000-8000-000000000002',
      { roleDefinitionId: roleId(READER) },
      'InvalidPrincipalId',
    ],
    [
      'a principal the directory does not know, without principalType',
      '1a2b3c4d-0000-4000-8000-000000000003',
      assignment('12345678-1234-4234-8234-123456789abc'),
      'PrincipalNotFound',
    ],
    [
      'a managed identity declared as a User',
      '1a2b3c4d-0000-4000-8000-000000000004',
      assignment(KUBELET, READER, 'User'),
      'UnmatchedPrincipalType',
    ],
  ])('refuses %s (400 %s)', async (_what, name, properties, code) => {
    const reply = await armRequest(
      emu,
      'PUT',
      `${RG}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      '2022-04-01',
      { properties },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
  });

  it('lists what applies to a scope: inherited from above, and below unless atScope(); filtered by principal', async () => {
    const put = (scope: string, name: string, principalId: string, guid = READER) =>
      authz(emu).roleAssignments.create(scope, name, assignment(principalId, guid, 'ServicePrincipal'));
    const other = '0e4f6a2b-7c1d-4e8f-9a3b-5c6d7e8f9a0b';
    await put(SUB, 'a0000000-0000-4000-8000-000000000001', other);
    await put(RG, 'a0000000-0000-4000-8000-000000000002', KUBELET);
    await put(VNET, 'a0000000-0000-4000-8000-000000000003', KUBELET, NETWORK_CONTRIBUTOR);
    await put(SUBNET, 'a0000000-0000-4000-8000-000000000004', other, NETWORK_CONTRIBUTOR);
    const names = async (scope: string, filter?: string) =>
      (await collect(authz(emu).roleAssignments.listForScope(scope, filter === undefined ? {} : { filter })))
        .map((a) => a.name!.slice(-1))
        .sort()
        .join('');
    expect(await names(VNET)).toBe('1234');
    expect(await names(VNET, 'atScope()')).toBe('123');
    expect(await names(SUBNET, 'atScope()')).toBe('1234');
    expect(await names(SUBNET, `principalId eq '${KUBELET}'`)).toBe('23');
    expect(await names(SUB, `assignedTo('${other}')`)).toBe('14');
    expect(await names(SUBNET, `atScope() and assignedTo('${other}')`)).toBe('14');
    const bad = await armGet(
      emu,
      `${VNET}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent("roleName eq 'x'")}`,
      '2022-04-01',
    );
    expect(bad.status).toBe(400);
  });
});

describe('emulator: a new identity is unknown to role assignments for principalPropagationMs', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 5, principalPropagationMs: 400 });
    await armRequest(emu, 'PUT', `${VNET}/subnets/virtual-node-aci`, '2026-01-01', {
      properties: { addressPrefix: '10.241.0.0/16' },
    });
  });
  afterAll(() => emu.close());

  it('answers PrincipalNotFound with Azure text until the directory has caught up, even with principalType', async () => {
    const { id: _id, ...body } = (await armGet(emu, CLUSTER, AKS_API)).body;
    const addonProfiles = { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } } };
    const put = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      ...body,
      properties: { ...body.properties, addonProfiles },
    });
    await armGet(emu, new URL(String(put.headers['azure-asyncoperation'])).pathname, AKS_API);
    const objectId: string = (await armGet(emu, CLUSTER, AKS_API)).body.properties.addonProfiles.aciConnectorLinux
      .identity.objectId;
    const scope = `${VNET}/subnets/virtual-node-aci`;
    const early = await failure(
      authz(emu).roleAssignments.create(
        scope,
        'b0000000-0000-4000-8000-000000000001',
        assignment(objectId, NETWORK_CONTRIBUTOR, 'ServicePrincipal'),
      ),
    );
    expect(early).toMatchObject({ status: 400, code: 'PrincipalNotFound' });
    expect(early?.message).toBe(
      `Principal ${objectId.replace(/-/g, '')} does not exist in the directory ${emu.tenantId}. Check that you have the correct principal ID. ` +
        'If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. ' +
        'In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype',
    );
    await new Promise((r) => setTimeout(r, 450));
    const later = await authz(emu).roleAssignments.create(
      scope,
      'b0000000-0000-4000-8000-000000000001',
      assignment(objectId, NETWORK_CONTRIBUTOR, 'ServicePrincipal'),
    );
    expect(later.principalId).toBe(objectId);
  });

  it('lets principalType skip the lookup when asked to (principalTypeSkipsLookup), as Azure documents', async () => {
    const docs = await startEmulator({ scenario: 'healthy', principalTypeSkipsLookup: true });
    try {
      const stranger = '99999999-8888-4777-8666-555555555555';
      const ok = await authz(docs).roleAssignments.create(
        RG,
        'c0000000-0000-4000-8000-000000000001',
        assignment(stranger, READER, 'ServicePrincipal'),
      );
      expect(ok.principalType).toBe('ServicePrincipal');
    } finally {
      await docs.close();
    }
  });
});
