import { describe, expect, it } from 'vitest';
import { parentResourceId, parseResourceId, sameResourceId } from '../../src/network/ids.js';

const SUBNET =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/aci';

describe('parseResourceId', () => {
  it('splits a subnet id', () => {
    expect(parseResourceId(SUBNET)).toEqual({
      id: SUBNET,
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'rg1',
      provider: 'Microsoft.Network',
      types: ['virtualNetworks', 'subnets'],
      names: ['vnet1', 'aci'],
      type: 'Microsoft.Network/virtualNetworks/subnets',
      name: 'aci',
    });
  });

  it.each([
    [
      '/SUBSCRIPTIONS/s/RESOURCEGROUPS/MC_rg/PROVIDERS/Microsoft.Network/virtualNetworks/aks-vnet-1/',
      'MC_rg',
      'aks-vnet-1',
    ],
    ['/subscriptions/s/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/c1', 'rg', 'c1'],
  ])('reads %s case-insensitively', (id, resourceGroup, name) => {
    expect(parseResourceId(id)).toMatchObject({ subscriptionId: 's', resourceGroup, name });
  });

  it('reads an extension resource and keeps its scope', () => {
    const sal = `${SUBNET}/providers/Microsoft.ContainerInstance/serviceAssociationLinks/default`;
    expect(parseResourceId(sal)).toMatchObject({
      provider: 'Microsoft.ContainerInstance',
      types: ['serviceAssociationLinks'],
      name: 'default',
      scope: SUBNET,
      resourceGroup: 'rg1',
    });
  });

  it('reads subscription and group ids', () => {
    expect(parseResourceId('/subscriptions/s')).toEqual({
      id: '/subscriptions/s',
      subscriptionId: 's',
      types: [],
      names: [],
    });
    expect(parseResourceId('/subscriptions/s/resourceGroups/rg')).toMatchObject({ resourceGroup: 'rg', types: [] });
  });

  it.each([
    [''],
    ['aci'],
    ['subscriptions/s/resourceGroups/rg'],
    ['/subscriptions/'],
    ['/subscriptions/s/resourceGroups/'],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks'],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network'],
  ])('rejects %j', (id) => expect(parseResourceId(id)).toBeUndefined());
});

describe('sameResourceId and parentResourceId', () => {
  it.each([
    [SUBNET, SUBNET.toLowerCase(), true],
    [SUBNET, `${SUBNET}/`, true],
    [SUBNET, SUBNET.replace('/aci', '/aks'), false],
    [SUBNET, undefined, false],
    [undefined, undefined, false],
  ])('%s = %s is %s', (a, b, same) => expect(sameResourceId(a, b)).toBe(same));

  it.each([
    [SUBNET, SUBNET.replace('/subnets/aci', '')],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', undefined],
    ['not an id', undefined],
  ])('parent of %s is %s', (id, parent) => expect(parentResourceId(id)).toBe(parent));
});
