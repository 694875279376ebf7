// The emulated AKS managed cluster write path: create-or-update as a long-running operation with If-Match, the
// virtual-node add-on's validation and identity, read-only and secret fields, and the credentials it hands out.
import {
  ContainerServiceClient,
  type ManagedCluster,
  type ManagedClusterAddonProfile,
} from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { AKS_API, armGet, armRequest, NETWORK_API } from '../helpers/arm.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const CLUSTER = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo`;
const VNET = `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const NODE_RG = `${SUB}/resourceGroups/MC_rg-aks_aks-demo_eastus`;
const IDENTITY = `${SUB}/resourcegroups/MC_rg-aks_aks-demo_eastus/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aciconnectorlinux-aks-demo`;

const credential = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }),
});
const aks = (emu: Emulator) =>
  new ContainerServiceClient(credential(emu.token), emu.subscriptionId, {
    endpoint: emu.armEndpoint,
    tlsOptions: { ca: emu.caPem },
    updateIntervalInMs: 5,
  } as never);

/** The cluster as the SDK reads it, with the add-on turned on or off (what `vnodes enable` sends). */
async function withAddon(
  emu: Emulator,
  addon: Record<string, ManagedClusterAddonProfile>,
): Promise<{ cluster: ManagedCluster; etag: string }> {
  const cluster = await aks(emu).managedClusters.get('rg-aks', 'aks-demo');
  return { cluster: { ...cluster, addonProfiles: { ...cluster.addonProfiles, ...addon } }, etag: cluster.eTag! };
}

const subnet = (emu: Emulator, name: string, prefix: string) =>
  armRequest(emu, 'PUT', `${VNET}/subnets/${name}`, NETWORK_API, { properties: { addressPrefix: prefix } });

describe('emulator: managed cluster create-or-update (healthy)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      scenario: 'healthy',
      lroDelayMs: 5,
      principalPropagationMs: 0,
      connectorReconcileMs: 20,
    });
    expect((await subnet(emu, 'virtual-node-aci', '10.241.0.0/16')).status).toBe(201);
  });
  afterAll(() => emu.close());

  it('is a long-running operation announced with Azure-AsyncOperation, and every change gets a new eTag', async () => {
    const before = await armGet(emu, CLUSTER, AKS_API);
    const { id: _id, name: _n, type: _t, eTag: _e, ...body } = before.body;
    const put = await armRequest(emu, 'PUT', CLUSTER, AKS_API, { ...body, tags: { team: 'a' } });
    expect(put.status).toBe(200);
    expect(put.headers['azure-asyncoperation']).toMatch(
      /\/providers\/Microsoft\.ContainerService\/locations\/eastus\/operations\//,
    );
    expect(put.body.properties.provisioningState).toBe('Updating');
    expect(put.body.eTag).not.toBe(before.body.eTag);
    const status = await armGet(emu, new URL(String(put.headers['azure-asyncoperation'])).pathname, AKS_API);
    expect(status.body.status).toBe('Succeeded');
    const after = await armGet(emu, CLUSTER, AKS_API);
    expect(after.body).toMatchObject({ tags: { team: 'a' }, properties: { provisioningState: 'Succeeded' } });
    // Finishing the operation changed the body (provisioningState), so it changed the eTag: a bare GUID, as AKS sends.
    expect(after.body.eTag).not.toBe(put.body.eTag);
    expect(after.body.eTag).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.headers.etag).toBe(after.body.eTag);
  });

  it('answers a stale If-Match with 412 PreconditionFailed, and a re-read keeps the concurrent change', async () => {
    const client = aks(emu);
    const { cluster, etag } = await withAddon(emu, {});
    // Someone else changes the cluster between our GET and our PUT.
    await client.managedClusters.createOrUpdate(
      'rg-aks',
      'aks-demo',
      { ...cluster, tags: { owner: 'someone-else' } },
      { ifMatch: etag },
    );
    const stale = await client.managedClusters
      .createOrUpdate(
        'rg-aks',
        'aks-demo',
        { ...cluster, addonProfiles: { aciConnectorLinux: { enabled: false } } },
        { ifMatch: etag },
      )
      .then(
        () => undefined,
        (e: { statusCode?: number; code?: string }) => e,
      );
    expect(stale).toMatchObject({ statusCode: 412, code: 'PreconditionFailed' });
    const reread = await client.managedClusters.get('rg-aks', 'aks-demo');
    expect(reread.tags).toEqual({ owner: 'someone-else' });
    const done = await client.managedClusters.createOrUpdate(
      'rg-aks',
      'aks-demo',
      { ...reread, addonProfiles: { aciConnectorLinux: { enabled: false } } },
      { ifMatch: reread.eTag! },
    );
    expect(done.tags).toEqual({ owner: 'someone-else' });
    expect(done.eTag).not.toBe(reread.eTag);
  });

  it.each([
    ['no SubnetName', { enabled: true, config: {} }, 'InvalidParameter', /SubnetName/],
    [
      'a subnet that is not in the cluster VNet',
      { enabled: true, config: { SubnetName: 'nope' } },
      'GetSubnetError',
      /Could not find subnet nope in vnet aks-vnet from resource group rg-network of subscription 6f0c1f2e/,
    ],
  ])('rejects an add-on with %s (400 %s)', async (_what, profile, code, message) => {
    const { cluster } = await withAddon(emu, { aciConnectorLinux: profile });
    const { id: _id, ...body } = (await armGet(emu, CLUSTER, AKS_API)).body;
    const reply = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      ...body,
      properties: { ...body.properties, addonProfiles: cluster.addonProfiles },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code, target: 'AddonProfiles.ACIConnectorLinux' });
    expect(reply.body.error.message).toMatch(message);
  });

  it('enables the add-on whatever the casing of its key: identity in the node group, reported read-only, Contributor there', async () => {
    const { cluster, etag } = await withAddon(emu, {
      ACIConnectorLinux: {
        enabled: true,
        config: { subnetName: 'virtual-node-aci' },
        identity: { resourceId: '/forged', clientId: 'x', objectId: 'y' },
      } as ManagedClusterAddonProfile,
    });
    const { aciConnectorLinux: _drop, ...others } = cluster.addonProfiles ?? {};
    const done = await aks(emu).managedClusters.createOrUpdate(
      'rg-aks',
      'aks-demo',
      { ...cluster, addonProfiles: { ...others, ACIConnectorLinux: cluster.addonProfiles!.ACIConnectorLinux! } },
      { ifMatch: etag },
    );
    const addon = done.addonProfiles?.aciConnectorLinux;
    expect(addon).toMatchObject({ enabled: true, config: { subnetName: 'virtual-node-aci' } });
    expect(addon?.identity?.resourceId).toBe(IDENTITY);
    const identity = await armGet(emu, IDENTITY, '2023-01-31');
    expect(identity.status).toBe(200);
    expect(identity.body).toMatchObject({
      name: 'aciconnectorlinux-aks-demo',
      location: 'eastus',
      properties: { tenantId: emu.tenantId },
    });
    expect(identity.body.properties.principalId).toBe(addon?.identity?.objectId);
    expect(identity.body.properties.clientId).toBe(addon?.identity?.clientId);
    const grants = await armGet(
      emu,
      `${NODE_RG}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${addon?.identity?.objectId}'`)}`,
      '2022-04-01',
    );
    expect(
      grants.body.value.map((a: any) => [a.properties.scope, a.properties.roleDefinitionId.split('/').pop()]),
    ).toEqual([[NODE_RG, 'b24988ac-6180-42a0-ab88-20f7382dd24c']]);
  });

  it('keeps the identity when the add-on is disabled, and the same one comes back on re-enable', async () => {
    const first = (await aks(emu).managedClusters.get('rg-aks', 'aks-demo')).addonProfiles?.aciConnectorLinux?.identity
      ?.objectId;
    const off = await withAddon(emu, { aciConnectorLinux: { enabled: false } });
    await aks(emu).managedClusters.createOrUpdate('rg-aks', 'aks-demo', off.cluster, { ifMatch: off.etag });
    expect((await armGet(emu, IDENTITY, '2023-01-31')).status).toBe(200);
    // Sent raw, with a forged identity: the identity is read-only, so AKS ignores what the client says.
    const { id: _id, ...body } = (await armGet(emu, CLUSTER, AKS_API)).body;
    const forged = {
      enabled: true,
      config: { SubnetName: 'virtual-node-aci' },
      identity: { resourceId: '/forged', clientId: 'x', objectId: 'y' },
    };
    const put = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      ...body,
      properties: { ...body.properties, addonProfiles: { aciConnectorLinux: forged } },
    });
    expect(put.status).toBe(200);
    await armGet(emu, new URL(String(put.headers['azure-asyncoperation'])).pathname, AKS_API);
    const again = (await aks(emu).managedClusters.get('rg-aks', 'aks-demo')).addonProfiles?.aciConnectorLinux?.identity;
    expect(again).toEqual({ resourceId: IDENTITY, clientId: expect.any(String), objectId: first });
  });

  it('keeps read-only fields the SDK does not send back, and never returns a service principal secret', async () => {
    const { id: _id, ...body } = (await armGet(emu, CLUSTER, AKS_API)).body;
    const { fqdn: _f, powerState: _p, identityProfile: _i, ...writable } = body.properties;
    const put = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      ...body,
      properties: { ...writable, servicePrincipalProfile: { clientId: 'msi', secret: 'hunter2' } },
    });
    expect(put.status).toBe(200);
    const after = (await armGet(emu, CLUSTER, AKS_API)).body.properties;
    expect(after).toMatchObject({
      fqdn: 'aks-demo-rg-aks-6f0c1f-x7k2m9qd.hcp.eastus.azmk8s.io',
      powerState: { code: 'Running' },
      servicePrincipalProfile: { clientId: 'msi' },
    });
    expect(after.servicePrincipalProfile.secret).toBeUndefined();
    expect(after.identityProfile.kubeletidentity.objectId).toBe('7f3e1b9d-4a2c-4d6e-8b0f-1a3c5e7d9b2f');
  });

  it('hands out user and admin kubeconfigs for the cluster API server, which client-node can use', async () => {
    const user = await aks(emu).managedClusters.listClusterUserCredentials('rg-aks', 'aks-demo');
    expect(user.kubeconfigs?.[0]?.name).toBe('clusterUser');
    const text = Buffer.from(user.kubeconfigs![0]!.value!).toString('utf8');
    const kc = new KubeConfig();
    kc.loadFromString(text);
    expect(kc.getCurrentContext()).toBe('aks-demo');
    expect(kc.getCurrentUser()?.name).toBe('clusterUser_rg-aks_aks-demo');
    expect(kc.getCurrentCluster()?.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toContain('aks-nodepool1-54654473-vmss000000');
    const admin = await aks(emu).managedClusters.listClusterAdminCredentials('rg-aks', 'aks-demo');
    expect(admin.kubeconfigs?.[0]?.name).toBe('clusterAdmin');
    expect(emu.requests.count({ operation: 'ManagedClusters_ListClusterUserCredentials' })).toBe(1);
    expect((await emu.kube()).url).toBe(kc.getCurrentCluster()?.server);
  });
});

