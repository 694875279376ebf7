import { ArmError } from '../errors.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import type { Json } from '../store.js';
import { jsonList, propertiesOf, SUBNET_TYPE } from './subnet-rules.js';
import { storeSubnet } from './subnets.js';

const GROUP_TYPE = 'Microsoft.ContainerInstance/containerGroups';
const SAL_TYPE = `${SUBNET_TYPE}/serviceAssociationLinks`;
/** The name ACI gives the one service association link it puts on a subnet it uses. */
const SAL_NAME = 'acisal';

/** The subnet ids a container group body names (`properties.subnetIds[].id`). */
const subnetIdsOf = (body: Json | undefined): string[] =>
  jsonList(propertiesOf(body).subnetIds).flatMap((s) => (typeof s.id === 'string' && s.id !== '' ? [s.id] : []));

const delegatedToAci = (subnet: Json): boolean =>
  jsonList(propertiesOf(subnet).delegations).some(
    (d) => String(propertiesOf(d).serviceName ?? d.serviceName ?? '').toLowerCase() === GROUP_TYPE.toLowerCase(),
  );

const isAciLink = (link: Json): boolean => String(link.name ?? '').toLowerCase() === SAL_NAME;

/** Puts ACI's service association link on a subnet (once; a link already there is kept as it is). */
function link(hctx: HandlerContext, subnetId: string): void {
  const subnet = hctx.store.get(subnetId);
  if (subnet === undefined) return;
  const properties = propertiesOf(subnet.body);
  const links = jsonList(properties.serviceAssociationLinks);
  if (links.some(isAciLink)) return;
  const sal: Json = {
    name: SAL_NAME,
    id: `${subnet.id}/serviceAssociationLinks/${SAL_NAME}`,
    type: SAL_TYPE,
    properties: { linkedResourceType: GROUP_TYPE, allowDelete: false, provisioningState: 'Succeeded' },
  };
  storeSubnet(hctx, { ...subnet.body, properties: { ...properties, serviceAssociationLinks: [...links, sal] } });
}

/** Removes ACI's link from a subnet no container group uses any more. */
function unlinkIfUnused(hctx: HandlerContext, subnetId: string): void {
  const key = subnetId.toLowerCase();
  const used = hctx.store.list(GROUP_TYPE, '').some((g) => subnetIdsOf(g.body).some((id) => id.toLowerCase() === key));
  const subnet = hctx.store.get(subnetId);
  if (used || subnet === undefined) return;
  const properties = propertiesOf(subnet.body);
  const links = jsonList(properties.serviceAssociationLinks);
  if (!links.some(isAciLink)) return;
  storeSubnet(hctx, {
    ...subnet.body,
    properties: { ...properties, serviceAssociationLinks: links.filter((l) => !isAciLink(l)) },
  });
}

/** Releases the subnets a container group no longer uses, after the configured delay (ACI lets go lazily). */
function release(hctx: HandlerContext, subnetIds: string[]): void {
  if (subnetIds.length === 0) return;
  const run = (): void => subnetIds.forEach((id) => unlinkIfUnused(hctx, id));
  const delay = hctx.services.serviceAssociationLinkReleaseMs ?? 0;
  if (delay <= 0) run();
  else setTimeout(run, delay).unref();
}

/** Subnets that carry ACI's link now. */
const linkedSubnets = (hctx: HandlerContext): string[] =>
  hctx.store
    .list(SUBNET_TYPE, '')
    .filter((s) => jsonList(propertiesOf(s.body).serviceAssociationLinks).some(isAciLink))
    .map((s) => s.id);

/**
 * Microsoft.ContainerInstance/containerGroups: PUT and DELETE are long-running, as in ACI. A group in a subnet
 * (`properties.subnetIds`) needs the subnet to exist (400 SubnetNotFound; the code is the emulator's choice) and to be
 * delegated to Microsoft.ContainerInstance/containerGroups (400 SubnetMissingRequiredDelegation, as ACI answers);
 * it then puts ACI's service association link `acisal` on the subnet, which keeps the subnet from being deleted and
 * its delegation from being removed (subnet-rules.ts) until no group uses it; the link goes when the last group in
 * the subnet does (after `serviceAssociationLinkReleaseMs`, default at once).
 */
export const containerGroups: ResourceTypeHandler = {
  type: GROUP_TYPE,
  lro: true,
  validate(req, hctx) {
    const name = String(req.current?.body.name ?? req.path.name);
    for (const id of subnetIdsOf(req.body)) {
      const subnet = hctx.store.get(id);
      if (subnet === undefined || subnet.type !== SUBNET_TYPE) {
        return new ArmError(
          400,
          'SubnetNotFound',
          `The subnet '${id}' of container group '${name}' could not be found.`,
        );
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
  },
  afterWrite(resource, hctx) {
    for (const id of subnetIdsOf(resource.body)) link(hctx, id);
    // A group moved out of a subnet (or written without one) lets go of it like a deleted group.
    release(hctx, linkedSubnets(hctx));
  },
  onDelete(removed, hctx) {
    release(hctx, subnetIdsOf(removed.body));
  },
  onLoad(resource, hctx) {
    for (const id of subnetIdsOf(resource.body)) {
      const subnet = hctx.store.get(id);
      if (subnet !== undefined && delegatedToAci(subnet.body)) link(hctx, id);
    }
  },
};
