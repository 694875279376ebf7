// DaemonSet → one Pod per node it fits, as the daemonset controller does: it adds the tolerations kube's does
// (not-ready, unreachable, pressure, unschedulable), pins each pod with node affinity on metadata.name and leaves the
// binding to the scheduler. A DaemonSet that tolerates every taint therefore lands on the virtual node too, as on AKS.
import type { KubeObject } from '../resources.js';
import { unfitReason } from '../scheduler.js';
import type { KubeStore } from '../store.js';
import {
  createPod,
  deletePod,
  isReady,
  list,
  obj,
  ownedBy,
  podFromTemplate,
  templateHash,
  terminating,
} from './owned.js';

const DS = 'daemonset-controller';

const NODE_KEY = 'metadata.name';

/** The tolerations the daemonset controller adds to every daemon pod. */
const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The node a daemon pod is pinned to (its required node affinity on metadata.name). */
const pinnedNode = (pod: KubeObject): string | undefined => {
  const terms = list(
    obj(obj(obj(obj(pod.spec).affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms,
  );
  const field = terms.flatMap((t) => list(t.matchFields)).find((f) => f.key === NODE_KEY);
  return (field?.values as string[] | undefined)?.[0] ?? (obj(pod.spec).nodeName as string | undefined);
};

const daemonSpec = (ds: KubeObject): Record<string, unknown> => {
  const spec = obj(obj(obj(ds.spec).template).spec);
  const own = list(spec.tolerations);
  const extra = DAEMON_TOLERATIONS.filter((t) => !own.some((o) => o.key === t.key && o.effect === t.effect));
  return { ...spec, tolerations: [...own, ...extra] };
};

/** Whether the daemon pod would fit the node; readiness and cordoning do not count (the pods tolerate them). */
function fits(ds: KubeObject, node: KubeObject): boolean {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: daemonSpec(ds) } as KubeObject;
  const ready = {
    ...node,
    spec: { ...obj(node.spec), unschedulable: false },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
  return unfitReason(pod, ready as KubeObject) === undefined;
}

export function reconcileDaemonSet(store: KubeStore, ds: KubeObject): void {
  if (terminating(ds)) return;
  const namespace = ds.metadata.namespace;
  const nodes = store.list('nodes').items.filter((n) => fits(ds, n));
  const pods = store.list('pods', { namespace }).items.filter((p) => ownedBy(p, ds) && !terminating(p));
  const hash = templateHash(obj(ds.spec).template);
  const wanted = new Set(nodes.map((n) => n.metadata.name!));
  for (const node of wanted) {
    if (pods.some((p) => pinnedNode(p) === node)) continue;
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: NODE_KEY, operator: 'In', values: [node] }] }],
        },
      },
    };
    createPod(
      store,
      ds,
      DS,
      podFromTemplate(
        ds,
        obj(ds.spec).template,
        { generateName: `${ds.metadata.name}-` },
        {
          labels: { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
          spec: { ...daemonSpec(ds), affinity },
        },
      ),
    );
  }
  for (const p of pods) {
    if (!wanted.has(pinnedNode(p) ?? '')) deletePod(store, ds, DS, p);
  }
  const now = store.list('pods', { namespace }).items.filter((p) => ownedBy(p, ds) && !terminating(p));
  const scheduled = now.filter((p) => obj(p.spec).nodeName !== undefined);
  const ready = now.filter(isReady).length;
  store.update(
    'daemonsets',
    {
      ...ds,
      status: {
        currentNumberScheduled: scheduled.length,
        desiredNumberScheduled: wanted.size,
        numberMisscheduled: 0,
        numberReady: ready,
        numberAvailable: ready,
        ...(wanted.size - ready > 0 ? { numberUnavailable: wanted.size - ready } : {}),
        updatedNumberScheduled: scheduled.length,
        observedGeneration: ds.metadata.generation,
      },
    },
    { subresource: 'status' },
  );
}
