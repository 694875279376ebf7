// What the aci-connector does with Azure when it starts: look up the ACI subnet with the add-on identity, delegate it
// to Microsoft.ContainerInstance/containerGroups if needed, and make sure it may join container groups to it. Each
// failure is the connector's own log line (the texts users meet in `kubectl logs`, see research/pain.md §2.1).
import { isAllowed } from '../arm/authorization.js';
import { jsonObject } from '../arm/context.js';
import { ArmError } from '../arm/errors.js';
import type { HandlerContext } from '../arm/handler.js';
import { parseArmPath } from '../arm/ids.js';
import type { Json, StoredResource } from '../arm/store.js';
import { addonOf, addonSubnetId } from '../arm/handlers/managed-cluster-addon.js';
import { nodeResourceGroupOf } from '../arm/handlers/managed-clusters.js';
import { jsonList, propertiesOf, serviceLinks } from '../arm/handlers/subnet-rules.js';
import { storeSubnet, subnets } from '../arm/handlers/subnets.js';
import { injectedConnectorError } from './connector-fault.js';

const ACI = 'Microsoft.ContainerInstance/containerGroups';
/** The api-version the connector's network client uses, as it appears in its error lines. */
const NETWORK_API = '2022-07-01';

/** Where the add-on stands with Azure: ready (subnet usable) or failing with the connector's log line. */
export type InitResult =
  { ok: true; subnetId: string; vnetName: string; vnetResourceGroup: string } | { ok: false; error: string };

/** The add-on identity as the cluster reports it. */
export function addonIdentity(cluster: StoredResource): { clientId: string; objectId: string } | undefined {
  const identity = jsonObject(addonOf(cluster.body)?.profile.identity);
  if (typeof identity?.clientId !== 'string' || typeof identity.objectId !== 'string') return undefined;
  return { clientId: identity.clientId, objectId: identity.objectId };
}

const url = (id: string): string => `https://management.azure.com${id}?api-version=${NETWORK_API}`;

/** ARM's AuthorizationFailed text for the identity, as the connector's HTTP client prints it. */
const authorizationFailed = (
  who: { clientId: string; objectId: string },
  action: string,
  scope: string,
  verb: string,
): string =>
  `${verb}: api call to ${url(scope)}: got HTTP response status code 403 error code "AuthorizationFailed": The client '${who.clientId}' with object id ` +
  `'${who.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. ` +
  'If access was recently granted, please refresh your credentials.';

/** The connector's fatal log line (logrus text format). */
export const fatalLine = (nowMs: number, error: string): string =>
  `time="${new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z')}" level=fatal msg="Error initializing provider" ` +
  `error="error setting up network profile: ${error.replace(/"/g, '\\"')}" node=virtual-node-aci-linux operatingSystem=Linux provider=azure`;

/** PUT of the subnet with the ACI delegation appended, through the subnet type's own rules (as Network would judge it). */
function delegate(subnet: StoredResource, hctx: HandlerContext): ArmError | undefined {
  const properties = propertiesOf(subnet.body);
  const delegations = [
    ...jsonList(properties.delegations),
    {
      name: 'aciDelegation',
      properties: { serviceName: ACI, actions: ['Microsoft.Network/virtualNetworks/subnets/action'] },
    },
  ];
  const body: Json = { ...subnet.body, properties: { ...properties, delegations } };
  const path = parseArmPath(subnet.id);
  if (path === undefined) return undefined;
  const req = { method: 'PUT' as const, id: subnet.id, path, body, current: subnet, apiVersion: NETWORK_API };
  const refused = subnets.validate?.(req, hctx);
  if (refused !== undefined) return refused;
  storeSubnet(hctx, subnets.apply?.(req, hctx) ?? body);
  return undefined;
}

/**
 * One start of the connector against ARM. Needs on the ACI subnet (directly or inherited): subnets/read to find
 * it, subnets/write when it has to delegate it, and subnets/join/action to place container groups in it.
 */
