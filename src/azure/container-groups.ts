import type { ContainerGroup } from '@azure/arm-containerinstance';
import { collect } from './collect.js';
import type { AzureContext } from './context.js';

/** Every container group in a resource group (the virtual node's live in the cluster's node resource group). */
export async function listContainerGroups(azure: AzureContext, resourceGroup: string): Promise<ContainerGroup[]> {
  const aci = await azure.containerInstance();
  return collect(`listing container groups in ${resourceGroup}`, () =>
    aci.containerGroups.listByResourceGroup(resourceGroup),
  );
}
