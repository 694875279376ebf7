import { allocateAddress, checkQuota, GROUP_TYPE, subnetIdsOf } from '../aci/capacity.js';
import { checkCapacity, checkGroupBody } from '../aci/rules.js';
import { jsonObject, propertiesOf } from '../context.js';
import { ArmError } from '../errors.js';
import {
  type ActionSpec,
  type HandlerContext,
  type ResourceTypeHandler,
  scratch,
  type WriteRequest,
} from '../handler.js';
import { normalizeLocation } from '../scope.js';
import type { Json, StoredResource } from '../store.js';
import { closedRegistries } from './container-registries.js';
import { delegatedToAci, link, linkedSubnets, release } from './container-group-subnets.js';
import { groupListView, groupView, type Runtime, runtimeOf, withRuntime } from './container-group-view.js';
import { SUBNET_TYPE } from './subnet-rules.js';

const props = propertiesOf;

/** Where validate leaves the private address it reserved for the group. */
const ADDRESS = 'address';

/** 400 when a subnet the group names is missing or not delegated to ACI. */
function checkSubnets(req: WriteRequest, hctx: HandlerContext, name: string): ArmError | undefined {
  for (const id of subnetIdsOf(req.body)) {
    const subnet = hctx.store.get(id);
    if (subnet === undefined || subnet.type !== SUBNET_TYPE) {
      return new ArmError(400, 'SubnetNotFound', `The subnet '${id}' of container group '${name}' could not be found.`);
    }
    if (!delegatedToAci(subnet.body)) {
      return new ArmError(
        400,
        'SubnetMissingRequiredDelegation',
        `Subnet missing required delegation 'Microsoft.ContainerInstance' for container group '${name}'.`,
      );
    }
  }
  return undefined;
}

/** What decides how the containers run: a write that changes it restarts them, as an ACI update does. */
const runSpec = (body: Json | undefined): string => {
  const p = props(body);
  return JSON.stringify([p.containers, p.initContainers, p.restartPolicy, p.volumes]);
};

/** The address the group has in its subnet, kept across updates that stay in the same subnet. */
function reserveAddress(req: WriteRequest, hctx: HandlerContext): ArmError | undefined {
  const subnetId = subnetIdsOf(req.body)[0];
  if (subnetId === undefined) return undefined;
  const kept = jsonObject(props(req.current?.body).ipAddress)?.ip;
  const sameSubnet = subnetIdsOf(req.current?.body)[0]?.toLowerCase() === subnetId.toLowerCase();
  if (sameSubnet && typeof kept === 'string') {
    scratch(req)[ADDRESS] = kept;
    return undefined;
  }
  const address = allocateAddress(hctx.store, hctx.store.get(subnetId) as StoredResource, req.id);
  if (address instanceof ArmError) return address;
  scratch(req)[ADDRESS] = address;
  return undefined;
}

