import { jsonObject } from '../context.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import { parseArmPath } from '../ids.js';
import { normalizeLocation } from '../scope.js';
import { type EtagGroupOf, type Json, newEtag, type StoredResource } from '../store.js';
import { parsePrefix, type Prefix, prefixesOf } from './address-prefixes.js';
import { checkDelete, checkSubnet, propertiesOf, SUBNET_TYPE, subnetBody } from './subnet-rules.js';

/** Full type of a virtual network, canonical casing. */
export const VNET_TYPE = 'Microsoft.Network/virtualNetworks';

/** A VNet's address space, parsed (unreadable prefixes are left out: the VNet write rejected them already). */
function vnetSpace(vnet: Json | undefined): Prefix[] {
  const space = jsonObject(propertiesOf(vnet).addressSpace);
  const texts = Array.isArray(space?.addressPrefixes) ? space.addressPrefixes.map(String) : [];
  return texts.flatMap((t) => {
    const p = parsePrefix(t);
    return 'family' in p ? [p] : [];
  });
}

/** The subnets of a VNet, as stored child resources, in creation order. */
export const childSubnets = (hctx: HandlerContext, vnetId: string): StoredResource[] =>
  hctx.store.list(SUBNET_TYPE, vnetId);

/**
 * Network's one ETag per VNet: a VNet and its subnets share it, and a write to any of them (or a subnet's removal)
 * changes it for all, so an If-Match on one subnet fails after a sibling changed.
 */
export const networkEtagGroup: EtagGroupOf = (id, type) => {
  const t = type.toLowerCase();
  if (t === VNET_TYPE.toLowerCase()) return { root: id, property: 'etag' };
  if (t === SUBNET_TYPE.toLowerCase()) return { root: parseArmPath(id)?.parentId ?? id, property: 'etag' };
  return undefined;
};

/** Stores a subnet body as Succeeded with a fresh etag mirrored in the body, as Network returns it. */
export function storeSubnet(hctx: HandlerContext, body: Json): StoredResource {
  const etag = newEtag();
  const properties = { ...propertiesOf(body), provisioningState: 'Succeeded' };
  return hctx.store.put(String(body.id), SUBNET_TYPE, { ...body, etag, properties }, etag);
}

/**
 * Microsoft.Network/virtualNetworks/subnets: PUT and DELETE are long-running and validated as Network does
 * (name, CIDR notation, size, inside the VNet, no overlap, no change of range or delegations while in use,
 * references that exist); read-only fields (ipConfigurations, service association links…) survive any PUT.
 * The VNet's `subnets` are composed from these child resources on every read (see virtual-networks.ts).
 */
export const subnets: ResourceTypeHandler = {
  type: SUBNET_TYPE,
  operationGroup: 'Subnets',
  lro: true,
  etagProperty: 'etag',
  validate(req, hctx) {
    const vnetId = parseArmPath(req.id)?.parentId ?? '';
    const vnet = hctx.store.get(vnetId);
    const name = String(req.current?.body.name ?? req.path.name);
    const siblings = childSubnets(hctx, vnetId)
      .filter((s) => s.id.toLowerCase() !== req.id.toLowerCase())
      .map((s) => ({ name: String(s.body.name), prefixes: prefixesOf(propertiesOf(s.body)) }));
    return checkSubnet(req.body, {
      id: req.id,
      name,
      vnetName: String(vnet?.body.name ?? ''),
      space: vnetSpace(vnet?.body),
      siblings,
      current: req.current?.body,
      exists: (id) => hctx.store.has(id),
    });
  },
  apply: (req) => subnetBody(req.id, String(req.current?.body.name ?? req.path.name), req.body, req.current?.body),
  validateDelete: (current) => checkDelete(String(current.body.name), current.body),
  onLoad(resource, hctx) {
    // A subnet example loaded on its own still needs a VNet to live in: give it one that just holds its prefixes.
    const p = parseArmPath(resource.id);
    if (p === undefined || hctx.store.has(p.parentId)) return;
    const vnet = parseArmPath(p.parentId);
    const location = normalizeLocation(hctx.scenario.regions[0]?.name ?? 'eastus');
    const addressPrefixes = prefixesOf(propertiesOf(resource.body)).map((t) => {
      const parsed = parsePrefix(t);
      return 'family' in parsed ? parsed.network : t;
    });
    const etag = newEtag();
    hctx.store.put(
      p.parentId,
      VNET_TYPE,
      {
        id: p.parentId,
        name: vnet?.name,
        type: VNET_TYPE,
        location,
        etag,
        properties: { provisioningState: 'Succeeded', addressSpace: { addressPrefixes }, virtualNetworkPeerings: [] },
      },
      etag,
    );
  },
};
