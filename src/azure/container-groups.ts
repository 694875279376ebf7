// The ACI container group port: create/delete as long-running operations followed in the background, get, list by
// resource group, container logs, and the region's capabilities and usages (the node's capacity).
import type {
  Capabilities,
  ContainerGroup,
  ContainerInstanceManagementClient,
  Usage,
} from '@azure/arm-containerinstance';
import { armCall, isNotFound } from './arm-errors.js';
import { collect } from './collect.js';
import type { AzureContext } from './context.js';
import type { Throttle } from './throttle.js';

/** A write ARM accepted; `done` settles when its long-running operation does (rejects with an AzureError). */
export interface Accepted<T> {
  done: Promise<T>;
}

/** What the provider does with ACI. */
export interface ContainerGroupsPort {
  create(resourceGroup: string, name: string, body: ContainerGroup, pollMs: number): Promise<Accepted<ContainerGroup>>;
  /** undefined when the group does not exist. */
  get(resourceGroup: string, name: string): Promise<ContainerGroup | undefined>;
  list(resourceGroup: string): Promise<ContainerGroup[]>;
  /** Accepted also when the group was already gone. */
  delete(resourceGroup: string, name: string, pollMs: number): Promise<Accepted<void>>;
  logs(
    resourceGroup: string,
    name: string,
    container: string,
    options: { tail?: number; timestamps?: boolean },
  ): Promise<string>;
  capabilities(location: string): Promise<Capabilities[]>;
  usages(location: string): Promise<Usage[]>;
}

/** Every container group in a resource group (ACI's list: no instanceView; the virtual node's are in the node resource group). */
export async function listContainerGroups(azure: AzureContext, resourceGroup: string): Promise<ContainerGroup[]> {
  const aci = await azure.containerInstance();
  return collect(`listing container groups in ${resourceGroup}`, () =>
    aci.containerGroups.listByResourceGroup(resourceGroup),
  );
}

/** A client of its own when a throttle is given (its policy must see every attempt), else the context's. */
async function clientFor(
  azure: AzureContext,
  throttle: Throttle | undefined,
): Promise<ContainerInstanceManagementClient> {
  if (throttle === undefined) return azure.containerInstance();
  const { ContainerInstanceManagementClient } = await import('@azure/arm-containerinstance');
  const options = {
    ...azure.clientOptions,
    additionalPolicies: [
      ...azure.clientOptions.additionalPolicies,
      { policy: throttle.policy, position: 'perRetry' as const },
    ],
  };
  return new ContainerInstanceManagementClient(azure.credential, azure.subscriptionId, options as never);
}

/** The port over the real SDK client. */
export async function containerGroupsPort(azure: AzureContext, throttle?: Throttle): Promise<ContainerGroupsPort> {
  const aci = await clientFor(azure, throttle);
  return {
    async create(rg, name, body, pollMs) {
      const what = `creating container group ${name}`;
      const poller = await armCall(what, () =>
        aci.containerGroups.beginCreateOrUpdate(rg, name, body, { updateIntervalInMs: pollMs }),
      );
      return { done: armCall(what, () => poller.pollUntilDone()) };
    },
    async get(rg, name) {
      try {
        return await armCall(`reading container group ${name}`, () => aci.containerGroups.get(rg, name));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    list: (rg) => collect(`listing container groups in ${rg}`, () => aci.containerGroups.listByResourceGroup(rg)),
    async delete(rg, name, pollMs) {
      const what = `deleting container group ${name}`;
      try {
        const poller = await armCall(what, () =>
          aci.containerGroups.beginDelete(rg, name, { updateIntervalInMs: pollMs }),
        );
        return { done: armCall(what, async () => void (await poller.pollUntilDone())) };
      } catch (error) {
        if (isNotFound(error)) return { done: Promise.resolve() };
        throw error;
      }
    },
    async logs(rg, name, container, options) {
      const r = await armCall(`reading logs of ${name}/${container}`, () =>
        aci.containers.listLogs(rg, name, container, {
          ...(options.tail !== undefined ? { tail: options.tail } : {}),
          ...(options.timestamps !== undefined ? { timestamps: options.timestamps } : {}),
        }),
      );
      return r.content ?? '';
    },
    capabilities: (location) =>
      collect(`reading ACI capabilities in ${location}`, () => aci.location.listCapabilities(location)),
    usages: (location) => collect(`reading ACI usages in ${location}`, () => aci.location.listUsage(location)),
  };
}
