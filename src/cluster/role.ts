import { createHash } from 'node:crypto';

/** Built-in Network Contributor: enough to join container groups to the subnet, and no more than the subnet. */
export const NETWORK_CONTRIBUTOR_ROLE = '4d97b98b-1d4f-4787-a291-c67834d212e7';

/** Built-in Contributor: what AKS grants the add-on identity on the node resource group. */
export const CONTRIBUTOR_ROLE = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const OWNER_ROLE = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

/** Built-in roles vnodes names, by GUID. */
export const ROLE_NAMES: Record<string, string> = {
  [NETWORK_CONTRIBUTOR_ROLE]: 'Network Contributor',
  [CONTRIBUTOR_ROLE]: 'Contributor',
  [OWNER_ROLE]: 'Owner',
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': 'Reader',
};

/** Roles that let the add-on identity join container groups to the subnet: Owner, Contributor, Network Contributor. */
export const JOIN_ROLES: readonly string[] = [OWNER_ROLE, CONTRIBUTOR_ROLE, NETWORK_CONTRIBUTOR_ROLE];

/** Roles that let the add-on identity manage container groups in the node resource group. */
export const ACI_ROLES: readonly string[] = [OWNER_ROLE, CONTRIBUTOR_ROLE];

/** The role GUID at the end of a role definition id, lower case. */
export function roleGuid(roleDefinitionId: string | undefined): string {
  return roleDefinitionId?.split('/').pop()?.toLowerCase() ?? '';
}

/** Full role definition id of a built-in role in a subscription. */
export function roleDefinitionId(subscriptionId: string, roleGuid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/**
 * A role assignment name derived from what it grants, so that re-running `enable` finds the assignment it made
 * instead of creating a twin (ARM would answer RoleAssignmentExists for a twin with another name anyway, but a
 * deterministic name also lets `disable` find exactly what vnodes created). Formatted as a version-5 style GUID.
 */
export function roleAssignmentName(scope: string, principalId: string, roleGuid: string): string {
  const hash = createHash('sha1')
    .update(`vnodes|${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleGuid.toLowerCase()}`)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
