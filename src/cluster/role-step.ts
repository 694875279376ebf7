// Granting the add-on identity Network Contributor on the ACI subnet. Least privilege: the subnet, not the VNet
// (the Azure CLI grants Contributor on the whole VNet); the current AKS docs and Terraform's example do the same.
import type { RoleAssignment } from '@azure/arm-authorization';
import type { AzureContext } from '../azure/context.js';
import type { RecordedRequest } from '../azure/record.js';
import { createRoleAssignment, listRoleAssignments } from '../azure/role-assignments.js';
import { AuthError, AzureError } from '../errors.js';
import type { Reporter } from '../deps.js';
import { redactUrl } from '../util/redact.js';
import { sleep } from '../util/sleep.js';
import {
  ACI_ROLES,
  CONTRIBUTOR_ROLE,
  JOIN_ROLES,
  NETWORK_CONTRIBUTOR_ROLE,
  roleAssignmentName,
  roleDefinitionId,
  roleGuid,
} from './role.js';

/** What the role step found or did. */
export interface RoleStepResult {
  action: 'created' | 'unchanged';
  scope: string;
  principalId: string;
  roleDefinitionId: string;
  /** The assignment that grants the right: vnodes' own, or one found (possibly inherited from the VNet or above). */
  assignmentId?: string;
  inheritedFrom?: string;
  request?: RecordedRequest;
  /** PrincipalNotFound answers waited out while Entra ID replicated the new identity. */
  principalRetries: number;
}

/** Backoff for PrincipalNotFound: a new identity takes seconds to a couple of minutes to reach ARM. */
const PRINCIPAL_BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000, 30000, 30000];

/** Stands for the add-on identity's object id in a dry run, before AKS has created the identity. */
export const PENDING_PRINCIPAL = '<objectId of the identity AKS creates for the add-on>';

/**
 * The role assignment a dry run would make once the add-on is on: its name depends on the identity's object id, which
 * AKS assigns then, so the URL and body carry placeholders rather than leaving the write out of the plan.
 */
function plannedGrant(endpoint: string, subscriptionId: string, scope: string): RoleStepResult {
  const roleId = roleDefinitionId(subscriptionId, NETWORK_CONTRIBUTOR_ROLE);
  // Built by hand, not recorded from the SDK: redacted here as recorded requests are (user-info in the endpoint).
  const url = `${redactUrl(endpoint).replace(/\/$/, '')}${scope}/providers/Microsoft.Authorization/roleAssignments/<name derived from the identity>?api-version=2022-04-01`;
  return {
    action: 'created',
    scope,
    principalId: PENDING_PRINCIPAL,
    roleDefinitionId: roleId,
    principalRetries: 0,
    request: {
      method: 'PUT',
      url,
      headers: {},
      body: {
        properties: { roleDefinitionId: roleId, principalId: PENDING_PRINCIPAL, principalType: 'ServicePrincipal' },
      },
    },
  };
}

/**
 * The principal's role assignments that apply to `scope`: at it or inherited from above (listForScope also returns
 * those below, which do not apply). Shared by enable's role step and status.
 */
export async function grantsOn(azure: AzureContext, scope: string, principalId: string): Promise<RoleAssignment[]> {
  return (await listRoleAssignments(azure, scope, principalId)).filter(
    (a) =>
      a.principalId?.toLowerCase() === principalId.toLowerCase() &&
      scope.toLowerCase().startsWith((a.scope ?? '').toLowerCase()),
  );
}

/** A role the step grants: its GUID, its name, and the roles that already give what it is for. */
export interface GrantedRole {
  guid: string;
  name: string;
  accepts: readonly string[];
  /** Where, in words ("the ACI subnet"). */
  where: string;
}

/** What enable grants: Network Contributor on the ACI subnet. */
const SUBNET_ROLE: GrantedRole = {
  guid: NETWORK_CONTRIBUTOR_ROLE,
  name: 'Network Contributor',
  accepts: JOIN_ROLES,
  where: 'the subnet',
};

/** What AKS grants when the add-on is enabled, and doctor --fix grants again: Contributor on the node resource group. */
export const NODE_GROUP_ROLE: GrantedRole = {
  guid: CONTRIBUTOR_ROLE,
  name: 'Contributor',
  accepts: ACI_ROLES,
  where: 'the node resource group',
};

