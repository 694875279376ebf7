// ReplicaSet → Pods, as the replicaset controller does: keep `replicas` live pods that match the selector and that
// it controls; scale down the least advanced first (unscheduled, then not ready, then the newest).
import type { KubeObject } from '../resources.js';
import type { KubeStore } from '../store.js';
import { createPod, deletePod, int, isReady, obj, ownedBy, phaseOf, podFromTemplate, terminating } from './owned.js';

const RS = 'replicaset-controller';

/** The pods a controller owns, live ones first sorted for scale-down (the first are deleted first). */
export function ownedPods(store: KubeStore, owner: KubeObject): KubeObject[] {
  return store.list('pods', { namespace: owner.metadata.namespace }).items.filter((p) => ownedBy(p, owner));
}

const scaleDownOrder = (a: KubeObject, b: KubeObject): number => {
  const rank = (p: KubeObject) => (obj(p.spec).nodeName === undefined ? 0 : isReady(p) ? 2 : 1);
  return rank(a) - rank(b) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
};

export function reconcileReplicaSet(store: KubeStore, rs: KubeObject): void {
  if (terminating(rs)) return;
  const spec = obj(rs.spec);
  const want = int(spec.replicas, 1);
  const pods = ownedPods(store, rs);
  const live = pods.filter((p) => !terminating(p) && !['Succeeded', 'Failed'].includes(phaseOf(p)));
  for (let n = live.length; n < want; n++) {
    createPod(store, rs, RS, podFromTemplate(rs, spec.template, { generateName: `${rs.metadata.name}-` }));
  }
  for (const pod of [...live].sort(scaleDownOrder).slice(0, Math.max(0, live.length - want))) {
    deletePod(store, rs, RS, pod);
  }
  const now = ownedPods(store, rs).filter((p) => !terminating(p));
  const ready = now.filter(isReady).length;
  store.update(
    'replicasets',
    {
      ...rs,
      status: {
        replicas: now.length,
        fullyLabeledReplicas: now.length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: rs.metadata.generation,
      },
    },
    { subresource: 'status' },
  );
}
