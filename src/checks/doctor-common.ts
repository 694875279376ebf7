// Pieces shared by doctor's checks: outcome builders, the names that go into fix commands, which virtual nodes and
// connector pods a check looks at, and the stack tags doctor uses to run only the checks that apply.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { StackKind } from './doctor-facts.js';
import { ADDON_NODE, isVirtualNode } from './stack/detect.js';

export { ev, outcome as result } from './engine.js';
export { VIRTUAL_NODES_DOC } from './network/common.js';
/** The virtual nodes v2 article. */
export const V2_DOC = 'https://learn.microsoft.com/azure/aks/virtual-nodes-v2';

/** Tags saying which stacks a check applies to; a check without one applies to every stack. */
export const STACK_TAG: Record<StackKind, string> = {
  'v1-addon': 'stack:v1-addon',
  'v2-extension': 'stack:v2-extension',
  'v2-helm': 'stack:v2-helm',
  'helm-vk': 'stack:helm-vk',
  none: 'stack:none',
};
/** The add-on and its connector (v1 and the add-on-less preview of it). */
export const V1 = [STACK_TAG['v1-addon'], STACK_TAG.none];
/** Every stack with a virtual node. */
export const ANY_NODE = [STACK_TAG['v1-addon'], STACK_TAG['v2-extension'], STACK_TAG['v2-helm'], STACK_TAG['helm-vk']];
export const V2 = [STACK_TAG['v2-extension'], STACK_TAG['v2-helm']];

/** Cluster name, group and node group for fix commands. */
export interface ClusterNames {
  cluster: string;
  group: string;
  nodeGroup: string;
  subscriptionId: string;
}

/** Reads the names from the cluster's id. */
export function clusterNames(cluster: ManagedCluster): ClusterNames {
  const parts = (cluster.id ?? '').split('/');
  const at = (key: string) => parts[parts.findIndex((p) => p.toLowerCase() === key) + 1];
  return {
    cluster: cluster.name ?? at('managedclusters') ?? '<cluster>',
    group: at('resourcegroups') ?? '<resource-group>',
    nodeGroup: cluster.nodeResourceGroup ?? '<node-resource-group>',
    subscriptionId: at('subscriptions') ?? '<subscription>',
  };
}

/** The virtual nodes a check looks at: the add-on's, else every node a virtual-node stack registered. */
export function virtualNodes(nodes: readonly V1Node[]): V1Node[] {
  return nodes.filter((n) => n.metadata?.name === ADDON_NODE || isVirtualNode(n));
}

/** Pods bound to any virtual node. */
export function podsOnVirtualNodes(pods: readonly V1Pod[], nodes: readonly V1Node[]): V1Pod[] {
  const names = new Set(virtualNodes(nodes).map((n) => n.metadata?.name));
  names.add(ADDON_NODE);
  return pods.filter((p) => p.spec?.nodeName !== undefined && names.has(p.spec.nodeName));
}

/** The v1 connector's pods. */
export function connectorPods(pods: readonly V1Pod[]): V1Pod[] {
  return pods.filter(
    (p) => p.metadata?.namespace === 'kube-system' && p.metadata?.labels?.app === 'aci-connector-linux',
  );
}

/** `ns/name` of an object. */
export const ref = (o: { metadata?: { namespace?: string; name?: string } }): string =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata?.name ?? '?');

/** A Date or string timestamp as ms since the epoch. */
export function timeMs(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** "a, b and 3 more". */
export function few(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
