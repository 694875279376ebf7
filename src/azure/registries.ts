// The subscription's container registries (Registries_List, GET /subscriptions/{s}/providers/
// Microsoft.ContainerRegistry/registries; learn.microsoft.com/rest/api/containerregistry/registries/list), read once
// per doctor run through the resources client's pipeline, as the other types without an SDK of their own are.
import type { RegistryFact } from '../checks/doctor-facts.js';
import { isNotFound } from './arm-errors.js';
import type { AzureContext } from './context.js';
import { armList } from './doctor-reads.js';

const REGISTRY_API = '2023-07-01';

/** Every registry in the subscription with its login server and network rules; none when the provider is unused. */
export async function listRegistries(azure: AzureContext): Promise<RegistryFact[]> {
  try {
    const items = await armList(
      azure,
      `/subscriptions/${azure.subscriptionId}/providers/Microsoft.ContainerRegistry/registries`,
      REGISTRY_API,
      'listing container registries',
    );
    return items.map((r) => {
      const body = r as { id?: string; name?: string; properties?: Record<string, unknown> };
      const p = body.properties ?? {};
      const rules = p.networkRuleSet as { defaultAction?: string } | undefined;
      return {
        id: body.id ?? '',
        name: body.name ?? '',
        loginServer: String(p.loginServer ?? `${body.name ?? ''}.azurecr.io`).toLowerCase(),
        ...(typeof p.publicNetworkAccess === 'string' ? { publicNetworkAccess: p.publicNetworkAccess } : {}),
        ...(rules?.defaultAction ? { defaultAction: rules.defaultAction } : {}),
      };
    });
  } catch (error) {
    const code = (error as { arm?: { armCode?: string } }).arm?.armCode;
    if (isNotFound(error) || code === 'MissingSubscriptionRegistration') return [];
    throw error;
  }
}
