import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/emulator/kube/resources.js';
import { schedulePending, tolerates, unfitReason } from '../../src/emulator/kube/scheduler.js';
import { KubeStore } from '../../src/emulator/kube/store.js';
import { startServiceAccountController } from '../../src/emulator/kube/controllers/serviceaccounts.js';

// A store with the ServiceAccount controller beside it, as in a cluster: pods need their namespace's `default`.
const withAccounts = (store: KubeStore): KubeStore => {
  startServiceAccountController(store);
  return store;
};

const TAINT = { key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' };

const node = (
  name: string,
  extra: { labels?: Record<string, string>; taints?: object[]; ready?: boolean } = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: extra.labels ?? {} },
  spec: { taints: extra.taints ?? [] },
  status: { conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
});

const pod = (spec: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
});

const virtualNode = node('virtual-node-aci-linux', { labels: { type: 'virtual-kubelet' }, taints: [TAINT] });

describe('tolerations', () => {
  it.each([
    [{ key: 'virtual-kubelet.io/provider', operator: 'Exists' }, true],
    [{ key: 'virtual-kubelet.io/provider', operator: 'Exists', effect: 'NoSchedule' }, true],
    [{ key: 'virtual-kubelet.io/provider', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'virtual-kubelet.io/provider', value: 'azure' }, true],
    [{ key: 'virtual-kubelet.io/provider', operator: 'Equal', value: 'aws' }, false],
    [{ operator: 'Exists' }, true],
    [{ key: 'other', operator: 'Exists' }, false],
  ])('%j tolerates the virtual node taint: %s', (toleration, expected) => {
    expect(tolerates(toleration, TAINT)).toBe(expected);
  });
});

describe('node fit', () => {
  const tolerating = { tolerations: [{ key: 'virtual-kubelet.io/provider', operator: 'Exists' }] };
  it.each([
    ['an intolerant pod', pod(), virtualNode, 'node(s) had untolerated taint {virtual-kubelet.io/provider: azure}'],
    ['a tolerating pod', pod(tolerating), virtualNode, undefined],
    [
      'a nodeSelector mismatch',
      pod({ ...tolerating, nodeSelector: { type: 'other' } }),
      virtualNode,
      "node(s) didn't match Pod's node affinity/selector",
    ],
    ['a NotReady node', pod(), node('n', { ready: false }), 'node(s) were not ready'],
    [
      'required node affinity',
      pod({
        ...tolerating,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['virtual-kubelet'] }] }],
            },
          },
        },
      }),
      virtualNode,
      undefined,
    ],
    [
      'node affinity that excludes the node',
      pod({
        ...tolerating,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'type', operator: 'NotIn', values: ['virtual-kubelet'] }] },
              ],
            },
          },
        },
      }),
      virtualNode,
      "node(s) didn't match Pod's node affinity/selector",
    ],
  ])('%s', (_case, p, n, expected) => {
    expect(unfitReason(p, n)).toBe(expected);
  });
});

describe('a scheduling pass', () => {
  it('binds what fits, reports what does not once, and retries on the next pass', () => {
    const store = withAccounts(new KubeStore());
    store.create('nodes', virtualNode, { fromApi: false });
    store.create('pods', { ...pod(), metadata: { name: 'stuck', namespace: 'default' } });
    store.create('pods', {
      ...pod({ tolerations: [{ operator: 'Exists' }] }),
      metadata: { name: 'fits', namespace: 'default' },
    });
    expect(schedulePending(store)).toBe(1);
    expect(schedulePending(store)).toBe(0);
    const failed = store.list('events', { fieldSelector: 'reason=FailedScheduling' }).items;
    expect(failed.map((e) => e.message)).toEqual([
      '0/1 nodes are available: 1 node(s) had untolerated taint {virtual-kubelet.io/provider: azure}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    ]);
    store.create('nodes', node('aks-nodepool1-0'), { fromApi: false });
    expect(schedulePending(store)).toBe(1);
    expect((store.get('pods', 'default', 'stuck')!.spec as { nodeName: string }).nodeName).toBe('aks-nodepool1-0');
  });
});
