import type { ResourceTypeHandler } from '../handler.js';
import { parseArmPath } from '../ids.js';
import { type StoredResource } from '../store.js';
import { jsonList, propertiesOf } from './subnet-rules.js';

const SAL_TYPE = 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks';

/**
 * Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks: read-only links a service (ACI) puts on a subnet
 * it uses. They live in the subnet's `properties.serviceAssociationLinks`, which is what a subnet GET shows and what
 * ServiceAssociationLinks_List returns; a link given on its own in a scenario is moved there when its subnet exists.
 */
export const serviceAssociationLinks: ResourceTypeHandler = {
  type: SAL_TYPE,
  operationGroup: 'ServiceAssociationLinks',
  list(scopeId, _ctx, hctx): StoredResource[] {
    const subnet = hctx.store.get(scopeId);
    return jsonList(propertiesOf(subnet?.body).serviceAssociationLinks).map((body) => ({
      id: String(body.id ?? ''),
      type: SAL_TYPE,
      body,
      etag: String(body.etag ?? ''),
    }));
  },
  onLoad(resource, hctx) {
    const subnetId = parseArmPath(resource.id)?.parentId ?? '';
    const subnet = hctx.store.get(subnetId);
    if (subnet === undefined) return;
    const properties = propertiesOf(subnet.body);
    const links = jsonList(properties.serviceAssociationLinks).filter(
      (l) => String(l.id).toLowerCase() !== resource.id.toLowerCase(),
    );
    const body = { ...subnet.body, properties: { ...properties, serviceAssociationLinks: [...links, resource.body] } };
    hctx.store.put(subnet.id, subnet.type, body, subnet.etag);
    hctx.store.delete(resource.id);
  },
};
