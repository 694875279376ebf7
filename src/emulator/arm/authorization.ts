// Azure RBAC as the emulator evaluates it: which role assignments apply at a scope, and whether a principal may
// perform an action there. Used by emulated Azure components (the aci-connector), not by the ARM front: clients
// of the emulator are never refused for lack of a role.
import { jsonObject } from './context.js';
import type { HandlerContext } from './handler.js';
import { idKey } from './ids.js';
import type { StoredResource } from './store.js';
import { builtInRole, ROLE_DEFINITION_TYPE, roleGuidOf, type RolePermissions } from './handlers/role-definitions.js';

/** Full type of a role assignment, canonical casing. */
export const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';

/** The properties of a stored role assignment that RBAC reads. */
export interface Assignment {
  resource: StoredResource;
  scope: string;
  principalId: string;
  roleDefinitionId: string;
}

/** A stored role assignment's scope, principal and role. */
function assignmentOf(resource: StoredResource): Assignment {
  const p = jsonObject(resource.body.properties) ?? {};
  return {
    resource,
    scope: String(p.scope ?? ''),
    principalId: String(p.principalId ?? ''),
    roleDefinitionId: String(p.roleDefinitionId ?? ''),
  };
}

/** True when `outer` is `inner` or one of its ancestors ('/subscriptions/s' contains everything in it). */
export function contains(outer: string, inner: string): boolean {
  const o = idKey(outer);
  const i = idKey(inner);
  return o === '' || o === '/' || i === o || i.startsWith(`${o}/`);
}

/** Every role assignment in the store. */
export const allAssignments = (hctx: HandlerContext): Assignment[] =>
  hctx.store.list(ROLE_ASSIGNMENT_TYPE, '').map(assignmentOf);

/** A role's permissions: built-in, or a custom definition stored in the emulator. */
export function roleFor(hctx: HandlerContext, roleDefinitionId: string): RolePermissions | undefined {
  const builtIn = builtInRole(roleDefinitionId);
  if (builtIn !== undefined) return builtIn;
  const custom = hctx.store
    .list(ROLE_DEFINITION_TYPE, '')
    .find((d) => roleGuidOf(d.id) === roleGuidOf(roleDefinitionId));
  if (custom === undefined) return undefined;
  const p = jsonObject(custom.body.properties) ?? {};
  const perms = Array.isArray(p.permissions) ? p.permissions.map((x) => jsonObject(x) ?? {}) : [];
  const strings = (k: string): string[] =>
    perms.flatMap((x) => (Array.isArray(x[k]) ? (x[k] as unknown[]).map(String) : []));
  return { roleName: String(p.roleName ?? ''), actions: strings('actions'), notActions: strings('notActions') };
}

/** Azure's action patterns: `*` matches any run of characters, comparison ignores case. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}

/** Whether a role allows an action: some action matches and no notAction does. */
export const roleAllows = (role: RolePermissions, action: string): boolean =>
  role.actions.some((a) => actionMatches(a, action)) && !role.notActions.some((a) => actionMatches(a, action));

/**
 * Whether `principalId` may perform `action` on `scope`: some assignment of the principal at the scope or above it
 * (inherited from the resource group or subscription) has a role allowing it. Deny assignments are not modelled.
 */
export function isAllowed(hctx: HandlerContext, principalId: string, action: string, scope: string): boolean {
  return allAssignments(hctx).some((a) => {
    if (a.principalId.toLowerCase() !== principalId.toLowerCase() || !contains(a.scope, scope)) return false;
    const role = roleFor(hctx, a.roleDefinitionId);
    return role !== undefined && roleAllows(role, action);
  });
}
