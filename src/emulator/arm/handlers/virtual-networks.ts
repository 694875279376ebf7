import { jsonObject } from '../context.js';
import { ArmError } from '../errors.js';
import { type HandlerContext, type ResourceTypeHandler, scratch, type WriteRequest } from '../handler.js';
import { normalizeLocation } from '../scope.js';
import type { Json, StoredResource } from '../store.js';
import { type Prefix, prefixesOf } from './address-prefixes.js';
import {
  checkDelete,
  checkSubnet,
  jsonList,
  parseOrError,
  propertiesOf,
  SUBNET_TYPE,
  subnetBody,
} from './subnet-rules.js';
import { childSubnets, storeSubnet, VNET_TYPE } from './subnets.js';

const subnetsIn = (body: Json | undefined): Json[] => jsonList(propertiesOf(body).subnets);

const withoutSubnets = (body: Json): Json => {
  const { subnets: _s, ...properties } = propertiesOf(body);
  return { ...body, properties };
};

const subnetId = (vnetId: string, s: Json): string => `${vnetId}/subnets/${String(s.name ?? '')}`;

/** Where a VNet write keeps the subnets it found when it was validated: only those may its subnet list delete. */
const VALIDATED_CHILDREN = 'validatedChildren';

function validateVnet(req: WriteRequest, hctx: HandlerContext): ArmError | undefined {
  if (typeof req.body.location !== 'string' || req.body.location.trim() === '') {
    return new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  const texts = jsonObject(propertiesOf(req.body).addressSpace)?.addressPrefixes;
  const prefixes: Prefix[] = [];
  for (const text of Array.isArray(texts) ? texts.map(String) : []) {
    const p = parseOrError(text, req.id);
    if (p instanceof ArmError) return p;
    prefixes.push(p);
  }
  if (prefixes.length === 0) {
    return new ArmError(
      400,
      'InvalidRequestFormat',
      `Virtual network ${req.path.name} has no address space: set properties.addressSpace.addressPrefixes.`,
    );
  }
  // The body's subnets replace the VNet's: each must be valid against the new space and the others, and a subnet
  // left out is deleted, which fails while it is in use (ARM's famous "PUT without subnets" trap).
  const wanted = subnetsIn(req.body);
  const children = req.current ? childSubnets(hctx, req.current.id) : [];
  scratch(req)[VALIDATED_CHILDREN] = new Set(children.map((c) => c.id.toLowerCase()));
  for (const [i, s] of wanted.entries()) {
    const id = subnetId(req.id, s);
    const current = children.find((c) => c.id.toLowerCase() === id.toLowerCase());
    const siblings = wanted
      .filter((_, j) => j < i)
      .map((o) => ({ name: String(o.name ?? ''), prefixes: prefixesOf(propertiesOf(o)) }));
    const invalid = checkSubnet(s, {
      id,
      name: String(s.name ?? ''),
      vnetName: String(req.current?.body.name ?? req.path.name),
      space: prefixes,
      siblings,
      current: current?.body,
      exists: (ref) => hctx.store.has(ref),
    });
    if (invalid) return invalid;
  }
  const kept = new Set(wanted.map((s) => subnetId(req.id, s).toLowerCase()));
  for (const child of children) {
    if (kept.has(child.id.toLowerCase())) continue;
    const refused = checkDelete(String(child.body.name), child.body);
    if (refused) return refused;
  }
  return undefined;
}

/**
 * Microsoft.Network/virtualNetworks. Subnets are stored as child resources (what Subnets_* reads and writes) and
 * composed into `properties.subnets` on every read, so the VNet and its subnets never disagree. A VNet PUT
 * replaces the subnet list once its long-running operation succeeds.
 */
export const virtualNetworks: ResourceTypeHandler = {
  type: VNET_TYPE,
  operationGroup: 'VirtualNetworks',
  lro: true,
  etagProperty: 'etag',
  view(resource, hctx) {
    const properties = { ...propertiesOf(resource.body), subnets: childSubnets(hctx, resource.id).map((s) => s.body) };
    return { ...resource.body, properties };
  },
  validate: validateVnet,
  apply(req) {
    const { id: _id, etag: _etag, type: _type, ...rest } = req.body;
    const was = propertiesOf(req.current?.body);
    const properties = { ...propertiesOf(req.body), ...(was.resourceGuid ? { resourceGuid: was.resourceGuid } : {}) };
    return {
      ...rest,
      id: req.id,
      name: req.current?.body.name ?? req.path.name,
      type: VNET_TYPE,
      location: normalizeLocation(String(req.body.location)),
      properties,
    };
  },
  afterWrite(resource, hctx, req) {
    syncSubnets(resource, hctx, (scratch(req)[VALIDATED_CHILDREN] as ReadonlySet<string> | undefined) ?? new Set());
  },
  validateDelete(current, hctx) {
    for (const child of childSubnets(hctx, current.id)) {
      const refused = checkDelete(String(child.body.name), child.body);
      if (refused) return refused;
    }
    return undefined;
  },
  onLoad(resource, hctx) {
    // Subnets embedded in a scenario (or example) VNet become child resources, unless also listed on their own.
    for (const s of subnetsIn(resource.body)) {
      const id = typeof s.id === 'string' ? s.id : subnetId(resource.id, s);
      if (hctx.store.has(id)) continue;
      hctx.store.put(id, SUBNET_TYPE, s.id === undefined ? { ...s, id } : s);
    }
    // Last, so the VNet's etag (the scenario's, if it gave one) is the one the group shares, mirrored in every body.
    hctx.store.put(resource.id, resource.type, withoutSubnets(resource.body), resource.etag);
  },
};

/**
 * Applies a VNet PUT's subnet list to the child resources, then stores the VNet without its (now composed) list.
 * A subnet the list leaves out is deleted only if it was there when the PUT was validated (one created since was
 * not the PUT's to remove).
 */
function syncSubnets(resource: StoredResource, hctx: HandlerContext, validated: ReadonlySet<string>): void {
  const wanted = subnetsIn(resource.body);
  const ids = new Set<string>();
  for (const s of wanted) {
    const id = subnetId(resource.id, s);
    ids.add(id.toLowerCase());
    const current = hctx.store.get(id);
    storeSubnet(hctx, subnetBody(current?.id ?? id, String(current?.body.name ?? s.name), s, current?.body));
  }
  for (const child of childSubnets(hctx, resource.id)) {
    const key = child.id.toLowerCase();
    if (!ids.has(key) && validated.has(key)) hctx.store.deleteTree(child.id);
  }
  hctx.store.put(resource.id, resource.type, withoutSubnets(resource.body), resource.etag);
}
