// Which virtual-node stack a cluster runs, from the fingerprint in research/anchors-turn2.md §1.3: the v1 add-on
// (addonProfiles.aciConnectorLinux), the v2 AKS extension (Microsoft.KubernetesConfiguration extension of type
// microsoft.virtualnodes, namespace vn-system), the v2 Helm chart (StatefulSet of the virtualnode chart, nodes
// labelled virtualization=virtualnode2, upstream kubeletVersion), or a Helm-installed azure-aci virtual kubelet
// (type=virtual-kubelet nodes other than virtual-node-aci-linux, its deployment outside kube-system).
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { V1Deployment, V1Namespace, V1Node, V1StatefulSet } from '@kubernetes/client-node';
import type { ClusterExtension, StackInfo, StackKind } from '../doctor-facts.js';

/** The node the v1 add-on registers. */
export const ADDON_NODE = 'virtual-node-aci-linux';
const V2_EXTENSION_TYPE = 'microsoft.virtualnodes';

/** What stack detection reads; Kubernetes parts are undefined when they could not be read. */
export interface StackInputs {
  cluster: ManagedCluster;
  extensions: readonly ClusterExtension[];
  nodes?: readonly V1Node[];
  namespaces?: readonly V1Namespace[];
  deployments?: readonly V1Deployment[];
  statefulSets?: readonly V1StatefulSet[];
  kubernetesError?: string;
}

const lower = (s: string | undefined) => (s ?? '').toLowerCase();

/** True for a node any virtual-node stack registered. */
export function isVirtualNode(node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return labels.type === 'virtual-kubelet' || labels.virtualization === 'virtualnode2';
}

/**
 * True for a v2 node: the label, or a plain upstream kubeletVersion (`v1.32.8`) on a virtual node other than the
 * add-on's. azure-aci reports `v1.25.0-vk-azure-aci-1.6.2`; vnodes' own provider `v1.31.0-vnodes-0.1.0`.
 */
export function isV2Node(node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  if (labels.virtualization === 'virtualnode2') return true;
  return (
    labels.type === 'virtual-kubelet' &&
    node.metadata?.name !== ADDON_NODE &&
    /^v\d+\.\d+\.\d+$/.test(node.status?.nodeInfo?.kubeletVersion ?? '')
  );
}

/** vnodes' own provider (`vnodes provider run`, or the add-on node it serves in the emulator). */
const isVnodesNode = (node: V1Node): boolean => /-vnodes-/.test(node.status?.nodeInfo?.kubeletVersion ?? '');

/** The v2 chart's StatefulSets: `*-virtualnode` with the chart's labels. */
function isV2StatefulSet(s: V1StatefulSet): boolean {
  const labels = s.metadata?.labels ?? {};
  return (
    labels['app.kubernetes.io/name'] === 'virtualnode' ||
    /virtualnode/i.test(s.metadata?.name ?? '') ||
    /virtualnode/i.test(labels['helm.sh/chart'] ?? '')
  );
}

/** Pure detection over what was read. */
export function detectStack(input: StackInputs): StackInfo {
  const signals: StackInfo['signals'] = [];
  const add = (stack: StackKind, field: string, value: unknown, source?: string) =>
    signals.push({ stack, field, value, ...(source ? { source } : {}) });

  const addonKey = Object.keys(input.cluster.addonProfiles ?? {}).find((k) => lower(k) === 'aciconnectorlinux');
  if (addonKey && input.cluster.addonProfiles?.[addonKey]?.enabled)
    add('v1-addon', `properties.addonProfiles.${addonKey}.enabled`, true, input.cluster.id);

  for (const e of input.extensions)
    if (lower(e.extensionType) === V2_EXTENSION_TYPE)
      add('v2-extension', 'properties.extensionType', e.extensionType, e.id);
  const extensionNamespaces = new Set(
    input.extensions
      .filter((e) => lower(e.extensionType) === V2_EXTENSION_TYPE)
      .map((e) => e.releaseNamespace ?? 'vn-system'),
  );
  // vn-system is the extension's namespace even when the extension list cannot be read (provider unregistered).
  if ((input.statefulSets ?? []).some((s) => isV2StatefulSet(s) && s.metadata?.namespace === 'vn-system')) {
    if (!extensionNamespaces.size) add('v2-extension', 'namespace', 'vn-system');
    extensionNamespaces.add('vn-system');
  }

  const nodes = input.nodes ?? [];
  const virtualNodes = nodes.filter(isVirtualNode);
  for (const n of virtualNodes) {
    const name = n.metadata?.name ?? '';
    if (isV2Node(n)) {
      // A v2 node beside an extension is the extension's; anything else is the Helm chart's.
      const stack: StackKind = extensionNamespaces.size ? 'v2-extension' : 'v2-helm';
      add(stack, `node ${name} labels`, n.metadata?.labels?.virtualization ?? n.metadata?.labels?.type);
    } else if (name !== ADDON_NODE && !isVnodesNode(n)) {
      add('helm-vk', `node ${name} labels.type`, 'virtual-kubelet');
    }
  }
  for (const s of input.statefulSets ?? []) {
    const ns = s.metadata?.namespace ?? '';
    if (isV2StatefulSet(s) && !extensionNamespaces.has(ns))
      add('v2-helm', `statefulset ${ns}/${s.metadata?.name}`, s.metadata?.labels?.['helm.sh/chart'] ?? 'virtualnode');
  }
  for (const ns of input.namespaces ?? []) {
    const name = ns.metadata?.name;
    if (name === 'vn2') add('v2-helm', 'namespace', name);
  }
  for (const d of input.deployments ?? []) {
    const image = d.spec?.template?.spec?.containers?.map((c) => c.image ?? '').join(',') ?? '';
    if (
      d.metadata?.namespace !== 'kube-system' &&
      /virtual-kubelet/.test(image) &&
      !/virtual-node-2|aci\/virtual-node/.test(image)
    )
      add('helm-vk', `deployment ${d.metadata?.namespace}/${d.metadata?.name} image`, image);
  }

  const order: StackKind[] = ['v1-addon', 'v2-extension', 'v2-helm', 'helm-vk'];
  const detected = order.filter((k) => signals.some((s) => s.stack === k));
  return {
    primary: detected[0] ?? 'none',
    detected,
    signals,
    virtualNodes: virtualNodes.map((n) => n.metadata?.name ?? ''),
    ...(input.kubernetesError ? { kubernetesUnread: input.kubernetesError } : {}),
  };
}

/** The names people read. */
export const STACK_NAMES: Record<StackKind, string> = {
  'v1-addon': 'virtual nodes v1 (the aciConnectorLinux add-on)',
  'v2-extension': 'virtual nodes v2 (the Microsoft.virtualnodes AKS extension)',
  'v2-helm': 'virtual nodes v2 (the virtualnodesOnAzureContainerInstances Helm chart)',
  'helm-vk': 'a Helm-installed azure-aci virtual kubelet',
  none: 'no virtual-node stack',
};
