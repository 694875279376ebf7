// Role assignments. @azure/arm-authorization's URL template is `/{scope}/providers/...`, so a resource id's leading
// slash must go, or the request path starts with `//`.
import type { RoleAssignment } from '@azure/arm-authorization';
import { armCall } from './arm-errors.js';
import { collect } from './collect.js';
import type { AzureContext } from './context.js';
import { recordRequest, type Recorded } from './record.js';

const sdkScope = (resourceId: string) => resourceId.replace(/^\/+/, '');

/** The principal's assignments visible at `scope`: at it, above it and below it (listForScope's `atScope` is off). */
export async function listRoleAssignments(
  azure: AzureContext,
  scope: string,
  principalId: string,
): Promise<RoleAssignment[]> {
  const authz = await azure.authorization();
  return collect(`listing role assignments of ${principalId} on ${scope}`, () =>
    authz.roleAssignments.listForScope(sdkScope(scope), { filter: `principalId eq '${principalId}'` }),
  );
}

/** One assignment by name at `scope`. */
export async function getRoleAssignment(azure: AzureContext, scope: string, name: string): Promise<RoleAssignment> {
  const authz = await azure.authorization();
  return armCall('reading the role assignment vnodes created', () => authz.roleAssignments.get(sdkScope(scope), name));
}

/** Creates (PUT) an assignment of a role to a service principal at `scope`. */
export async function createRoleAssignment(
  azure: AzureContext,
  input: { scope: string; name: string; roleDefinitionId: string; principalId: string },
  options: { dryRun: boolean; signal?: AbortSignal },
): Promise<Recorded<RoleAssignment>> {
  const authz = await azure.authorization();
  const send = (headers: Record<string, string>) =>
    authz.roleAssignments.create(
      sdkScope(input.scope),
      input.name,
      { roleDefinitionId: input.roleDefinitionId, principalId: input.principalId, principalType: 'ServicePrincipal' },
      { abortSignal: options.signal, requestOptions: { customHeaders: headers } },
    );
  if (options.dryRun) return recordRequest(authz.pipeline, true, send);
  return armCall(`granting Network Contributor on ${input.scope}`, () => recordRequest(authz.pipeline, false, send));
}

/** Deletes an assignment by name at `scope`. */
export async function deleteRoleAssignment(
  azure: AzureContext,
  scope: string,
  name: string,
  options: { dryRun: boolean },
): Promise<Recorded<RoleAssignment>> {
  const authz = await azure.authorization();
  return armCall('deleting the role assignment vnodes created', () =>
    recordRequest(authz.pipeline, options.dryRun, (headers) =>
      authz.roleAssignments.delete(sdkScope(scope), name, { requestOptions: { customHeaders: headers } }),
    ),
  );
}