/** A public address for a group outside a subnet, stable per group id (TEST-NET-2, never a routable address). */
function publicAddress(id: string): string {
  let h = 0;
  for (const ch of id.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `198.51.100.${(h % 250) + 1}`;
}

function validate(req: WriteRequest, hctx: HandlerContext): ArmError | undefined {
  const name = String(req.current?.body.name ?? req.path.name);
  const location = normalizeLocation(String(req.body.location ?? req.current?.body.location ?? ''));
  const region = hctx.scenario.regions.find((r) => r.name === location);
  const subscriptionId = req.path.subscriptionId ?? hctx.scenario.subscription.id;
  return (
    checkGroupBody(req.body, name, hctx.scenario.images ?? [], closedRegistries(hctx.store)) ??
    checkSubnets(req, hctx, name) ??
    checkCapacity(req.body, location, region?.capabilities ?? []) ??
    (region === undefined
      ? undefined
      : checkQuota(region.usages, hctx.store, subscriptionId, location, req.body, req.current?.body)) ??
    reserveAddress(req, hctx)
  );
}

/** The stored body: read-only parts (instance views, the address) set by ACI, not by the client. */
function apply(req: WriteRequest): Json {
  const { id: _id, name: _name, type: _type, etag: _etag, ...rest } = req.body;
  const p = props(rest);
  const strip = (containers: unknown) =>
    Array.isArray(containers)
      ? containers.map((c) => {
          const { instanceView: _v, ...cp } = props(jsonObject(c));
          return { ...jsonObject(c), properties: cp };
        })
      : containers;
  const { instanceView: _view, ...properties } = p;
  properties.containers = strip(p.containers);
  if (p.initContainers !== undefined) properties.initContainers = strip(p.initContainers);
  const ip = jsonObject(p.ipAddress);
  if (ip !== undefined) {
    const address = scratch(req)[ADDRESS];
    properties.ipAddress = { ...ip, ip: typeof address === 'string' ? address : publicAddress(req.id) };
  }
  const body: Json = {
    id: req.id,
    name: req.current?.body.name ?? req.path.name,
    type: GROUP_TYPE,
    ...rest,
    location: normalizeLocation(String(rest.location ?? req.current?.body.location ?? '')),
    properties,
  };
  // The containers keep running through an update that leaves them as they are (tags, a PATCH).
  const runtime =
    req.current !== undefined && runSpec(req.current.body) === runSpec(body) ? runtimeOf(req.current.body) : undefined;
  return withRuntime(body, runtime);
}

/** Re-stores the group with a new runtime (same etag: the instance view is not the resource's configuration). */
function setRuntime(resource: StoredResource, hctx: HandlerContext, runtime: Runtime): void {
  hctx.store.put(resource.id, resource.type, withRuntime(resource.body, runtime), resource.etag);
}

/** restart / stop / start: POST verbs answered 204 at once (the SDK's pollers take a final answer as done). */
const verb = (change: (r: Runtime | undefined, now: number) => Runtime): ActionSpec => ({
  kind: 'write',
  run({ resource }, hctx) {
    setRuntime(resource, hctx, change(runtimeOf(resource.body), hctx.now()));
    return { status: 204 };
  },
});

/**
 * Microsoft.ContainerInstance/containerGroups, as ACI serves them: PUT and DELETE are long-running; a PUT is checked
 * the way ACI checks it (aci/rules.ts: containers, resources, images, ports, volumes; the region's capabilities;
 * quota from the live usages; a subnet that exists, is delegated and has an address left). Once created, the
 * containers live through the stages of aci/lifecycle.ts, which GET shows as `instanceView` and lists leave out, as
 * ACI's do. In a subnet the group gets the first free address and puts ACI's service association link `acisal` on
 * the subnet (container-group-subnets.ts), which keeps it from being deleted or undelegated until no group uses it.
 */
export const containerGroups: ResourceTypeHandler = {
  type: GROUP_TYPE,
  lro: true,
  validate,
  apply,
  view: groupView,
  listView: groupListView,
  afterWrite(resource, hctx) {
    for (const id of subnetIdsOf(resource.body)) link(hctx, id);
    // A group moved out of a subnet (or written without one) lets go of it like a deleted group.
    release(hctx, linkedSubnets(hctx));
    const now = hctx.store.get(resource.id);
    if (now !== undefined && runtimeOf(now.body) === undefined) setRuntime(now, hctx, { startedAt: hctx.now() });
  },
  onDelete(removed, hctx) {
    release(hctx, subnetIdsOf(removed.body));
  },
  onLoad(resource, hctx) {
    for (const id of subnetIdsOf(resource.body)) {
      const subnet = hctx.store.get(id);
      if (subnet !== undefined && delegatedToAci(subnet.body)) link(hctx, id);
    }
    // A scenario group that says how it is doing keeps saying it; one that does not starts running now.
    const p = props(resource.body);
    const described = p.instanceView !== undefined || JSON.stringify(p.containers ?? []).includes('"instanceView"');
    if (!described && p.provisioningState === 'Succeeded') setRuntime(resource, hctx, { startedAt: hctx.now() });
  },
  actions: {
    restart: verb((_r, now) => ({ startedAt: now })),
    stop: verb((r, now) => ({ startedAt: r?.startedAt ?? now, stoppedAt: now })),
    start: verb((_r, now) => ({ startedAt: now })),
  },
};
