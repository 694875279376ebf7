import { createHash } from 'node:crypto';
import { jsonObject } from '../context.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import { parseArmPath } from '../ids.js';
import { normalizeLocation, resourceGroupId } from '../scope.js';
import { type Json, newEtag, type StoredResource } from '../store.js';
import { provisionAddon, validateAddon } from './managed-cluster-addon.js';
import { applyCluster } from './managed-cluster-body.js';
import { credentialActions } from './managed-cluster-credentials.js';
import { resourceGroupBody } from './resource-groups.js';
import { jsonList, SUBNET_TYPE } from './subnet-rules.js';
import { storeSubnet, VNET_TYPE } from './subnets.js';

/** Full type of an AKS cluster, canonical casing. */
export const MANAGED_CLUSTER_TYPE = 'Microsoft.ContainerService/managedClusters';

/** AKS's address space for the VNet it creates when no agent pool names a subnet, and the subnet in it. */
const MANAGED_VNET_SPACE = '10.224.0.0/12';
const MANAGED_SUBNET_PREFIX = '10.224.0.0/16';

const propertiesOf = (body: Json): Json => jsonObject(body.properties) ?? {};
const pools = (body: Json): Json[] => jsonList(propertiesOf(body).agentPoolProfiles);

/** What AKS names the node resource group when the cluster does not: `MC_<group>_<cluster>_<location>`. */
export function nodeResourceGroupOf(cluster: StoredResource): string {
  const given = propertiesOf(cluster.body).nodeResourceGroup;
  if (typeof given === 'string' && given !== '') return given;
  const p = parseArmPath(cluster.id);
  return `MC_${p?.resourceGroup ?? ''}_${String(cluster.body.name ?? p?.name)}_${normalizeLocation(String(cluster.body.location ?? ''))}`;
}

// AKS suffixes the resources it creates with a number derived from the cluster; any stable 8 digits do here.
export const suffixOf = (clusterId: string): string =>
  String(
    Number.parseInt(createHash('sha256').update(clusterId.toLowerCase()).digest('hex').slice(0, 8), 16) % 1e8,
  ).padStart(8, '0');

function put(hctx: HandlerContext, id: string, type: string, body: Json): void {
  const etag = newEtag();
  hctx.store.put(id, type, { ...body, id, type, etag }, etag);
}

/**
 * The AKS-managed VNet (`aks-vnet-<n>` with `aks-subnet`, its NSG, and for kubenet its route table) in the node
 * resource group, with one IP configuration per node, as AKS creates it for a cluster without `vnetSubnetID`.
 */
function createManagedVnet(cluster: StoredResource, hctx: HandlerContext, group: string, subscriptionId: string): void {
  const n = suffixOf(cluster.id);
  const location = normalizeLocation(String(cluster.body.location ?? hctx.scenario.regions[0]?.name ?? 'eastus'));
  const base = `${resourceGroupId(subscriptionId, group)}/providers`;
  const vnetId = `${base}/Microsoft.Network/virtualNetworks/aks-vnet-${n}`;
  const nsgId = `${base}/Microsoft.Network/networkSecurityGroups/aks-agentpool-${n}-nsg`;
  const kubenet =
    String(jsonObject(propertiesOf(cluster.body).networkProfile)?.networkPlugin ?? '').toLowerCase() === 'kubenet';
  const routeTableId = `${base}/Microsoft.Network/routeTables/aks-agentpool-${n}-routetable`;
  const ok = { provisioningState: 'Succeeded' };
  put(hctx, nsgId, 'Microsoft.Network/networkSecurityGroups', {
    name: `aks-agentpool-${n}-nsg`,
    location,
    properties: { ...ok, securityRules: [] },
  });
  if (kubenet)
    put(hctx, routeTableId, 'Microsoft.Network/routeTables', {
      name: `aks-agentpool-${n}-routetable`,
      location,
      properties: { ...ok, routes: [] },
    });
  put(hctx, vnetId, VNET_TYPE, {
    name: `aks-vnet-${n}`,
    location,
    properties: { ...ok, addressSpace: { addressPrefixes: [MANAGED_VNET_SPACE] }, virtualNetworkPeerings: [] },
  });
  const ipConfigurations = pools(cluster.body).flatMap((pool) => {
    const vmss = `aks-${String(pool.name)}-${n}-vmss`;
    const count = typeof pool.count === 'number' ? pool.count : 1;
    return Array.from({ length: count }, (_, i) => ({
      id: `${base}/Microsoft.Compute/virtualMachineScaleSets/${vmss}/virtualMachines/${i}/networkInterfaces/${vmss}/ipConfigurations/ipconfig1`,
    }));
  });
  storeSubnet(hctx, {
    id: `${vnetId}/subnets/aks-subnet`,
    name: 'aks-subnet',
    type: SUBNET_TYPE,
    properties: {
      addressPrefix: MANAGED_SUBNET_PREFIX,
      networkSecurityGroup: { id: nsgId },
      ...(kubenet ? { routeTable: { id: routeTableId } } : {}),
      ipConfigurations,
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    },
  });
}