/** The grant was refused (403): not authorised, exit 4, naming the `az` command that grants it. */
function roleRefused(error: AzureError, principalId: string, scope: string, role: GrantedRole): AuthError {
  return new AuthError(
    `Not authorised to grant ${role.name} on ${role.where} to the add-on identity ${principalId} (${error.arm.armCode}).`,
    {
      code: 'VNODES_ROLE_NOT_GRANTED',
      details: [
        `The add-on is on, but its connector cannot work until the role is granted on ${role.where}.`,
        `Azure said: ${error.message}`,
      ],
      remediation: `Ask someone with Owner or User Access Administrator there to run: az role assignment create --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --role "${role.name}" --scope ${scope} — then re-run vnodes enable.`,
      cause: error,
    },
  );
}

/**
 * Grants Network Contributor on `scope` to `principalId` unless something at or above it already does; `role`
 * grants another (doctor --fix re-grants the add-on's Contributor on the node resource group this way).
 */
export async function grantSubnetRole(input: {
  azure: AzureContext;
  subscriptionId: string;
  scope: string;
  principalId: string;
  dryRun: boolean;
  reporter: Reporter;
  consent: () => Promise<void>;
  signal: AbortSignal;
  backoffMs?: readonly number[];
  /** The ARM endpoint, to show a planned request's full URL. */
  endpoint: string;
  role?: GrantedRole;
}): Promise<RoleStepResult> {
  if (input.principalId === PENDING_PRINCIPAL) return plannedGrant(input.endpoint, input.subscriptionId, input.scope);
  const { azure, scope, principalId } = input;
  const role = input.role ?? SUBNET_ROLE;
  const roleId = roleDefinitionId(input.subscriptionId, role.guid);
  const base = { scope, principalId, roleDefinitionId: roleId, principalRetries: 0 };
  const existing = (await grantsOn(azure, scope, principalId)).find((a) =>
    role.accepts.includes(roleGuid(a.roleDefinitionId)),
  );
  if (existing) {
    const inherited =
      existing.scope && existing.scope.toLowerCase() !== scope.toLowerCase() ? { inheritedFrom: existing.scope } : {};
    return { ...base, action: 'unchanged', ...(existing.id ? { assignmentId: existing.id } : {}), ...inherited };
  }
  const name = roleAssignmentName(scope, principalId, role.guid);
  const send = (dryRun: boolean) =>
    createRoleAssignment(
      azure,
      { scope, name, roleDefinitionId: roleId, principalId },
      { dryRun, signal: input.signal },
    );
  if (input.dryRun) {
    const { request } = await send(true);
    return {
      ...base,
      action: 'created',
      assignmentId: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      ...(request ? { request } : {}),
    };
  }
  // consentOnce also stops here if the run was interrupted since.
  await input.consent();
  const backoff = input.backoffMs ?? PRINCIPAL_BACKOFF_MS;
  return input.reporter.step(`Granting ${role.name} on ${role.where} to the add-on identity`, async (update) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { request, result } = await send(false);
        return {
          ...base,
          principalRetries: attempt,
          action: 'created' as const,
          assignmentId: result?.id ?? `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
          ...(request ? { request } : {}),
        };
      } catch (error) {
        if (error instanceof AzureError && error.arm.armCode === 'RoleAssignmentExists') {
          return { ...base, principalRetries: attempt, action: 'unchanged' as const };
        }
        // Many platform engineers may enable add-ons but not grant roles. Without the role the connector can never
        // start, so waiting for the node would only wait out --timeout: stop now (exit 4, not authorised), with the
        // exact command someone who may grant roles can run. The add-on stays on; a re-run finishes the job.
        if (error instanceof AzureError && error.arm.statusCode === 403)
          throw roleRefused(error, principalId, scope, role);
        const delay = backoff[attempt];
        if (!(error instanceof AzureError && error.arm.armCode === 'PrincipalNotFound') || delay === undefined)
          throw error;
        update(`identity not replicated yet, retrying in ${delay / 1000} s`);
        await sleep(delay, input.signal);
      }
    }
  });
}
