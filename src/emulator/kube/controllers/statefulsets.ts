// StatefulSet → Pods `<name>-0 … <name>-(n-1)`, as the statefulset controller does: with podManagementPolicy
// OrderedReady (the default) the next pod is created only once the ones before it are Ready; Parallel makes them all
// at once. Scale-down removes the highest ordinal first.
import type { KubeObject } from '../resources.js';
import type { KubeStore } from '../store.js';
import { int, isReady, obj, podFromTemplate, report, templateHash, terminating } from './owned.js';

const STS = 'statefulset-controller';
import { ownedPods } from './replicasets.js';

export function reconcileStatefulSet(store: KubeStore, sts: KubeObject): void {
  if (terminating(sts)) return;
  const spec = obj(sts.spec);
  const name = sts.metadata.name!;
  const replicas = int(spec.replicas, 1);
  const ordered = spec.podManagementPolicy !== 'Parallel';
  const hash = `${name}-${templateHash(spec.template)}`;
  const pods = ownedPods(store, sts);
  const byName = new Map(pods.map((p) => [p.metadata.name!, p]));
  for (let i = 0; i < replicas; i++) {
    const pod = byName.get(`${name}-${i}`);
    if (pod !== undefined) {
      if (ordered && !isReady(pod)) break;
      continue;
    }
    store.create(
      'pods',
      podFromTemplate(
        sts,
        spec.template,
        { name: `${name}-${i}` },
        {
          labels: {
            'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
            'apps.kubernetes.io/pod-index': String(i),
            'controller-revision-hash': hash,
          },
          spec: {
            hostname: `${name}-${i}`,
            ...(typeof spec.serviceName === 'string' ? { subdomain: spec.serviceName } : {}),
          },
        },
      ),
    );
    report(store, sts, STS, 'SuccessfulCreate', `create Pod ${name}-${i} in StatefulSet ${name} successful`);
    if (ordered) break;
  }
  const extra = pods
    .filter((p) => !terminating(p) && Number(p.metadata.name!.slice(name.length + 1)) >= replicas)
    .sort((a, b) => Number(b.metadata.name!.slice(name.length + 1)) - Number(a.metadata.name!.slice(name.length + 1)));
  for (const p of ordered ? extra.slice(0, 1) : extra) {
    store.delete('pods', p.metadata.namespace, p.metadata.name!);
    report(store, sts, STS, 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`);
  }
  const now = ownedPods(store, sts).filter((p) => !terminating(p));
  const ready = now.filter(isReady).length;
  store.update(
    'statefulsets',
    {
      ...sts,
      status: {
        observedGeneration: sts.metadata.generation,
        replicas: now.length,
        readyReplicas: ready,
        currentReplicas: now.length,
        updatedReplicas: now.length,
        availableReplicas: ready,
        currentRevision: hash,
        updateRevision: hash,
        collisionCount: 0,
      },
    },
    { subresource: 'status' },
  );
}
