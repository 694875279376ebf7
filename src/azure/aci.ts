// ACI's per-region reads: what it offers (capabilities) and how much of the quota is used (usages).
import type { Capabilities, Usage } from '@azure/arm-containerinstance';
import { collect } from './collect.js';
import type { AzureContext } from './context.js';

/** `locations/{l}/capabilities`: one row per resource type, OS, IP address type and GPU SKU. */
export async function listCapabilities(azure: AzureContext, location: string): Promise<Capabilities[]> {
  const aci = await azure.containerInstance();
  return collect(`listing ACI capabilities in ${location}`, () => aci.location.listCapabilities(location));
}

/** `locations/{l}/usages`: container groups and cores used against their limits. */
export async function listUsages(azure: AzureContext, location: string): Promise<Usage[]> {
  const aci = await azure.containerInstance();
  return collect(`listing ACI usages in ${location}`, () => aci.location.listUsage(location));
}