describe('emulator: managed clusters created at run time', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 5 });
    return () => emu.close();
  });

  it('gives a new cluster an API server host name, a system identity and its own Kubernetes API', async () => {
    const created = await aks(emu).managedClusters.createOrUpdate('rg-aks', 'second', {
      location: 'East US',
      identity: { type: 'SystemAssigned' },
      dnsPrefix: 'second',
      agentPoolProfiles: [{ name: 'pool1', count: 1, vmSize: 'Standard_D2s_v5', mode: 'System' }],
      networkProfile: { networkPlugin: 'kubenet' },
    });
    expect(created.fqdn).toMatch(/^second-[0-9a-f]{8}\.hcp\.eastus\.azmk8s\.io$/);
    expect(created.identity?.principalId).toMatch(/^[0-9a-f-]{36}$/);
    const api = await emu.kube('SECOND');
    expect(api.store.list('nodes').items.map((n) => n.metadata.name)).toEqual([
      expect.stringMatching(/^aks-pool1-\d{8}-vmss000000$/),
    ]);
    expect((await emu.kube('aks-demo')).url).not.toBe(api.url);
  });

  it('refuses the add-on on a kubenet cluster as AKS does (ACIConnectorRequiresAzureNetworking)', async () => {
    const reply = await armRequest(
      emu,
      'PUT',
      `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/kn`,
      AKS_API,
      {
        location: 'eastus',
        properties: {
          dnsPrefix: 'kn',
          networkProfile: { networkPlugin: 'kubenet' },
          addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'x' } } },
        },
      },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({
      code: 'ACIConnectorRequiresAzureNetworking',
      message: 'ACI Connector requires azure network plugin',
      target: 'AddonProfiles.ACIConnectorLinux',
    });
  });
});

