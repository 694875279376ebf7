import type { ResourceTypeHandler } from '../handler.js';

/**
 * Microsoft.ContainerInstance/containerGroups: a plain stored resource whose PUT and DELETE are long-running, as in
 * ACI. Validation (subnet delegation, quota, image checks) belongs to the provider work that builds on this.
 */
export const containerGroups: ResourceTypeHandler = {
  type: 'Microsoft.ContainerInstance/containerGroups',
  lro: true,
};
