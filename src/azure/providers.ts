import type { Provider } from '@azure/arm-resources';
import { armCall } from './arm-errors.js';
import type { AzureContext } from './context.js';

/** A resource provider's registration state and the resource types (with their regions) it offers. */
export async function getProvider(azure: AzureContext, namespace: string): Promise<Provider> {
  const resources = await azure.resources();
  return armCall(`reading resource provider ${namespace}`, () => resources.providers.get(namespace));
}
