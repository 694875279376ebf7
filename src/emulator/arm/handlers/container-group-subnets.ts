import type { HandlerContext } from '../handler.js';
import type { Json } from '../store.js';
import { GROUP_TYPE, groupsInSubnet } from '../aci/capacity.js';
import { jsonList, propertiesOf, SUBNET_TYPE } from './subnet-rules.js';
import { storeSubnet } from './subnets.js';

const SAL_TYPE = `${SUBNET_TYPE}/serviceAssociationLinks`;
/** The name ACI gives the one service association link it puts on a subnet it uses. */
const SAL_NAME = 'acisal';

export const delegatedToAci = (subnet: Json): boolean =>
  jsonList(propertiesOf(subnet).delegations).some(
    (d) => String(propertiesOf(d).serviceName ?? d.serviceName ?? '').toLowerCase() === GROUP_TYPE.toLowerCase(),
  );

const isAciLink = (link: Json): boolean => String(link.name ?? '').toLowerCase() === SAL_NAME;

/** Puts ACI's service association link on a subnet (once; a link already there is kept as it is). */
export function link(hctx: HandlerContext, subnetId: string): void {
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
  const subnet = hctx.store.get(subnetId);
  if (groupsInSubnet(hctx.store, subnetId) > 0 || subnet === undefined) return;
  const properties = propertiesOf(subnet.body);
  const links = jsonList(properties.serviceAssociationLinks);
  if (!links.some(isAciLink)) return;
  storeSubnet(hctx, {
    ...subnet.body,
    properties: { ...properties, serviceAssociationLinks: links.filter((l) => !isAciLink(l)) },
  });
}

/** Releases the subnets a container group no longer uses, after the configured delay (ACI lets go lazily). */
export function release(hctx: HandlerContext, subnetIds: string[]): void {
  if (subnetIds.length === 0) return;
  const run = (): void => subnetIds.forEach((id) => unlinkIfUnused(hctx, id));
  const delay = hctx.services.serviceAssociationLinkReleaseMs ?? 0;
  if (delay <= 0) run();
  else setTimeout(run, delay).unref();
}

/** Subnets that carry ACI's link now. */
export const linkedSubnets = (hctx: HandlerContext): string[] =>
  hctx.store
    .list(SUBNET_TYPE, '')
    .filter((s) => jsonList(propertiesOf(s.body).serviceAssociationLinks).some(isAciLink))
    .map((s) => s.id);
