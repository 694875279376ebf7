// The ARM reads of `vnodes doctor` that no other command makes: cluster extensions (virtual nodes v2), the add-on
// identity, role definitions (the actions behind an assignment), policy assignments and definitions, the Activity Log. Types without an SDK of their own (extensions, policy assignments) are
// read through the resources client's pipeline, so auth, retry, the CA and --debug logging are the same as elsewhere.
import type { HttpClient } from '@azure/core-rest-pipeline';
import type {
  ActivityEventFact,
  ClusterExtension,
  PolicyAssignmentFact,
  PolicyDefinitionFact,
} from '../checks/doctor-facts.js';
import { armCall, isNotFound } from './arm-errors.js';
import type { AzureContext } from './context.js';

const EXTENSIONS_API = '2023-05-01';
const POLICY_API = '2022-06-01';
const IDENTITY_API = '2023-01-31';
const POLICY_DEFINITIONS_API = '2023-04-01';
// ActivityLogs_List has one api-version (azure-rest-api-specs monitor/…/2015-04-01/activityLogs_API.json).
const ACTIVITY_LOG_API = '2015-04-01';

// One HTTP client per context, so these reads reuse their connections as the SDK clients do.
const httpClients = new WeakMap<AzureContext, HttpClient>();

/** GET of an ARM path through the resources client; a non-2xx answer throws the way an SDK call does. */
async function armGet(azure: AzureContext, url: string, what: string): Promise<Record<string, unknown>> {
  const { createDefaultHttpClient, createPipelineRequest } = await import('@azure/core-rest-pipeline');
  const client = await azure.resources();
  let http = httpClients.get(azure);
  if (!http) httpClients.set(azure, (http = createDefaultHttpClient()));
  const httpClient = http;
  return armCall(what, async () => {
    const response = await client.pipeline.sendRequest(httpClient, createPipelineRequest({ url, method: 'GET' }));
    const text = response.bodyAsText ?? '';
    if (response.status < 200 || response.status > 299) {
      throw Object.assign(new Error(text || `HTTP ${response.status}`), {
        name: 'RestError',
        statusCode: response.status,
        request: { url, method: 'GET' },
        response: { headers: response.headers, bodyAsText: text },
      });
    }
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  });
}

/** Every item of an ARM list, following nextLink. */
export async function armList(
  azure: AzureContext,
  path: string,
  apiVersion: string,
  what: string,
  query = '',
): Promise<unknown[]> {
  const out: unknown[] = [];
  let url: string | undefined = `${azure.clientOptions.endpoint}${path}?api-version=${apiVersion}${query}`;
  while (url) {
    const page = await armGet(azure, url, what);
    out.push(...((page.value as unknown[] | undefined) ?? []));
    url = typeof page.nextLink === 'string' ? page.nextLink : undefined;
  }
  return out;
}

