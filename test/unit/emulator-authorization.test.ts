import { describe, expect, it } from 'vitest';
import { actionMatches, contains, roleAllows } from '../../src/emulator/arm/authorization.js';
import { builtInRole } from '../../src/emulator/arm/handlers/role-definitions.js';

const SUBNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci';

describe('emulated RBAC', () => {
  it.each([
    ['*', 'Microsoft.Network/virtualNetworks/subnets/read', true],
    ['*/read', 'Microsoft.Network/virtualNetworks/subnets/read', true],
    ['*/read', 'Microsoft.Network/virtualNetworks/subnets/join/action', false],
    ['Microsoft.Network/*', 'microsoft.network/virtualnetworks/subnets/join/action', true],
    ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/roleAssignments/write', true],
    ['Microsoft.Compute/*', 'Microsoft.Network/virtualNetworks/read', false],
  ])('pattern %s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it.each([
    ['Network Contributor', 'Microsoft.Network/virtualNetworks/subnets/join/action', true],
    ['Contributor', 'Microsoft.Network/virtualNetworks/subnets/join/action', true],
    ['Contributor', 'Microsoft.Authorization/roleAssignments/write', false],
    ['Reader', 'Microsoft.Network/virtualNetworks/subnets/read', true],
    ['Reader', 'Microsoft.Network/virtualNetworks/subnets/write', false],
    ['Owner', 'Microsoft.Authorization/roleAssignments/write', true],
  ])('%s allows %s: %s', (name, action, expected) => {
    const guid = {
      'Network Contributor': '4d97b98b-1d4f-4787-a291-c67834d212e7',
      Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
      Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
      Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    }[name]!;
    expect(roleAllows(builtInRole(`/providers/Microsoft.Authorization/roleDefinitions/${guid}`)!, action)).toBe(
      expected,
    );
  });

  it('treats a scope as containing itself and what is below it, case-insensitively', () => {
    expect(contains('/subscriptions/S', SUBNET)).toBe(true);
    expect(contains('/subscriptions/s/resourceGroups/RG', SUBNET)).toBe(true);
    expect(contains(SUBNET, SUBNET.toUpperCase())).toBe(true);
    expect(contains(`${SUBNET}2`, SUBNET)).toBe(false);
    expect(contains(SUBNET, '/subscriptions/s/resourceGroups/rg')).toBe(false);
  });
});
