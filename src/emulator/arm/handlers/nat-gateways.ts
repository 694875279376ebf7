import { jsonObject, propertiesOf } from '../context.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import { parseArmPath } from '../ids.js';
import type { Json, StoredResource } from '../store.js';
import { SUBNET_TYPE } from './subnet-rules.js';

/** The subnets of the gateway's subscription whose `natGateway` points at it, as `{id}` references. */
function subnetsUsing(gateway: StoredResource, hctx: HandlerContext): Json[] {
  const subscription = parseArmPath(gateway.id)?.subscriptionId;
  if (subscription === undefined) return [];
  const key = gateway.id.toLowerCase();
  return hctx.store
    .list(SUBNET_TYPE, `/subscriptions/${subscription}`)
    .filter((s) => String(jsonObject(propertiesOf(s.body).natGateway)?.id ?? '').toLowerCase() === key)
    .map((s) => ({ id: s.id }));
}

/**
 * Microsoft.Network/natGateways: a plain Network resource (long-running PUT and DELETE, etag in the body) whose
 * `properties.subnets` is read-only and filled by Network from the subnets that reference the gateway ("An array of
 * references to the subnets using this nat gateway resource. ... It can only be populated by the server",
 * learn.microsoft.com/javascript/api/@azure/arm-network/natgateway). The link lives on the subnet, so it is composed
 * on every read and a subnet that drops its `natGateway` drops out at once; a PUT's own `subnets` are ignored.
 */
export const natGateways: ResourceTypeHandler = {
  type: 'Microsoft.Network/natGateways',
  lro: true,
  etagProperty: 'etag',
  view(resource, hctx) {
    const { subnets: _ignored, ...properties } = propertiesOf(resource.body);
    const using = subnetsUsing(resource, hctx);
    return { ...resource.body, properties: { ...properties, ...(using.length ? { subnets: using } : {}) } };
  },
};