const props = (o: unknown): Record<string, unknown> =>
  ((o as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The cluster's extensions; an unregistered Microsoft.KubernetesConfiguration means there can be none. */
export async function listClusterExtensions(azure: AzureContext, clusterId: string): Promise<ClusterExtension[]> {
  try {
    const items = await armList(
      azure,
      `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions`,
      EXTENSIONS_API,
      'listing cluster extensions',
    );
    return items.map((e) => {
      const p = props(e);
      const release = str(
        (p.scope as { cluster?: { releaseNamespace?: string } } | undefined)?.cluster?.releaseNamespace,
      );
      return {
        id: str((e as { id?: string }).id) ?? '',
        name: str((e as { name?: string }).name) ?? '',
        extensionType: str(p.extensionType) ?? '',
        ...(str(p.provisioningState) ? { provisioningState: str(p.provisioningState)! } : {}),
        ...(release ? { releaseNamespace: release } : {}),
        ...(str(p.version) ? { version: str(p.version)! } : {}),
        ...(str((p.aksAssignedIdentity as { principalId?: string } | undefined)?.principalId)
          ? { identityPrincipalId: str((p.aksAssignedIdentity as { principalId?: string }).principalId)! }
          : {}),
      };
    });
  } catch (error) {
    const code = (error as { arm?: { armCode?: string } }).arm?.armCode;
    if (isNotFound(error) || code === 'MissingSubscriptionRegistration') return [];
    throw error;
  }
}

/** The user-assigned identity, or undefined when it is gone. */
export async function getUserAssignedIdentity(
  azure: AzureContext,
  resourceId: string,
): Promise<{ id: string; principalId?: string; clientId?: string } | undefined> {
  try {
    const body = await armGet(
      azure,
      `${azure.clientOptions.endpoint}${resourceId}?api-version=${IDENTITY_API}`,
      'reading the add-on identity',
    );
    const p = props(body);
    return {
      id: str(body.id) ?? resourceId,
      ...(str(p.principalId) ? { principalId: str(p.principalId)! } : {}),
      ...(str(p.clientId) ? { clientId: str(p.clientId)! } : {}),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A role definition's name and actions (roleDefinitionId in its subscription form). */
export async function readRoleDefinition(
  azure: AzureContext,
  roleDefinitionId: string,
): Promise<{ roleName?: string; actions: string[]; notActions: string[] }> {
  const authz = await azure.authorization();
  const guid = roleDefinitionId.split('/').pop() ?? '';
  const scope = (roleDefinitionId.split('/providers/')[0] || `/subscriptions/${azure.subscriptionId}`).replace(
    /^\/+/,
    '',
  );
  const def = await armCall(`reading role definition ${guid}`, () => authz.roleDefinitions.get(scope, guid));
  return {
    ...(def.roleName ? { roleName: def.roleName } : {}),
    actions: (def.permissions ?? []).flatMap((p) => p.actions ?? []),
    notActions: (def.permissions ?? []).flatMap((p) => p.notActions ?? []),
  };
}

/** Policy assignments in the subscription (the ones over the cluster's groups are picked by the check). */
export async function listPolicyAssignments(azure: AzureContext): Promise<PolicyAssignmentFact[]> {
  const items = await armList(
    azure,
    `/subscriptions/${azure.subscriptionId}/providers/Microsoft.Authorization/policyAssignments`,
    POLICY_API,
    'listing policy assignments',
  );
  return items.map((a) => {
    const p = props(a);
    return {
      id: str((a as { id?: string }).id) ?? '',
      name: str((a as { name?: string }).name) ?? '',
      scope: str(p.scope) ?? '',
      ...(str(p.displayName) ? { displayName: str(p.displayName)! } : {}),
      ...(str(p.policyDefinitionId) ? { policyDefinitionId: str(p.policyDefinitionId)! } : {}),
      ...(str(p.enforcementMode) ? { enforcementMode: str(p.enforcementMode)! } : {}),
      ...(p.parameters && typeof p.parameters === 'object'
        ? { parameters: p.parameters as Record<string, { value?: unknown }> }
        : {}),
      ...(Array.isArray(p.notScopes) ? { notScopes: p.notScopes.map(String) } : {}),
    };
  });
}

/**
 * A policy definition or set definition by id: built-ins at `/providers/Microsoft.Authorization/policyDefinitions/
 * {name}`, custom ones below a subscription or management group (Policy Definitions - Get By Id, 2023-04-01).
 */
export async function readPolicyDefinition(azure: AzureContext, id: string): Promise<PolicyDefinitionFact> {
  const body = await armGet(
    azure,
    `${azure.clientOptions.endpoint}${id}?api-version=${POLICY_DEFINITIONS_API}`,
    `reading policy definition ${id.split('/').pop()}`,
  );
  const p = props(body);
  const members = Array.isArray(p.policyDefinitions) ? (p.policyDefinitions as Record<string, unknown>[]) : undefined;
  return {
    id: str(body.id) ?? id,
    name: str(body.name) ?? id.split('/').pop() ?? '',
    ...(str(p.displayName) ? { displayName: str(p.displayName)! } : {}),
    ...(str(p.policyType) ? { policyType: str(p.policyType)! } : {}),
    ...(p.parameters && typeof p.parameters === 'object'
      ? { parameters: p.parameters as Record<string, { defaultValue?: unknown }> }
      : {}),
    ...(p.policyRule && typeof p.policyRule === 'object'
      ? { policyRule: p.policyRule as PolicyDefinitionFact['policyRule'] }
      : {}),
    ...(members
      ? {
          policyDefinitions: members.map((m) => ({
            policyDefinitionId: str(m.policyDefinitionId) ?? '',
            ...(m.parameters && typeof m.parameters === 'object'
              ? { parameters: m.parameters as Record<string, { value?: unknown }> }
              : {}),
          })),
        }
      : {}),
  };
}

/** Failed operations on a resource group since `since` (ISO time), from the subscription's Activity Log. */
export async function listFailedActivity(
  azure: AzureContext,
  resourceGroup: string,
  since: string,
): Promise<ActivityEventFact[]> {
  const filter = `eventTimestamp ge '${since}' and resourceGroupName eq '${resourceGroup}'`;
  const items = await armList(
    azure,
    `/subscriptions/${azure.subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values`,
    ACTIVITY_LOG_API,
    `reading the Activity Log of ${resourceGroup}`,
    `&$filter=${encodeURIComponent(filter)}`,
  );
  const value = (v: unknown): string | undefined => str((v as { value?: unknown } | undefined)?.value);
  return items
    .map((e) => e as Record<string, unknown>)
    .filter((e) => value(e.status)?.toLowerCase() === 'failed')
    .map((e) => {
      const p = (e.properties ?? {}) as Record<string, unknown>;
      const fields: ActivityEventFact = {
        resourceId: str(e.resourceId),
        operationName: value(e.operationName),
        status: value(e.status),
        subStatus: value(e.subStatus),
        eventTimestamp: str(e.eventTimestamp),
        statusMessage: str(p.statusMessage),
      };
      return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as ActivityEventFact;
    });
}
