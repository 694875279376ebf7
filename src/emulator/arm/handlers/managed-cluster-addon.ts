// What AKS does with `addonProfiles.aciConnectorLinux` (virtual nodes): it validates the add-on's config, gives the
// add-on a user-assigned identity in the node resource group, and lets that identity manage the node resource group.
import { createHash } from 'node:crypto';
import { ROLE_ASSIGNMENT_TYPE } from '../authorization.js';
import { jsonObject } from '../context.js';
import { ArmError } from '../errors.js';
import type { HandlerContext } from '../handler.js';
import { parseArmPath } from '../ids.js';
import { resourceGroupId } from '../scope.js';
import type { Json, StoredResource } from '../store.js';
import { roleDefinitionId } from './role-definitions.js';
import { jsonList, SUBNET_TYPE } from './subnet-rules.js';
import { VNET_TYPE } from './subnets.js';
import { ensureIdentity, IDENTITY_TYPE, principalOf } from './user-assigned-identities.js';

/** The add-on's key, as AKS spells it; clients may send any casing. */
const ADDON_KEY = 'aciConnectorLinux';

const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

const propertiesOf = (body: Json | undefined): Json => jsonObject(body?.properties) ?? {};

/** The add-on's profile and the key it is stored under, whatever its casing. */
export function addonOf(body: Json | undefined): { key: string; profile: Json } | undefined {
  const profiles = jsonObject(propertiesOf(body).addonProfiles) ?? {};
  const key = Object.keys(profiles).find((k) => k.toLowerCase() === ADDON_KEY.toLowerCase());
  const profile = key === undefined ? undefined : jsonObject(profiles[key]);
  return key === undefined || profile === undefined ? undefined : { key, profile };
}

/** True when the add-on is on. */
export const addonEnabled = (body: Json | undefined): boolean => addonOf(body)?.profile.enabled === true;

/** The add-on's `SubnetName` (the key in any casing), or '' when not set. */
export function addonSubnetName(body: Json | undefined): string {
  const config = jsonObject(addonOf(body)?.profile.config) ?? {};
  const key = Object.keys(config).find((k) => k.toLowerCase() === 'subnetname');
  return key === undefined ? '' : String(config[key] ?? '');
}

/** The VNet the cluster's nodes live in: the first pool's `vnetSubnetID` parent, else the AKS-managed VNet. */
function clusterVnetId(
  body: Json,
  nodeResourceGroup: string,
  clusterId: string,
  hctx: HandlerContext,
): string | undefined {
  const pools = jsonList(propertiesOf(body).agentPoolProfiles);
  const subnetId = pools.map((p) => p.vnetSubnetID).find((v): v is string => typeof v === 'string' && v !== '');
  if (subnetId !== undefined) return parseArmPath(subnetId)?.parentId;
  const subscriptionId = parseArmPath(clusterId)?.subscriptionId ?? '';
  return hctx.store.list(VNET_TYPE, resourceGroupId(subscriptionId, nodeResourceGroup))[0]?.id;
}

/** The add-on's ACI subnet id, or undefined when the add-on names none or the cluster has no VNet. */
export function addonSubnetId(
  body: Json,
  nodeResourceGroup: string,
  clusterId: string,
  hctx: HandlerContext,
): string | undefined {
  const vnet = clusterVnetId(body, nodeResourceGroup, clusterId, hctx);
  const name = addonSubnetName(body);
  return vnet === undefined || name === '' ? undefined : `${vnet}/subnets/${name}`;
}

const target = 'AddonProfiles.ACIConnectorLinux';

/**
 * AKS's checks of an enabled add-on: a subnet name, Azure CNI, and a subnet that exists in the cluster's VNet.
 * The codes and texts are AKS's where known (ACIConnectorRequiresAzureNetworking, the GetSubnetError wording).
 */
export function validateAddon(
  body: Json,
  nodeResourceGroup: string,
  clusterId: string,
  hctx: HandlerContext,
): ArmError | undefined {
  if (!addonEnabled(body)) return undefined;
  const subnetName = addonSubnetName(body);
  if (subnetName === '') {
    return new ArmError(
      400,
      'InvalidParameter',
      `The value of parameter addonProfiles.${ADDON_KEY}.config.SubnetName is invalid: the ACI connector add-on requires a subnet name.`,
      { target },
    );
  }
  const plugin = String(jsonObject(propertiesOf(body).networkProfile)?.networkPlugin ?? 'kubenet').toLowerCase();
  if (plugin !== 'azure')
    return new ArmError(400, 'ACIConnectorRequiresAzureNetworking', 'ACI Connector requires azure network plugin', {
      target,
    });
  const vnetId = clusterVnetId(body, nodeResourceGroup, clusterId, hctx);
  const vnet = parseArmPath(vnetId ?? '');
  if (vnetId !== undefined && hctx.store.get(`${vnetId}/subnets/${subnetName}`)?.type === SUBNET_TYPE) return undefined;
  return new ArmError(
    400,
    'GetSubnetError',
    `Could not find subnet ${subnetName} in vnet ${vnet?.name ?? '<none>'} from resource group ${vnet?.resourceGroup ?? nodeResourceGroup} of subscription ${vnet?.subscriptionId ?? hctx.scenario.subscription.id}.`,
    { target },
  );
}

