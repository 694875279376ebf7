// VNets, subnets and NSGs. A VNet may live in another subscription than the context's, so each call names its own.
import type { NetworkSecurityGroup, Subnet, VirtualNetwork } from '@azure/arm-network';
import { armCall } from './arm-errors.js';
import { collect } from './collect.js';
import type { AzureContext } from './context.js';
import type { WriteOptions } from './clusters.js';
import { recordRequest, type Recorded } from './record.js';

/** Where a VNet is. */
export interface VnetRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** One VNet, with its subnets inline. */
export async function getVnet(azure: AzureContext, vnet: VnetRef): Promise<VirtualNetwork> {
  const net = await azure.network(vnet.subscriptionId);
  return armCall(`reading VNet ${vnet.name} in resource group ${vnet.resourceGroup}`, () =>
    net.virtualNetworks.get(vnet.resourceGroup, vnet.name),
  );
}

/** Every VNet in a resource group of the context's subscription. */
export async function listVnets(azure: AzureContext, resourceGroup: string): Promise<VirtualNetwork[]> {
  const net = await azure.network();
  return collect(`listing VNets in node resource group ${resourceGroup}`, () =>
    net.virtualNetworks.list(resourceGroup),
  );
}

/** A network security group with its rules (a subnet GET carries only its id). */
export async function getNsg(
  azure: AzureContext,
  nsg: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<NetworkSecurityGroup> {
  const net = await azure.network(nsg.subscriptionId);
  return armCall(`reading NSG ${nsg.name}`, () => net.networkSecurityGroups.get(nsg.resourceGroup, nsg.name));
}

/** PUTs the whole subnet (with the caller's precondition headers) and waits for the operation. */
export async function putSubnet(
  azure: AzureContext,
  vnet: VnetRef,
  name: string,
  body: Subnet,
  options: WriteOptions & { what: string },
): Promise<Recorded<Subnet>> {
  const net = await azure.network(vnet.subscriptionId);
  const send = (headers: Record<string, string>) => {
    const poller = net.subnets.createOrUpdate(vnet.resourceGroup, vnet.name, name, body, {
      abortSignal: options.signal,
      requestOptions: { headers: { ...options.headers, ...headers } },
    });
    if (options.onProgress) poller.onProgress((s) => options.onProgress!(s.status));
    return poller;
  };
  if (options.dryRun) return recordRequest(net.pipeline, true, send);
  return armCall(`trying to ${options.what}`, () => recordRequest(net.pipeline, false, send));
}

/** DELETEs a subnet, If-Match its ETag when given. */
export async function deleteSubnet(
  azure: AzureContext,
  vnet: VnetRef,
  name: string,
  options: WriteOptions & { etag?: string },
): Promise<Recorded<void>> {
  const net = await azure.network(vnet.subscriptionId);
  return armCall(`deleting subnet ${name}`, () =>
    recordRequest(net.pipeline, options.dryRun, (headers) =>
      net.subnets.delete(vnet.resourceGroup, vnet.name, name, {
        abortSignal: options.signal,
        requestOptions: { headers: { ...(options.etag ? { 'If-Match': options.etag } : {}), ...headers } },
      }),
    ),
  );
}