/** The node resource group (managed by the cluster) and, without a BYO subnet, the AKS-managed VNet in it. */
function provision(cluster: StoredResource, hctx: HandlerContext): void {
  const subscriptionId = parseArmPath(cluster.id)?.subscriptionId;
  if (subscriptionId === undefined) return;
  const group = nodeResourceGroupOf(cluster);
  const groupId = resourceGroupId(subscriptionId, group);
  if (!hctx.store.has(groupId)) {
    const clusterGroup = parseArmPath(cluster.id)?.resourceGroup ?? '';
    const tags = { 'aks-managed-cluster-name': String(cluster.body.name), 'aks-managed-cluster-rg': clusterGroup };
    const location = String(cluster.body.location ?? hctx.scenario.regions[0]?.name ?? 'eastus');
    hctx.store.put(
      groupId,
      'Microsoft.Resources/resourceGroups',
      resourceGroupBody(subscriptionId, group, location, { managedBy: cluster.id, tags }),
    );
  }
  const byo = pools(cluster.body).some((p) => typeof p.vnetSubnetID === 'string' && p.vnetSubnetID !== '');
  if (!byo && hctx.store.list(VNET_TYPE, groupId).length === 0) createManagedVnet(cluster, hctx, group, subscriptionId);
}

/**
 * Infrastructure, then the add-on's identity and role when the add-on turns on; the identity lands in the add-on
 * profile (a new eTag). A scenario's cluster is judged against itself: an add-on it reports with an identity was
 * enabled before, so what the scenario lists (or leaves out) of the identity and its grant is what is left.
 */
function provisionAll(cluster: StoredResource, hctx: HandlerContext, before: Json | undefined): void {
  provision(cluster, hctx);
  const body = provisionAddon(cluster, nodeResourceGroupOf(cluster), hctx, before);
  if (body === undefined) return;
  const eTag = newEtag(cluster.type);
  hctx.store.put(cluster.id, cluster.type, { ...body, eTag }, eTag);
}

/**
 * Microsoft.ContainerService/managedClusters. GET and list serve the stored cluster (networkProfile,
 * apiServerAccessProfile, agentPoolProfiles, addonProfiles, eTag) as given; AKS's infrastructure comes with it:
 * the node resource group and, for clusters without `vnetSubnetID`, the managed VNet. PUT/DELETE are long-running.
 * A PUT keeps AKS's read-only fields and validates the virtual-node add-on; enabling it creates its identity
 * (managed-cluster-addon.ts). listClusterUser/AdminCredential hand out kubeconfigs (managed-cluster-credentials.ts).
 */
export const managedClusters: ResourceTypeHandler = {
  type: MANAGED_CLUSTER_TYPE,
  operationGroup: 'ManagedClusters',
  lro: true,
  etagProperty: 'eTag',
  validate: (req, hctx) =>
    validateAddon(
      req.body,
      nodeResourceGroupOf(req.current ?? { id: req.id, type: MANAGED_CLUSTER_TYPE, etag: '', body: req.body }),
      req.id,
      hctx,
    ),
  apply: applyCluster,
  actions: credentialActions,
  onLoad: (cluster, hctx) => provisionAll(cluster, hctx, cluster.body),
  afterWrite: (cluster, hctx, req) => provisionAll(cluster, hctx, req.current?.body),
  onDelete(removed, hctx) {
    const subscriptionId = parseArmPath(removed.id)?.subscriptionId;
    if (subscriptionId !== undefined)
      hctx.store.deleteTree(resourceGroupId(subscriptionId, nodeResourceGroupOf(removed)));
  },
};
