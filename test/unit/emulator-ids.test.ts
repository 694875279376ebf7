import { describe, expect, it } from 'vitest';
import { idKey, parseArmPath, qualifiedName } from '../../src/emulator/arm/ids.js';

const rg = '/subscriptions/s1/resourceGroups/rg1';
const vnet = `${rg}/providers/Microsoft.Network/virtualNetworks/v1`;

describe('parseArmPath', () => {
  it.each([
    ['/subscriptions', { resourceType: 'Microsoft.Resources/subscriptions', name: undefined, parentId: '' }],
    ['/subscriptions/s1', { resourceType: 'Microsoft.Resources/subscriptions', name: 's1', subscriptionId: 's1' }],
    [
      '/subscriptions/s1/resourcegroups',
      { resourceType: 'Microsoft.Resources/resourceGroups', name: undefined, parentId: '/subscriptions/s1' },
    ],
    [
      rg,
      {
        resourceType: 'Microsoft.Resources/resourceGroups',
        name: 'rg1',
        resourceGroup: 'rg1',
        parentId: '/subscriptions/s1',
      },
    ],
    ['/subscriptions/s1/providers', { resourceType: 'Microsoft.Resources/providers', name: undefined }],
    [
      '/subscriptions/s1/providers/Microsoft.Network',
      { resourceType: 'Microsoft.Resources/providers', name: 'Microsoft.Network' },
    ],
    ['/subscriptions/s1/locations', { resourceType: 'Microsoft.Resources/locations', name: undefined }],
    [
      vnet,
      {
        namespace: 'Microsoft.Network',
        resourceType: 'Microsoft.Network/virtualNetworks',
        name: 'v1',
        parentId: rg,
        id: vnet,
      },
    ],
    [`${vnet}/subnets`, { resourceType: 'Microsoft.Network/virtualNetworks/subnets', name: undefined, parentId: vnet }],
    [`${vnet}/subnets/a`, { resourceType: 'Microsoft.Network/virtualNetworks/subnets', name: 'a', parentId: vnet }],
    [
      `${rg}/providers/Microsoft.ContainerInstance/containerGroups`,
      { resourceType: 'Microsoft.ContainerInstance/containerGroups', name: undefined, parentId: rg },
    ],
    [
      '/subscriptions/s1/providers/Microsoft.ContainerInstance/containerGroups',
      {
        resourceType: 'Microsoft.ContainerInstance/containerGroups',
        name: undefined,
        parentId: '/subscriptions/s1',
        resourceGroup: undefined,
      },
    ],
    [
      '/subscriptions/s1/providers/Microsoft.ContainerInstance/locations/eastus/capabilities',
      { resourceType: 'Microsoft.ContainerInstance/locations/capabilities', name: undefined },
    ],
    [
      `${vnet}/subnets/a/providers/Microsoft.Authorization/roleAssignments/ra1`,
      {
        namespace: 'Microsoft.Authorization',
        resourceType: 'Microsoft.Authorization/roleAssignments',
        name: 'ra1',
        parentId: `${vnet}/subnets/a`,
      },
    ],
    [
      '/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments',
      { resourceType: 'Microsoft.Authorization/roleAssignments', name: undefined, parentId: '/subscriptions/s1' },
    ],
    [
      '/providers/Microsoft.Authorization/roleDefinitions/r1',
      { resourceType: 'Microsoft.Authorization/roleDefinitions', name: 'r1', subscriptionId: undefined, parentId: '' },
    ],
    [
      '/SUBSCRIPTIONS/s1/RESOURCEGROUPS/rg1/PROVIDERS/microsoft.network/VIRTUALNETWORKS/v1',
      { resourceType: 'microsoft.network/VIRTUALNETWORKS', resourceGroup: 'rg1', name: 'v1' },
    ],
    [`${rg}/providers/Microsoft.Network/virtualNetworks/a%20b`, { name: 'a b' }],
  ])('%s', (path, expected) => {
    expect(parseArmPath(path)).toMatchObject(expected);
  });

  it.each(['/', '/subscriptions/s1/foo', '/foo/bar', `${rg}/bogus`, '/subscriptions/s1/providers/%E0%A4%A'])(
    'rejects %s',
    (path) => {
      expect(parseArmPath(path)).toBeUndefined();
    },
  );
});

describe('ids', () => {
  it('compares case-insensitively and without trailing slashes', () => {
    expect(idKey(`${vnet.toUpperCase()}/`)).toBe(idKey(vnet));
  });

  it('names nested resources the way ARM error messages do', () => {
    expect(qualifiedName(parseArmPath(`${vnet}/subnets/a`)!)).toBe('v1/a');
    expect(qualifiedName(parseArmPath(vnet)!)).toBe('v1');
  });
});
