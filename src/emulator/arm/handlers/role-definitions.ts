import type { RequestContext } from '../context.js';
import { ArmError } from '../errors.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import type { ArmPath } from '../ids.js';
import type { Json, StoredResource } from '../store.js';

/** Full type of a role definition, canonical casing. */
export const ROLE_DEFINITION_TYPE = 'Microsoft.Authorization/roleDefinitions';

/** One built-in role as Azure publishes it (permissions abridged to what the emulator evaluates). */
interface BuiltInRole {
  guid: string;
  roleName: string;
  description: string;
  actions: string[];
  notActions: string[];
}

// The permissions are Azure's own lists for these roles (Contributor's notActions shortened to the Authorization ones
// that matter here: a Contributor cannot assign roles).
const BUILT_IN: readonly BuiltInRole[] = [
  {
    guid: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    roleName: 'Owner',
    description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    actions: ['*'],
    notActions: [],
  },
  {
    guid: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    actions: ['*'],
    notActions: [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
      'Microsoft.Blueprint/blueprintAssignments/write',
      'Microsoft.Blueprint/blueprintAssignments/delete',
      'Microsoft.Compute/galleries/share/action',
    ],
  },
  {
    guid: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    actions: ['*/read'],
    notActions: [],
  },
  // AcrPull, as the built-in roles page lists it (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
  {
    guid: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    roleName: 'AcrPull',
    description: 'acr pull',
    actions: ['Microsoft.ContainerRegistry/registries/pull/read'],
    notActions: [],
  },
  {
    guid: '4d97b98b-1d4f-4787-a291-c67834d212e7',
    roleName: 'Network Contributor',
    description: 'Lets you manage networks, but not access to them.',
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Network/*',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
    notActions: [],
  },
  {
    guid: 'f1a07417-d97a-45cb-824c-7a7467783830',
    roleName: 'Managed Identity Operator',
    description: 'Read and Assign User Assigned Identity',
    actions: [
      'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
      'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Support/*',
    ],
    notActions: [],
  },
];

/** The id of a role definition in a subscription, the form role assignments report. */
export const roleDefinitionId = (subscriptionId: string, guid: string): string =>
  `/subscriptions/${subscriptionId}/providers/${ROLE_DEFINITION_TYPE}/${guid}`;

/** A built-in role's body as GET returns it (2022-04-01 shape), with its id in `subscriptionId`. */
function definitionBody(role: BuiltInRole, subscriptionId: string): Json {
  return {
    id: roleDefinitionId(subscriptionId, role.guid),
    name: role.guid,
    type: ROLE_DEFINITION_TYPE,
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: [{ actions: role.actions, notActions: role.notActions, dataActions: [], notDataActions: [] }],
      createdOn: '2015-02-02T21:55:09.8806423Z',
      updatedOn: '2024-06-20T00:00:00.0000000Z',
      createdBy: null,
      updatedBy: null,
    },
  };
}

const stored = (role: BuiltInRole, subscriptionId: string): StoredResource => {
  const body = definitionBody(role, subscriptionId);
  return { id: String(body.id), type: ROLE_DEFINITION_TYPE, body, etag: `"${role.guid}"` };
};

/** The GUID at the end of a role definition id (either the `/subscriptions/…` or the `/providers/…` form). */
export const roleGuidOf = (id: string): string => id.slice(id.lastIndexOf('/') + 1).toLowerCase();

/** What a role allows, for permission checks: its actions and notActions. */
export interface RolePermissions {
  roleName: string;
  actions: readonly string[];
  notActions: readonly string[];
}

/** A built-in role by GUID or full id, or undefined. */
export function builtInRole(idOrGuid: string): RolePermissions | undefined {
  const guid = roleGuidOf(idOrGuid);
  return BUILT_IN.find((r) => r.guid === guid);
}

/** `roleName eq 'X'` and `type eq 'BuiltInRole'` filters, joined by `and`, as ARM accepts them. */
function matchesFilter(role: BuiltInRole, filter: string | null): boolean {
  if (filter === null || filter.trim() === '') return true;
  return filter.split(/\s+and\s+/i).every((term) => {
    const m = /^\s*(roleName|type)\s+eq\s+'([^']*)'\s*$/i.exec(term);
    if (m === null) return true;
    return m[1]!.toLowerCase() === 'rolename'
      ? m[2]!.toLowerCase() === role.roleName.toLowerCase()
      : m[2]!.toLowerCase() === 'builtinrole';
  });
}

/**
 * Microsoft.Authorization/roleDefinitions: the built-in roles exist at every scope (GET by GUID below any scope, or by
 * their `/subscriptions/{s}/providers/…` or `/providers/…` id), and list with `$filter=roleName eq '…'`. Ids always
 * name the scenario's subscription, as ARM reports them.
 */
export const roleDefinitions: ResourceTypeHandler = {
  type: ROLE_DEFINITION_TYPE,
  operationGroup: 'RoleDefinitions',
  provisioningState: false,
  lookup(path: ArmPath, hctx: HandlerContext) {
    const role = path.name === undefined ? undefined : BUILT_IN.find((r) => r.guid === path.name!.toLowerCase());
    if (role === undefined)
      throw new ArmError(
        404,
        'RoleDefinitionDoesNotExist',
        `The specified role definition with ID '${path.name ?? ''}' does not exist.`,
      );
    return stored(role, path.subscriptionId ?? hctx.scenario.subscription.id);
  },
  list(scopeId: string, ctx: RequestContext, hctx: HandlerContext) {
    const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(scopeId)?.[1] ?? hctx.scenario.subscription.id;
    const custom = hctx.store.list(ROLE_DEFINITION_TYPE, scopeId);
    return [
      ...BUILT_IN.filter((r) => matchesFilter(r, ctx.query.get('$filter'))).map((r) => stored(r, subscriptionId)),
      ...custom,
    ];
  },
};