describe('emulator: AKS does not re-create what was removed while the add-on stays on', () => {
  const GRANT = `${NODE_RG}/providers/Microsoft.Authorization/roleAssignments/7c2e4a6b-9d1f-4e3a-8b5c-0d2f4a6c8e1b`;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 5, principalPropagationMs: 0 });
  });
  afterAll(() => emu.close());

  it('a deleted identity and a removed grant stay gone across updates; disable + enable brings both back', async () => {
    const old = (await aks(emu).managedClusters.get('rg-aks', 'aks-demo')).addonProfiles?.aciConnectorLinux?.identity;
    expect((await armRequest(emu, 'DELETE', IDENTITY, '2023-01-31')).status).toBe(200);
    expect((await armRequest(emu, 'DELETE', GRANT, '2022-04-01')).status).toBe(200);
    const update = await withAddon(emu, {});
    await aks(emu).managedClusters.beginCreateOrUpdateAndWait(
      'rg-aks',
      'aks-demo',
      { ...update.cluster, tags: { touched: 'yes' } },
      { ifMatch: update.etag },
    );
    const still = (await aks(emu).managedClusters.get('rg-aks', 'aks-demo')).addonProfiles?.aciConnectorLinux;
    expect(still?.identity).toEqual(old);
    expect((await armGet(emu, IDENTITY, '2023-01-31')).status).toBe(404);
    expect((await armGet(emu, GRANT, '2022-04-01')).status).toBe(404);

    const off = await withAddon(emu, { aciConnectorLinux: { enabled: false } });
    await aks(emu).managedClusters.beginCreateOrUpdateAndWait('rg-aks', 'aks-demo', off.cluster);
    const on = await withAddon(emu, {
      aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } },
    });
    await aks(emu).managedClusters.beginCreateOrUpdateAndWait('rg-aks', 'aks-demo', on.cluster);
    const fresh = (await aks(emu).managedClusters.get('rg-aks', 'aks-demo')).addonProfiles?.aciConnectorLinux;
    expect((await armGet(emu, IDENTITY, '2023-01-31')).body.properties.principalId).toBe(fresh?.identity?.objectId);
    const grants = await armGet(
      emu,
      `${NODE_RG}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${fresh?.identity?.objectId}'`)}`,
      '2022-04-01',
    );
    expect(
      grants.body.value.map((a: { properties: { roleDefinitionId: string } }) => a.properties.roleDefinitionId),
    ).toEqual([expect.stringMatching(/b24988ac-6180-42a0-ab88-20f7382dd24c$/)]);
  });
});
