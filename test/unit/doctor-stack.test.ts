// Stack detection from the fingerprint of research/anchors-turn2.md §1.3.
import { describe, expect, it } from 'vitest';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { V1Node } from '@kubernetes/client-node';
import { detectStack, type StackInputs } from '../../src/checks/stack/detect.js';

const cluster = (enabled: boolean): ManagedCluster => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  location: 'eastus',
  addonProfiles: enabled ? { ACIConnectorLinux: { enabled: true, config: { SubnetName: 'aci' } } } : {},
});
const node = (name: string, labels: Record<string, string>, kubeletVersion: string): V1Node => ({
  metadata: { name, labels },
  status: { nodeInfo: { kubeletVersion } as never },
});
const v1node = node('virtual-node-aci-linux', { type: 'virtual-kubelet' }, 'v1.25.0-vk-azure-aci-1.6.2');
const v2node = node('vn-virtualnode-0', { virtualization: 'virtualnode2', type: 'virtual-kubelet' }, 'v1.32.8');
const ext = { id: 'e', name: 'virtualnodes', extensionType: 'Microsoft.VirtualNodes', releaseNamespace: 'vn-system' };
const sts = (namespace: string) => ({
  metadata: { name: 'vn-virtualnode', namespace, labels: { 'app.kubernetes.io/name': 'virtualnode' } },
});

const CASES: [string, Omit<StackInputs, 'cluster'> & { enabled?: boolean }, string[]][] = [
  ['nothing', { extensions: [], nodes: [] }, []],
  ['the add-on (key in any case)', { enabled: true, extensions: [], nodes: [v1node] }, ['v1-addon']],
  [
    'the v2 extension (type in any case)',
    { extensions: [ext], nodes: [v2node], statefulSets: [sts('vn-system')] },
    ['v2-extension'],
  ],
  [
    'v2 in vn-system while the extension list is unreadable',
    { extensions: [], nodes: [v2node], statefulSets: [sts('vn-system')] },
    ['v2-extension'],
  ],
  ['the v2 Helm chart', { extensions: [], nodes: [v2node], statefulSets: [sts('vn2')] }, ['v2-helm']],
  ['namespace vn2 alone', { extensions: [], nodes: [], namespaces: [{ metadata: { name: 'vn2' } }] }, ['v2-helm']],
  [
    'a Helm-installed virtual kubelet',
    { extensions: [], nodes: [node('vk-aci', { type: 'virtual-kubelet' }, 'v1.25.0-vk-azure-aci-1.6.1')] },
    ['helm-vk'],
  ],
  [
    "vnodes' own provider serving the add-on node, and its debug node",
    {
      enabled: true,
      extensions: [],
      nodes: [
        node('virtual-node-aci-linux', { type: 'virtual-kubelet' }, 'v1.31.0-vnodes-0.1.0'),
        node('vnodes-debug', { type: 'virtual-kubelet' }, 'v1.31.0-vnodes-0.1.0'),
      ],
    },
    ['v1-addon'],
  ],
  ['both stacks', { enabled: true, extensions: [ext], nodes: [v1node, v2node] }, ['v1-addon', 'v2-extension']],
];

describe('detectStack', () => {
  for (const [name, input, detected] of CASES)
    it(name, () => {
      const { enabled, ...rest } = input;
      const stack = detectStack({ cluster: cluster(enabled ?? false), ...rest });
      expect(stack.detected).toEqual(detected);
      expect(stack.primary).toBe(detected[0] ?? 'none');
      for (const s of stack.signals) expect(detected).toContain(s.stack);
    });

  it('says when Kubernetes could not be read', () => {
    const stack = detectStack({ cluster: cluster(false), extensions: [], kubernetesError: 'forbidden' });
    expect(stack).toMatchObject({ primary: 'none', kubernetesUnread: 'forbidden' });
  });
});