export function initConnector(cluster: StoredResource, hctx: HandlerContext): InitResult {
  const who = addonIdentity(cluster);
  const subnetId = addonSubnetId(cluster.body, nodeResourceGroupOf(cluster), cluster.id, hctx);
  if (who === undefined || subnetId === undefined)
    return { ok: false, error: 'the add-on has no identity or subnet configured yet' };
  // A deleted identity: IMDS refuses the token with 400 "Identity not found", so the first ARM call (the subnet
  // lookup) never leaves the pod. AKS keeps reporting the identity until the add-on is re-enabled.
  const identityId = jsonObject(addonOf(cluster.body)?.profile.identity)?.resourceId;
  if (typeof identityId === 'string' && !hctx.store.has(identityId)) {
    return {
      ok: false,
      error:
        'error while looking up subnet: ManagedIdentityCredential: IMDS token request failed: StatusCode=400, ' +
        `Response={"error":"invalid_request","error_description":"Identity not found"} (client id ${who.clientId})`,
    };
  }
  const injected = injectedConnectorError(cluster);
  if (injected !== undefined) return { ok: false, error: injected };
  const vnet = parseArmPath(parseArmPath(subnetId)?.parentId ?? '');
  const [vnetName, vnetResourceGroup, subnetName] = [
    vnet?.name ?? '',
    vnet?.resourceGroup ?? '',
    parseArmPath(subnetId)?.name ?? '',
  ];
  const allowed = (action: string): boolean =>
    isAllowed(hctx, who.objectId, `Microsoft.Network/virtualNetworks/subnets/${action}`, subnetId);
  if (!allowed('read')) {
    return {
      ok: false,
      error: authorizationFailed(
        who,
        'Microsoft.Network/virtualNetworks/subnets/read',
        subnetId,
        'error while looking up subnet',
      ),
    };
  }
  const subnet = hctx.store.get(subnetId);
  if (subnet === undefined) {
    return {
      ok: false,
      error: `subnet '${subnetId}' is not found in vnet '${vnetName}' in resource group '${vnetResourceGroup}' and subnet CIDR is not specified`,
    };
  }
  const properties = propertiesOf(subnet.body);
  const routeTable = jsonObject(properties.routeTable)?.id;
  if (typeof routeTable === 'string') {
    return {
      ok: false,
      error: `unable to delegate subnet '${subnetName}' to Azure Container Instance since it references the route table '${routeTable}'`,
    };
  }
  const links = serviceLinks(subnet.body);
  const foreign = links.find((l) => l.type.toLowerCase() !== ACI.toLowerCase());
  if (foreign !== undefined) {
    return {
      ok: false,
      error: `unable to delegate subnet '${subnetName}' to Azure Container Instance as it is used by other Azure resource: '${foreign.id}'`,
    };
  }
  const delegated = jsonList(properties.delegations).some(
    (d) => String(propertiesOf(d).serviceName ?? d.serviceName ?? '').toLowerCase() === ACI.toLowerCase(),
  );
  if (!delegated && links.length === 0) {
    if (!allowed('write')) {
      return {
        ok: false,
        error: authorizationFailed(
          who,
          'Microsoft.Network/virtualNetworks/subnets/write',
          subnetId,
          'error creating subnet',
        ),
      };
    }
    const refused = delegate(subnet, hctx);
    if (refused !== undefined) {
      return {
        ok: false,
        error: `error creating subnet: api call to ${url(subnetId)}: got HTTP response status code ${refused.status} error code "${refused.code}": ${refused.message}`,
      };
    }
  }
  if (!allowed('join/action')) {
    return {
      ok: false,
      error: authorizationFailed(
        who,
        'Microsoft.Network/virtualNetworks/subnets/join/action',
        subnetId,
        'error validating subnet',
      ),
    };
  }
  return { ok: true, subnetId, vnetName, vnetResourceGroup };
}