/**
 * The add-on profile to store: canonical key, config as sent, and the identity as AKS knows it (read-only: what a
 * client sends back is ignored). Other profiles are kept as sent.
 */
export function applyAddon(properties: Json, current: Json | undefined): Json {
  const profiles = jsonObject(properties.addonProfiles);
  if (profiles === undefined) return properties;
  const out: Json = {};
  for (const [k, v] of Object.entries(profiles)) if (k.toLowerCase() !== ADDON_KEY.toLowerCase()) out[k] = v;
  const sent = addonOf({ properties });
  if (sent !== undefined) {
    const { identity: _ignored, ...rest } = sent.profile;
    const known = jsonObject(addonOf(current)?.profile.identity);
    out[ADDON_KEY] = { ...rest, config: rest.config ?? null, ...(known === undefined ? {} : { identity: known }) };
  }
  return { ...properties, addonProfiles: out };
}

/** The add-on identity's resource id, as AKS reports it (with AKS's lower-case `resourcegroups`). */
const addonIdentityId = (subscriptionId: string, nodeResourceGroup: string, clusterName: string): string =>
  `/subscriptions/${subscriptionId}/resourcegroups/${nodeResourceGroup}/providers/${IDENTITY_TYPE}/aciconnectorlinux-${clusterName}`;

/** A stable GUID for a role assignment AKS makes (same inputs, same name). */
function assignmentName(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('|').toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * When the add-on turns on (it was off before this write, or the scenario left its identity to AKS): the identity
 * `aciconnectorlinux-<cluster>` in the node resource group (kept when the add-on is disabled later, as AKS keeps it),
 * Contributor for it on the node resource group, and the identity in the add-on profile. While the add-on stays on,
 * AKS does not re-create a deleted identity or a removed grant: the profile keeps reporting the old identity until
 * the add-on is disabled and enabled again (Azure/AKS#4561: AKS keeps using a deleted identity's client id;
 * Azure/AKS#993: add-ons pick up new identities only on disable + re-enable; the grant is made when the add-on is
 * enabled, Azure/azure-cli-extensions#2964). Returns the cluster body to store, or undefined when nothing changes.
 */
export function provisionAddon(
  cluster: StoredResource,
  nodeResourceGroup: string,
  hctx: HandlerContext,
  before: Json | undefined,
): Json | undefined {
  const addon = addonOf(cluster.body);
  const p = parseArmPath(cluster.id);
  if (addon === undefined || addon.profile.enabled !== true || p?.subscriptionId === undefined) return undefined;
  const turnsOn = !addonEnabled(before) || jsonObject(addon.profile.identity) === undefined;
  if (!turnsOn) return undefined;
  const name = String(cluster.body.name ?? p.name);
  const location = String(cluster.body.location ?? 'eastus');
  const identityId = addonIdentityId(p.subscriptionId, nodeResourceGroup, name);
  const identity = ensureIdentity(hctx, identityId, `aciconnectorlinux-${name}`, location, { createdBy: 'AKS' });
  const principal = principalOf(identity);
  if (principal === undefined) return undefined;
  const groupScope = resourceGroupId(p.subscriptionId, nodeResourceGroup);
  const assignmentId = `${groupScope}/providers/${ROLE_ASSIGNMENT_TYPE}/${assignmentName('aks-addon', groupScope, principal.principalId)}`;
  const contributor = roleDefinitionId(p.subscriptionId, CONTRIBUTOR).toLowerCase();
  const granted = hctx.store.list(ROLE_ASSIGNMENT_TYPE, groupScope).some((a) => {
    const props = jsonObject(a.body.properties) ?? {};
    return (
      String(props.principalId ?? '').toLowerCase() === principal.principalId.toLowerCase() &&
      String(props.roleDefinitionId ?? '').toLowerCase() === contributor &&
      String(props.scope ?? '').toLowerCase() === groupScope.toLowerCase()
    );
  });
  if (!granted) {
    const now = new Date(hctx.now()).toISOString();
    hctx.store.put(assignmentId, ROLE_ASSIGNMENT_TYPE, {
      id: assignmentId,
      name: assignmentId.slice(assignmentId.lastIndexOf('/') + 1),
      type: ROLE_ASSIGNMENT_TYPE,
      properties: {
        roleDefinitionId: roleDefinitionId(p.subscriptionId, CONTRIBUTOR),
        principalId: principal.principalId,
        principalType: 'ServicePrincipal',
        scope: groupScope,
        createdOn: now,
        updatedOn: now,
        description: 'Granted by AKS to the aciConnectorLinux add-on',
      },
    });
  }
  const reported = { resourceId: identity.id, clientId: principal.clientId, objectId: principal.principalId };
  if (JSON.stringify(addon.profile.identity) === JSON.stringify(reported)) return undefined;
  const properties = propertiesOf(cluster.body);
  const profiles = {
    ...(jsonObject(properties.addonProfiles) ?? {}),
    [addon.key]: { ...addon.profile, identity: reported },
  };
  return { ...cluster.body, properties: { ...properties, addonProfiles: profiles } };
}
