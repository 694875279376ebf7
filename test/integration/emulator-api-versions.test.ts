import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareApiVersions } from '../../src/emulator/arm/api-versions.js';
import { keepUnexpressible, shapeForVersion } from '../../src/emulator/arm/versioned-fields.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { armGet, armRequest } from '../helpers/arm.js';

const CLUSTER =
  '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo';
const MC = 'Microsoft.ContainerService/managedClusters';

describe('api-version ordering and shapes', () => {
  it.each([
    ['2022-11-01', '2022-11-01', 0],
    ['2022-11-01', '2022-11-02-preview', -1],
    ['2022-11-01-preview', '2022-11-01', -1],
    ['2018-09-01-preview', '2018-01-01-preview', 1],
    ['2026-04-01', '2022-11-01', 1],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareApiVersions(a, b))).toBe(sign);
  });

  it('leaves out what an older version does not have, arrays included', () => {
    const body = {
      properties: {
        supportPlan: 'AKSLongTermSupport',
        networkProfile: { networkPlugin: 'azure', networkDataplane: 'cilium' },
      },
    };
    expect(shapeForVersion(MC, body, '2022-11-01')).toEqual({
      properties: { networkProfile: { networkPlugin: 'azure' } },
    });
    expect(shapeForVersion(MC, body, '2026-04-01')).toBe(body);
    const role = {
      properties: { permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }] },
    };
    expect(shapeForVersion('Microsoft.Authorization/roleDefinitions', role, '2015-07-01')).toEqual({
      properties: { permissions: [{ actions: ['*'], notActions: [] }] },
    });
  });

  it('keeps on a PUT the stored fields its version cannot express, and only those', () => {
    const stored = {
      properties: {
        supportPlan: 'AKSLongTermSupport',
        dnsPrefix: 'a',
        networkProfile: { networkDataplane: 'cilium', networkPlugin: 'azure' },
      },
    };
    const sent = { properties: { networkProfile: { networkPlugin: 'azure' } } };
    expect(keepUnexpressible(MC, sent, stored, '2022-11-01')).toEqual({
      properties: {
        supportPlan: 'AKSLongTermSupport',
        networkProfile: { networkPlugin: 'azure', networkDataplane: 'cilium' },
      },
    });
    expect(keepUnexpressible(MC, sent, stored, '2026-04-01')).toBe(sent);
  });
});

describe('emulator answers each api-version in its shape', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 10 });
  });
  afterAll(() => emu.close());

  it('serves the cluster at the Azure CLI 2.45 version without newer fields, and keeps them across its PUT', async () => {
    const old = await armGet(emu, CLUSTER, '2022-11-01');
    expect(old.status).toBe(200);
    expect(old.body.properties).not.toHaveProperty('supportPlan');
    expect(old.body.properties.networkProfile).not.toHaveProperty('networkDataplane');
    const put = await armRequest(
      emu,
      'PUT',
      CLUSTER,
      '2022-11-01',
      { location: old.body.location, properties: { ...old.body.properties, addonProfiles: {} } },
      { 'if-match': old.headers.etag as string },
    );
    expect(put.status).toBe(200);
    expect(put.body.properties).not.toHaveProperty('supportPlan');
    const current = await armGet(emu, CLUSTER, '2026-04-01');
    expect(current.body.properties).toMatchObject({
      supportPlan: 'KubernetesOfficial',
      networkProfile: { networkDataplane: 'azure' },
    });
  });

  it('shapes subscriptions and tenants by version', async () => {
    const old = await armGet(emu, '/subscriptions', '2016-06-01');
    expect(old.body.value[0]).not.toHaveProperty('tenantId');
    expect((await armGet(emu, '/subscriptions', '2019-11-01')).body.value[0]).toMatchObject({
      tenantId: emu.tenantId,
      managedByTenants: [],
    });
    expect((await armGet(emu, '/tenants', '2016-06-01')).body.value[0]).toEqual({
      id: `/tenants/${emu.tenantId}`,
      tenantId: emu.tenantId,
    });
  });
});
